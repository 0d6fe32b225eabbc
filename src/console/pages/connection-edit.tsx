import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { issuesOf, type ConnectionJson, type ValidationIssue } from '../api-types';
import type { ConsoleEnv } from '../context';
import { describeChanges, editValuesOf, readEditForm, updateRequestBody, validityEditable, type EditValues } from '../edit-form';
import { formatTime } from '../format';
import { precheckUpdateBody } from '../precheck';
import type { ScopeLayout } from '../scope-form';
import { ConfirmEditPage, EditConnectionPage } from '../views/edit';
import type { Errors } from '../views/scope-fields';
import { asStatus, errorsInWords, renderApiFailure, switchScopeMode, type ConsoleContext } from './shared';

/**
 * Editing a connection: the form (prefilled), a confirmation that shows
 * old → new, then PATCH /admin/api/connections/:id, which audits the change
 * as connection.update. The form carries the connection's updated_at; a
 * form older than the connection saves nothing, checked here and again by
 * the API through If-Match, so a change made meanwhile is never overwritten.
 * Mounted inside connectionPages, behind its session and CSRF checks.
 */
export const connectionEditPages = new Hono<ConsoleEnv>();

connectionEditPages.get('/:id/edit', async (c) => {
  const current = await readConnection(c);
  if (!current.ok) return renderApiFailure(c, current, 'Connection not found');
  return renderEdit(c, current.body, editValuesOf(current.body));
});

connectionEditPages.post('/:id/edit', async (c) => {
  const current = await readConnection(c);
  if (!current.ok) return renderApiFailure(c, current, 'Connection not found');
  const connection = current.body;
  const form = c.var.form;
  const intent = form.get('intent') ?? 'review';
  const values = readEditForm(form);

  if (intent === 'to_json' || intent === 'to_form') {
    const switched = switchScopeMode(values, intent);
    return renderEdit(c, connection, switched.values, { errors: switched.errors, problem: switched.problem, status: 200 });
  }
  if (intent === 'back') return renderEdit(c, connection, values);
  if (values.version !== connection.updated_at) return renderStale(c, connection);

  const now = c.var.services.now();
  const { body, issues, layout, scope } = updateRequestBody(values, connection);
  const validity = { notBefore: toMs(connection.not_before), expiresAt: toMs(connection.expires_at) };
  if (issues.length === 0 && Object.keys(body).length === 0) {
    return renderEdit(c, connection, values, { notice: 'This form says what the connection says already, so there is nothing to save.' });
  }
  const found = [...issues, ...precheckUpdateBody(body, issues, validity, now)];
  if (found.length) return renderRefused(c, connection, values, found, scope, layout, 'Nothing was saved');

  if (intent !== 'apply') {
    const fields = [...form.entries()].filter(([name]) => name !== '_csrf' && name !== 'intent');
    return c.html(<ConfirmEditPage session={c.var.session} connection={connection} changes={describeChanges(body, connection, now)} fields={fields} now={now} />);
  }

  const saved = await c.var.api.patch<ConnectionJson>(connectionPath(c), body, { 'if-match': `"${connection.updated_at}"` });
  if (saved.ok) return c.redirect(`/admin/connections/${encodeURIComponent(connection.id)}?done=updated`, 303);
  if (saved.error.code === 'conflict') {
    const fresh = await readConnection(c);
    return fresh.ok ? renderStale(c, fresh.body) : renderApiFailure(c, fresh);
  }
  const apiIssues = issuesOf(saved.error.details);
  if (apiIssues.length) return renderRefused(c, connection, values, apiIssues, scope, layout, `${saved.error.message} Nothing was saved`, asStatus(saved.status));
  return renderEdit(c, connection, values, { problem: `${saved.error.message} Nothing was saved.`, status: asStatus(saved.status) });
});

function readConnection(c: ConsoleContext) {
  return c.var.api.get<ConnectionJson>(connectionPath(c));
}

function renderEdit(
  c: ConsoleContext,
  connection: ConnectionJson,
  values: EditValues,
  options: { errors?: Errors; problem?: string; notice?: string; status?: ContentfulStatusCode } = {},
) {
  return c.html(
    <EditConnectionPage
      session={c.var.session}
      connection={connection}
      values={values}
      errors={options.errors ?? new Map()}
      problem={options.problem}
      notice={options.notice}
      validityEditable={validityEditable(connection)}
    />,
    options.status ?? (options.problem && options.errors?.size ? 400 : 200),
  );
}

function renderRefused(
  c: ConsoleContext,
  connection: ConnectionJson,
  values: EditValues,
  issues: ValidationIssue[],
  scope: unknown,
  layout: ScopeLayout,
  lead: string,
  status: ContentfulStatusCode = 400,
) {
  const errors = errorsInWords(issues, values, scope, layout);
  const problem = `${lead}: ${errors.size === 1 ? 'one field needs' : `${errors.size} fields need`} a change.`;
  return renderEdit(c, connection, values, { errors, problem, status });
}

/** Someone else changed the connection after this form was filled: nothing is overwritten, and the form shows it as it is now. */
function renderStale(c: ConsoleContext, connection: ConnectionJson) {
  const problem = `This connection was changed (at ${formatTime(connection.updated_at)}) after this form was opened, so nothing was saved. The form below shows the connection as it is now: make your change again.`;
  return renderEdit(c, connection, editValuesOf(connection), { problem, status: 409 });
}

function connectionPath(c: ConsoleContext): string {
  return `/connections/${encodeURIComponent(c.req.param('id')!)}`;
}

function toMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}
