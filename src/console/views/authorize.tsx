import type { ConsentDescription } from '@cloudflare/workers-oauth-provider';
import type { OdooAccountJson } from '../api-types';
import type { ScopeFormValues } from '../scope-form';
import type { ConsoleSession } from '../session';
import { CopyField, CsrfField, Notice } from './components';
import { OdooAccountField } from './form-parts';
import { Layout } from './layout';
import { ScopeDescription } from './scope-description';
import { ScopeFields, TextField, type Errors } from './scope-fields';

export interface ConsentValues {
  name: string;
  odooAccountId: string;
  scope: ScopeFormValues;
}

/** The provider's description, and the scheme (`cursor:`) when the redirect goes to a native app's own scheme, not a host. */
export type ConsentFacts = ConsentDescription & { appScheme?: string };

/** Who is asking and where the tokens go, as the MCP authorization spec asks a consent page to show. */
function ClientFacts(props: { details: ConsentFacts }) {
  const { details } = props;
  return (
    <div class="card">
      <p>
        <strong>{details.clientName}</strong> asks to use this Odoo gateway.
      </p>
      <p>
        {details.clientDomain ? (
          <>
            Published by <strong>{details.clientDomain}</strong> (verified from its client metadata document).
          </>
        ) : (
          'This app registered itself; its name is not verified.'
        )}
      </p>
      {details.appScheme ? (
        <>
          <p>
            Access will be sent to the app that opens <strong>{details.appScheme}</strong> links on this device, not to a website.
          </p>
          <Notice kind="warning" title={`This sends access to an app through its own ${details.appScheme} links`}>
            Any app installed on this device can claim a link scheme, whatever name it shows. Continue only if you just started connecting from that app.
          </Notice>
        </>
      ) : (
        <p>
          Access will be sent to <strong>{details.redirectHost}</strong>.
        </p>
      )}
      {details.redirectIsLoopback ? (
        <Notice kind="warning" title="This sends access to an app on this computer">
          Any program on the machine can listen on a local address, whatever name it claims. Continue only if you just started connecting from it.
        </Notice>
      ) : null}
    </div>
  );
}

function Decision(props: { approveLabel: string }) {
  return (
    <div class="actions">
      <button type="submit" name="decision" value="approve" class="button primary">
        {props.approveLabel}
      </button>
      <button type="submit" name="decision" value="deny" class="button">
        Deny
      </button>
    </div>
  );
}

/** An admin signed in to the console names the connection, picks the Odoo account and the scope, and approves or denies. */
export function AdminConsentPage(props: {
  session: ConsoleSession;
  action: string;
  handle: string;
  details: ConsentFacts;
  values: ConsentValues;
  accounts: OdooAccountJson[];
  errors: Errors;
  problem?: string;
}) {
  const { values, errors } = props;
  return (
    <Layout title="Authorize an app" session={props.session}>
      <h1>Authorize {props.details.clientName}</h1>
      <ClientFacts details={props.details} />
      {props.problem ? <Notice kind="error" title={props.problem} /> : null}
      <form method="post" action={props.action} class="card wizard" novalidate>
        <CsrfField session={props.session} />
        <input type="hidden" name="handle" value={props.handle} />
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the form's default button for Enter, out of the tab order and hidden from assistive tech, which use the visible button with the same effect. */}
        <button type="submit" name="decision" value="approve" class="visually-hidden" tabindex={-1} aria-hidden="true">
          Approve
        </button>
        <div class="grid">
          <TextField name="name" label="Connection name" hint="How this app appears in the console and the audit log." value={values.name} errors={errors} required />
          <OdooAccountField
            accounts={props.accounts}
            selected={values.odooAccountId}
            hint="The Odoo user the app acts as; the scope can only narrow what that user may do."
            errors={errors}
          />
        </div>
        <ScopeFields values={values.scope} errors={errors} />
        <Decision approveLabel="Approve" />
      </form>
    </Layout>
  );
}

/** A person with an invitation: the scope is the invitation's, shown in words; they only approve or deny. */
export function InvitationConsentPage(props: { action: string; handle: string; details: ConsentFacts; invitation: { code: string; name: string; scope: unknown; expiresAt: string } }) {
  return (
    <Layout title="Connect with an invitation">
      <h1>Connect {props.details.clientName}</h1>
      <ClientFacts details={props.details} />
      <div class="card">
        <p>
          Your invitation <strong>{props.invitation.name}</strong> lets this app:
        </p>
        <ScopeDescription scope={props.invitation.scope} />
      </div>
      <form method="post" action={props.action} class="card">
        <input type="hidden" name="handle" value={props.handle} />
        <input type="hidden" name="invitation" value={props.invitation.code} />
        <Decision approveLabel="Connect" />
      </form>
    </Layout>
  );
}

/** Neither a console session nor an invitation: sign in, or paste the invitation code. */
export function AuthorizeSignInPage(props: { signInHref: string; action: string; query: [string, string][]; error?: string }) {
  return (
    <Layout title="Authorize an app">
      <div class="narrow">
        <h1>Who is connecting this app?</h1>
        {props.error ? <Notice kind="error" title={props.error} /> : null}
        <p>
          An admin approves apps from the console: <a href={props.signInHref}>sign in to the console</a>, then this page asks what the app may do.
        </p>
        <form method="get" action={props.action} class="card">
          {props.query.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <TextField name="invitation" label="Invitation code" hint="An admin gave you an invitation link or code for this app." value="" errors={new Map()} required />
          <div class="actions">
            <button type="submit" class="button primary">
              Continue
            </button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

/** What the invited person does next, in the app they use. */
export function InvitationPage(props: { name: string; mcpUrl: string; code: string; scope: unknown }) {
  return (
    <Layout title="Your invitation">
      <div class="narrow">
        <h1>Connect your AI app to Odoo</h1>
        <p>
          You are invited to connect <strong>{props.name}</strong>. It may:
        </p>
        <ScopeDescription scope={props.scope} />
        <ol>
          <li>
            In Claude.ai (Settings → Connectors → Add custom connector) or ChatGPT (Settings → Connectors → Create), add a custom connector with this URL:
            <CopyField id="invite-mcp-url" label="MCP URL" value={props.mcpUrl} />
          </li>
          <li>Connect it in this browser. The gateway's page opens and asks you to approve; the invitation is remembered here.</li>
          <li>If the page asks for an invitation code, paste this one. It works once.</li>
        </ol>
        <CopyField id="invite-code" label="Invitation code" value={props.code} secret />
      </div>
    </Layout>
  );
}
