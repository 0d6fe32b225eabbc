import type { ConnectionJson } from '../api-types';
import { Time } from './components';

type OAuthFacts = NonNullable<ConnectionJson['oauth']>;

export const REGISTRATION_LABELS: Record<OAuthFacts['registration'], string> = {
  cimd: 'CIMD (client metadata document)',
  dcr: 'DCR (dynamic registration)',
};

/** Where the client's tokens are sent: the hosts of its redirect URIs, as the consent page showed them. */
function redirectHosts(uris: string[]): string {
  const hosts = new Set<string>();
  for (const uri of uris) {
    try {
      hosts.add(new URL(uri).host);
    } catch {
      hosts.add(uri);
    }
  }
  return [...hosts].join(', ');
}

/** One list cell for an OAuth connection: the app, how it registered, where its tokens go. */
export function OAuthClientCell(props: { oauth: OAuthFacts; now: number }) {
  const { oauth } = props;
  return (
    <div class="oauth-client">
      <span class="badge">OAuth</span> {oauth.client_name || oauth.client_id}
      <div class="muted small">
        {oauth.registration.toUpperCase()} · redirects to {redirectHosts(oauth.redirect_uris) || '—'} · last token <Time iso={oauth.last_token_at} empty="never" now={props.now} />
      </div>
    </div>
  );
}

/** The OAuth client of a connection page, in the details list. */
export function OAuthClientDetails(props: { oauth: OAuthFacts }) {
  const { oauth } = props;
  return (
    <>
      <dt>Authentication</dt>
      <dd>OAuth (approved at /authorize)</dd>
      <dt>Client name</dt>
      <dd>{oauth.client_name || '—'}</dd>
      <dt>Client id</dt>
      <dd>
        <code class="break">{oauth.client_id}</code>
      </dd>
      <dt>Registration</dt>
      <dd>{REGISTRATION_LABELS[oauth.registration]}</dd>
      <dt>Redirect URIs</dt>
      <dd>
        {oauth.redirect_uris.length ? (
          <ul class="plain">
            {oauth.redirect_uris.map((uri) => (
              <li>
                <code class="break">{uri}</code>
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </dd>
      <dt>Last token use</dt>
      <dd>
        <Time iso={oauth.last_token_at} empty="Never" /> <span class="muted small">(code or refresh exchange)</span>
      </dd>
    </>
  );
}
