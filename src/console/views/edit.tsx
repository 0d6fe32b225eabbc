import type { ConnectionJson } from '../api-types';
import type { EditChange, EditValues } from '../edit-form';
import type { ConsoleSession } from '../session';
import { CsrfField, Notice, Time } from './components';
import { ProblemSummary, ScopeEditor, ValidityFields } from './form-parts';
import { Layout } from './layout';
import { ScopeDescription } from './scope-description';
import { TextField, type Errors } from './scope-fields';

function basePath(connection: ConnectionJson): string {
  return `/admin/connections/${encodeURIComponent(connection.id)}`;
}

function Breadcrumb(props: { connection: ConnectionJson }) {
  return (
    <p class="breadcrumb">
      <a href="/admin/connections">Connections</a> / <a href={basePath(props.connection)}>{props.connection.name}</a> /
    </p>
  );
}

/** What editing means in the connection's state, said before the form. */
function StateNote(props: { connection: ConnectionJson }) {
  if (props.connection.status === 'revoked') {
    return <Notice kind="info">This connection is revoked and stays revoked: what you change here is kept, and applies once it is reactivated.</Notice>;
  }
  if (props.connection.status === 'expired') {
    return <Notice kind="info">Its validity ended. Name and scope can change here; a new validity is given with Reactivate on the connection page.</Notice>;
  }
  return null;
}

export function EditConnectionPage(props: {
  session: ConsoleSession;
  connection: ConnectionJson;
  values: EditValues;
  errors: Errors;
  problem?: string;
  notice?: string;
  validityEditable: boolean;
}) {
  const { connection, values, errors } = props;
  return (
    <Layout title={`Edit ${connection.name}`} session={props.session} section="connections">
      <Breadcrumb connection={connection} />
      <h1>Edit {connection.name}</h1>
      <StateNote connection={connection} />
      {props.notice ? <Notice kind="info">{props.notice}</Notice> : null}
      <ProblemSummary problem={props.problem} errors={errors} />
      <form method="post" action={`${basePath(connection)}/edit`} class="card wizard" novalidate>
        <CsrfField session={props.session} />
        <input type="hidden" name="version" value={values.version} />
        {/* The form's default button, so Enter in any field reviews the changes. */}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the form's default button for Enter, out of the tab order and hidden from assistive tech, which use the visible button with the same effect. */}
        <button type="submit" name="intent" value="review" class="visually-hidden" tabindex={-1} aria-hidden="true">
          Review changes
        </button>
        <div class="grid">
          <TextField name="name" label="Name" hint="Who or what uses this key." value={values.name} errors={errors} required />
        </div>
        <ScopeEditor values={values} errors={errors} />
        {props.validityEditable ? <ValidityFields values={values} errors={errors} editing /> : null}
        <div class="actions">
          <button type="submit" name="intent" value="review" class="button primary">
            Review changes
          </button>
          <a class="button" href={basePath(connection)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

const LABELS: Record<EditChange['field'], string> = { name: 'Name', scope: 'Scope', not_before: 'Valid from', expires_at: 'Expires' };

function ValidityValue(props: { iso: string | null; empty: string; now: number }) {
  if (!props.iso) return <span>{props.empty}</span>;
  return (
    <>
      <Time iso={props.iso} now={props.now} /> <span class="muted small">({props.iso.slice(0, 16).replace('T', ' ')} UTC)</span>
    </>
  );
}

function Before(props: { change: EditChange; now: number }) {
  const { change } = props;
  if (change.field === 'name') return <>{change.before}</>;
  if (change.field === 'scope') return <ScopeDescription scope={change.before} compareTo={{ scope: change.after, mark: 'removed' }} />;
  return <ValidityValue iso={change.before} empty={change.field === 'not_before' ? 'No start' : 'Never'} now={props.now} />;
}

function After(props: { change: EditChange; now: number }) {
  const { change } = props;
  if (change.field === 'name') return <strong>{change.after}</strong>;
  if (change.field === 'scope') return <ScopeDescription scope={change.after} compareTo={{ scope: change.before, mark: 'added' }} />;
  return (
    <>
      <ValidityValue iso={change.after} empty={change.field === 'not_before' ? 'No start' : 'Never'} now={props.now} />
      {change.field === 'expires_at' && change.validForDays !== undefined ? <span class="muted small"> — {change.validForDays} days from when you save</span> : null}
    </>
  );
}

/**
 * The step between the form and the change: what changes, old → new, the
 * scope in words. The form's fields ride along hidden, so Back returns to the
 * form as it was filled and Save sends exactly what was reviewed.
 */
export function ConfirmEditPage(props: { session: ConsoleSession; connection: ConnectionJson; changes: EditChange[]; fields: Array<[string, string]>; now: number }) {
  const { connection } = props;
  return (
    <Layout title={`Save changes to ${connection.name}?`} session={props.session} section="connections">
      <Breadcrumb connection={connection} />
      <h1>Save these changes to {connection.name}?</h1>
      <StateNote connection={connection} />
      <section class="card" aria-labelledby="changes-title">
        <h2 id="changes-title">
          {props.changes.length === 1 ? 'One change' : `${props.changes.length} changes`}; it takes effect on the next MCP request of this connection
        </h2>
        <table class="list changes">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Now</th>
              <th scope="col">After saving</th>
            </tr>
          </thead>
          <tbody>
            {props.changes.map((change) => (
              <tr data-change={change.field}>
                <th scope="row" data-label="What">
                  {LABELS[change.field]}
                </th>
                <td data-label="Now">
                  <Before change={change} now={props.now} />
                </td>
                <td data-label="After saving">
                  <After change={change} now={props.now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action={`${basePath(connection)}/edit`}>
          <CsrfField session={props.session} />
          {props.fields.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <div class="actions">
            <button type="submit" name="intent" value="apply" class="button primary">
              Save changes
            </button>
            <button type="submit" name="intent" value="back" class="button">
              Back to the form
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
