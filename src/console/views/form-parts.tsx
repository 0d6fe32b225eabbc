import type { ConnectionFormValues } from '../scope-form';
import type { OdooAccountJson } from '../api-types';
import { FieldErrors, Notice } from './components';
import { fieldId, ScopeFields, TextArea, TextField, type Errors } from './scope-fields';

/** Above a refused form: what went wrong, and every problem once, linked to its field. */
export function ProblemSummary(props: { problem?: string; errors: Errors }) {
  if (!props.problem) return null;
  const allIssues = [...props.errors.entries()].flatMap(([field, issues]) => issues.map((issue) => ({ field, issue })));
  return (
    <Notice kind="error" title={props.problem}>
      {allIssues.length ? (
        <ul>
          {allIssues.map(({ field, issue }) => (
            <li>
              {issue.words !== undefined ? (
                <a href={`#${fieldId(field)}`}>{issue.words}</a>
              ) : (
                <>
                  <code>{issue.path}</code>: {issue.message}
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

/**
 * The scope as the wizard's form or as raw JSON. Switching either way is a
 * round trip to the server (console.js submits it on the radio's change), so
 * the other side always holds the scope the admin is looking at.
 */
export function ScopeEditor(props: { values: ConnectionFormValues; errors: Errors }) {
  const { values, errors } = props;
  return (
    <>
      <fieldset class="mode-switch">
        <legend>Edit the scope with</legend>
        <label class="check">
          <input type="radio" name="scope_mode" value="form" checked={values.scopeMode === 'form'} /> the form
        </label>
        <label class="check">
          <input type="radio" name="scope_mode" value="json" checked={values.scopeMode === 'json'} /> raw JSON (for experts)
        </label>
      </fieldset>

      <div data-show-when="scope_mode=form">
        <ScopeFields values={values.scope} errors={errors} />
        <p>
          <button type="submit" name="intent" value="to_json" class="button link" formnovalidate>
            Show this scope as JSON
          </button>
        </p>
      </div>
      <div data-show-when="scope_mode=json">
        <TextArea
          name="scope_json"
          label="Scope JSON"
          hint='Used when “raw JSON” is chosen above, e.g. {"preset": "custom", "operations": ["read"], "models": {"crm.lead": {}}}.'
          value={values.scopeJson}
          errors={errors}
          rows={12}
          mono
        />
        <p>
          <button type="submit" name="intent" value="to_form" class="button link" formnovalidate>
            Show this JSON in the form
          </button>
        </p>
      </div>
    </>
  );
}

/** Validity in UTC. On a new connection an empty start means now; on an existing one it removes the start. */
export function ValidityFields(props: { values: ConnectionFormValues; errors: Errors; editing?: boolean }) {
  const { values, errors } = props;
  return (
    <fieldset>
      <legend>Validity (UTC)</legend>
      <div class="grid">
        <TextField
          name="not_before"
          label="Valid from"
          hint={props.editing ? 'Empty: no start, valid now.' : 'Empty: from now on.'}
          type="datetime-local"
          value={values.notBefore}
          errors={errors}
        />
      </div>
      <label class="check">
        <input type="radio" name="expiry_mode" value="never" checked={values.expiryMode === 'never'} /> No expiry
      </label>
      <label class="check">
        <input type="radio" name="expiry_mode" value="days" checked={values.expiryMode === 'days'} /> Valid for a number of days{props.editing ? ' from now' : ''}
      </label>
      <label class="check">
        <input type="radio" name="expiry_mode" value="date" checked={values.expiryMode === 'date'} /> Valid until a date
      </label>
      <div class="grid">
        <div data-show-when="expiry_mode=days">
          <TextField name="valid_for_days" label="Number of days" type="number" value={values.validForDays} errors={errors} />
        </div>
        <div data-show-when="expiry_mode=date">
          <TextField name="expires_at" label="Valid until" type="datetime-local" value={values.expiresAt} errors={errors} />
        </div>
      </div>
    </fieldset>
  );
}

/** The Odoo account a connection acts as; the default account (the ODOO_* settings) is chosen with ''. */
export function OdooAccountField(props: { accounts: OdooAccountJson[]; selected: string; hint: string; errors: Errors; accountsError?: string }) {
  const defaultListed = props.accounts.some((account) => account.is_default);
  return (
    <div class="field">
      <label for={fieldId('odoo_account_id')}>Odoo account</label>
      <p class="hint">{props.hint}</p>
      <select id={fieldId('odoo_account_id')} name="odoo_account_id">
        {defaultListed ? null : <option value="">Default account (the ODOO_* settings)</option>}
        {props.accounts.map((account) => (
          <option value={account.is_default ? '' : account.id} selected={account.is_default ? props.selected === '' : props.selected === account.id}>
            {account.name} — {account.login} on {account.url}
            {account.is_default ? ' (default)' : ''}
          </option>
        ))}
      </select>
      {props.accountsError ? <p class="hint">{props.accountsError}</p> : null}
      <FieldErrors id={fieldId('odoo_account_id')} errors={props.errors.get('odoo_account_id')} />
    </div>
  );
}
