import { Layout } from './layout';
import { Notice } from './components';

export function SignInPage(props: { next: string; error?: string; signedOut?: boolean }) {
  return (
    <Layout title="Sign in">
      <div class="narrow card">
        <h1>Sign in</h1>
        <p>Sign in with the gateway's admin token (the <code>ADMIN_TOKEN</code> secret; <code>npm start</code> prints it).</p>
        {props.signedOut ? <Notice kind="info">You are signed out.</Notice> : null}
        {props.error ? (
          <Notice kind="error" title="Not signed in">
            <p>{props.error}</p>
          </Notice>
        ) : null}
        <form method="post" action="/admin/sign-in">
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              required
              autocomplete="current-password"
              autofocus
              aria-invalid={props.error ? 'true' : undefined}
            />
          </div>
          <button type="submit" class="button primary">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
