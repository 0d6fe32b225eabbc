import type { OdooAccountJson } from '../api-types';
import type { WizardValues } from '../scope-form';
import type { ConsoleSession } from '../session';
import { CsrfField, FieldErrors } from './components';
import { ProblemSummary, ScopeEditor, ValidityFields } from './form-parts';
import { Layout } from './layout';
import { fieldId, TextField, type Errors } from './scope-fields';

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
              <span class="hint">For clients that cannot send a header (Claude.ai, ChatGPT). Coming later.</span>
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
  const defaultListed = props.accounts.some((account) => account.is_default);
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
          <div class="field">
            <label for={fieldId('odoo_account_id')}>Odoo account</label>
            <p class="hint">The Odoo user the tool acts as; the scope can only narrow what that user may do.</p>
            <select id={fieldId('odoo_account_id')} name="odoo_account_id">
              {defaultListed ? null : <option value="">Default account (the ODOO_* settings)</option>}
              {props.accounts.map((account) => (
                <option value={account.is_default ? '' : account.id} selected={account.is_default ? values.odooAccountId === '' : values.odooAccountId === account.id}>
                  {account.name} — {account.login} on {account.url}
                  {account.is_default ? ' (default)' : ''}
                </option>
              ))}
            </select>
            {props.accountsError ? <p class="hint">{props.accountsError}</p> : null}
            <FieldErrors id={fieldId('odoo_account_id')} errors={errors.get('odoo_account_id')} />
          </div>
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
