import type { OdooAccountJson } from '../api-types';
import { can } from '../middleware';
import type { ConsoleSession } from '../session';
import { ConfirmAction, CsrfField, FieldErrors, ListHead, Notice, Time } from './components';
import { Layout } from './layout';
import { fieldId, TextField, type Errors } from './scope-fields';

export interface AccountFormValues {
  name: string;
  url: string;
  database: string;
  login: string;
  api: string;
}

export function AccountsPage(props: {
  session: ConsoleSession;
  accounts: OdooAccountJson[];
  nextCursor: string | null;
  cursor: string;
  values: AccountFormValues;
  errors: Errors;
  problem?: string;
  notice?: string;
  error?: string;
}) {
  return (
    <Layout title="Odoo accounts" session={props.session} section="accounts">
      <h1>Odoo accounts</h1>
      <p>Each connection acts as one Odoo user. Many connections can share an account; their scopes only narrow what that user may do.</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? (
        <Notice kind="error" title="Nothing was changed.">
          <p>{props.error}</p>
        </Notice>
      ) : null}
      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        {props.accounts.length === 0 ? (
          <p class="empty">No Odoo accounts yet. The default account (the ODOO_* settings) appears here once the first connection uses it.</p>
        ) : (
          <AccountsTable accounts={props.accounts} session={props.session} />
        )}
        <nav class="pager" aria-label="Pages">
          {props.cursor ? <a href="/admin/accounts">First page</a> : null}
          {props.nextCursor ? (
            <a href={`/admin/accounts?cursor=${encodeURIComponent(props.nextCursor)}`} rel="next">
              Next page
            </a>
          ) : null}
        </nav>
      </section>

      {!can(props.session, 'owner') ? (
        <p class="muted" id="accounts-owner-only">Adding or deleting Odoo accounts needs the owner role; you are signed in as {props.session.role ?? 'viewer'}.</p>
      ) : (
        <AddAccountForm session={props.session} values={props.values} errors={props.errors} problem={props.problem} />
      )}
    </Layout>
  );
}

function AccountsTable(props: { accounts: OdooAccountJson[]; session: ConsoleSession }) {
  return (
    <table class="list" id="accounts">
      <ListHead columns={['Name', 'Odoo', 'User', 'API', 'Connections', 'Added']} actions />
      <tbody>
        {props.accounts.map((account) => (
          <AccountRow account={account} session={props.session} />
        ))}
      </tbody>
    </table>
  );
}

function AccountRow(props: { account: OdooAccountJson; session: ConsoleSession }) {
  const { account } = props;
  return (
    <tr data-account-id={account.id}>
      <td>
        {account.name}
        {account.is_default ? <span class="badge badge-info">default</span> : null}
      </td>
      <td>
        {account.url}
        <div class="muted small">database {account.database}</div>
      </td>
      <td>
        {account.login}
        {account.odoo_user_name ? <div class="muted small">{account.odoo_user_name}</div> : null}
      </td>
      <td>{account.api}</td>
      <td>{account.connections}</td>
      <td>
        <Time iso={account.created_at} />
      </td>
      <td>
        {!can(props.session, 'owner') ? null : account.connections > 0 ? <span class="muted small">In use</span> : <DeleteAccountAction account={account} session={props.session} />}
      </td>
    </tr>
  );
}

/** Only an account no connection uses can be deleted. */
function DeleteAccountAction(props: { account: OdooAccountJson; session: ConsoleSession }) {
  const { account } = props;
  return (
    <ConfirmAction
      id={`delete-${account.id}`}
      label="Delete"
      title={`Delete the Odoo account “${account.name}”?`}
      message={<p>Its encrypted credentials are deleted for good; no connection uses it.</p>}
      action={`/admin/accounts/${encodeURIComponent(account.id)}/delete`}
      confirmLabel="Delete account"
      session={props.session}
      danger
    />
  );
}

function AddAccountForm(props: { session: ConsoleSession; values: AccountFormValues; errors: Errors; problem?: string }) {
  const { values, errors } = props;
  return (
    <section aria-labelledby="add-account-title" class="card">
      <h2 id="add-account-title">Add an Odoo account</h2>
      <p>The gateway signs in to Odoo with these credentials before saving them, and stores the API key encrypted. It is never shown again.</p>
      {props.problem ? (
        <Notice kind="error" title="The account was not added.">
          <p>{props.problem}</p>
        </Notice>
      ) : null}
      <form method="post" action="/admin/accounts" novalidate>
        <CsrfField session={props.session} />
        <div class="grid">
          <TextField name="name" label="Name" value={values.name} errors={errors} required placeholder="Sales bot user" />
          <TextField name="url" label="Odoo URL" value={values.url} errors={errors} required placeholder="https://mycompany.odoo.com" type="url" />
          <TextField name="database" label="Database" value={values.database} errors={errors} required />
          <TextField name="login" label="Login" value={values.login} errors={errors} required autocomplete="off" />
          <div class="field">
            <label for={fieldId('api_key')}>API key</label>
            <input id={fieldId('api_key')} name="api_key" type="password" required autocomplete="new-password" aria-invalid={errors.get('api_key') ? 'true' : undefined} />
            <FieldErrors id={fieldId('api_key')} errors={errors.get('api_key')} />
          </div>
          <div class="field">
            <label for={fieldId('api')}>API</label>
            <select id={fieldId('api')} name="api">
              <option value="json2" selected={values.api !== 'jsonrpc'}>
                JSON-2 (Odoo 19 and later)
              </option>
              <option value="jsonrpc" selected={values.api === 'jsonrpc'}>
                JSON-RPC (any version)
              </option>
            </select>
            <FieldErrors id={fieldId('api')} errors={errors.get('api')} />
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button primary">
            Check and add
          </button>
        </div>
      </form>
    </section>
  );
}
