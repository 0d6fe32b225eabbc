import type { OdooAccountJson } from '../api-types';
import type { WizardValues } from '../scope-form';
import type { ConsoleSession } from '../session';
import { CsrfField } from './components';
import { OdooAccountField, ProblemSummary, ScopeEditor, ValidityFields } from './form-parts';
import { Layout } from './layout';
import { TextField, type Errors } from './scope-fields';

const STEPS = ['Authentication', 'Name and scope', 'Done'];

export function WizardSteps(props: { current: 1 | 2 | 3 }) {
  return (
    <ol class="steps" aria-label="Steps">
      {STEPS.map((label, index) => (
        <li class={index + 1 === props.current ? 'current' : index + 1 < props.current ? 'done' : undefined} aria-current={index + 1 === props.current ? 'step' : undefined}>
          <span class="step-number">{index + 1}</span> {label}
        </li>
      ))}
    </ol>
  );
}

export function WizardMethodPage(props: { session: ConsoleSession }) {
  return (
    <Layout title="Connect a new tool" session={props.session} section="connections">
      <h1>Connect a new tool</h1>
      <WizardSteps current={1} />
      <form method="get" action="/admin/connections/new/details" class="card">
        <fieldset>
          <legend>How will the tool authenticate?</legend>
          <label class="choice">
            <input type="radio" name="method" value="bearer" checked />
            <span>
              <strong>Bearer API key</strong>
              <span class="hint">
                The tool sends <code>Authorization: Bearer &lt;key&gt;</code> with every request. Works with Cursor, Claude Code, Claude Desktop, Gemini CLI,
                Continue, VS Code, Windsurf, Codex, curl and scripts.
              </span>
            </span>
          </label>
          <label class="choice disabled">
            <input type="radio" name="method" value="oauth" disabled />
            <span>
              <strong>OAuth sign-in</strong>
              <span class="hint">
                For clients that cannot send a header (Claude.ai, ChatGPT, VS Code, Cursor): add a custom connector with the MCP URL, no key; you approve it on the
                gateway's consent page when the app opens it. To let someone else connect, <a href="/admin/connections/invitations/new">create an invitation</a>.
              </span>
            </span>
          </label>
        </fieldset>
        <div class="actions">
          <button type="submit" class="button primary">
            Next
          </button>
          <a class="button" href="/admin/connections">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function WizardDetailsPage(props: {
  session: ConsoleSession;
  values: WizardValues;
  accounts: OdooAccountJson[];
  accountsError?: string;
  errors: Errors;
  problem?: string;
}) {
  const { values, errors } = props;
  return (
    <Layout title="Connect a new tool" session={props.session} section="connections">
      <h1>Connect a new tool</h1>
      <WizardSteps current={2} />
      <ProblemSummary problem={props.problem} errors={errors} />
      <form method="post" action="/admin/connections/new" class="card wizard" novalidate>
        <CsrfField session={props.session} />
        <input type="hidden" name="method" value="bearer" />
        <input type="hidden" name="submission" value={values.submission} />
        {/* The form's default button, so Enter in any field creates (the first submit button in the page would otherwise be "Show this scope as JSON"). */}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the form's default button for Enter, out of the tab order and hidden from assistive tech, which use the visible button with the same effect. */}
        <button type="submit" name="intent" value="create" class="visually-hidden" tabindex={-1} aria-hidden="true">
          Create connection
        </button>
        <div class="grid">
          <TextField name="name" label="Name" hint="Who or what uses this key, e.g. “Sales assistant (Cursor)”." value={values.name} errors={errors} required />
          <OdooAccountField
            accounts={props.accounts}
            selected={values.odooAccountId}
            hint="The Odoo user the tool acts as; the scope can only narrow what that user may do."
            errors={errors}
            accountsError={props.accountsError}
          />
        </div>

        <ScopeEditor values={values} errors={errors} />
        <ValidityFields values={values} errors={errors} />

        <div class="actions">
          <button type="submit" name="intent" value="create" class="button primary">
            Create connection
          </button>
          <a class="button" href="/admin/connections/new">
            Back
          </a>
        </div>
      </form>
    </Layout>
  );
}
