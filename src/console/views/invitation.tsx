import type { OdooAccountJson } from '../api-types';
import type { WizardValues } from '../scope-form';
import type { ConsoleSession } from '../session';
import { CopyField, CsrfField, Notice } from './components';
import { OdooAccountField, ProblemSummary, ScopeEditor } from './form-parts';
import { Layout } from './layout';
import { TextField, type Errors } from './scope-fields';

export interface InvitationFormValues extends WizardValues {
  validForHours: string;
  connectionValidForDays: string;
}

/** An admin invites a person to connect their own Claude.ai or ChatGPT with exactly this scope. */
export function InvitationFormPage(props: { session: ConsoleSession; values: InvitationFormValues; accounts: OdooAccountJson[]; accountsError?: string; errors: Errors; problem?: string }) {
  const { values, errors } = props;
  return (
    <Layout title="Invite someone to connect an app" session={props.session} section="connections">
      <p class="breadcrumb">
        <a href="/admin/connections">Connections</a> /
      </p>
      <h1>Invite someone to connect an app</h1>
      <p>
        The invitation lets a person who is not an admin connect their own Claude.ai or ChatGPT through OAuth, with exactly the scope chosen here. Its link is shown once and
        works once.
      </p>
      <ProblemSummary problem={props.problem} errors={errors} />
      <form method="post" action="/admin/connections/invitations/new" class="card wizard" novalidate>
        <CsrfField session={props.session} />
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the form's default button for Enter, out of the tab order and hidden from assistive tech, which use the visible button with the same effect. */}
        <button type="submit" name="intent" value="create" class="visually-hidden" tabindex={-1} aria-hidden="true">
          Create invitation
        </button>
        <div class="grid">
          <TextField name="name" label="Connection name" hint="The name of the connection the invitation creates, e.g. “Anna’s Claude”." value={values.name} errors={errors} required />
          <OdooAccountField
            accounts={props.accounts}
            selected={values.odooAccountId}
            hint="The Odoo user the app acts as; the scope can only narrow what that user may do."
            errors={errors}
            accountsError={props.accountsError}
          />
        </div>
        <ScopeEditor values={values} errors={errors} />
        <fieldset>
          <legend>Validity</legend>
          <div class="grid">
            <TextField name="valid_for_hours" label="Invitation valid for (hours)" hint="How long the link can be used; 24 hours by default, at most 720." type="number" value={values.validForHours} errors={errors} />
            <TextField
              name="connection_valid_for_days"
              label="Connection valid for (days)"
              hint="How long the connection it creates works; empty: no expiry."
              type="number"
              value={values.connectionValidForDays}
              errors={errors}
            />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" name="intent" value="create" class="button primary">
            Create invitation
          </button>
          <a class="button" href="/admin/connections">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** The one moment the invitation link is visible: the gateway keeps only its hash. */
export function InvitationCreatedPage(props: { session: ConsoleSession; name: string; url: string; expiresAt: string }) {
  return (
    <Layout title="Invitation created" session={props.session} section="connections">
      <h1>Invitation created</h1>
      <Notice kind="warning" title="This link is shown only once.">
        <p>
          Send it to the person who connects <strong>{props.name}</strong>. It works once, until {props.expiresAt.slice(0, 16).replace('T', ' ')} UTC; the gateway stores only a
          hash and cannot show it again.
        </p>
      </Notice>
      <CopyField id="invitation-url" label="Invitation link" value={props.url} secret />
      <p>
        They open the link, add a custom connector with the MCP URL it shows in Claude.ai or ChatGPT, and approve it in the same browser. The connection appears in the list with{' '}
        <em>OAuth</em> once they have.
      </p>
      <div class="actions">
        <a class="button primary" href="/admin/connections">
          Back to connections
        </a>
      </div>
    </Layout>
  );
}
