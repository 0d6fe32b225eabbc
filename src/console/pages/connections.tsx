import { Hono } from 'hono';
import type { ApprovalSummaryJson } from '../../admin/approval-schemas';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AuditEventJson, ConnectionJson, ConnectionRow, ConnectionUsageJson, CreatedConnectionJson, IssuedKeyJson, OdooAccountJson, Page, SessionJson, UsageListJson } from '../api-types';
import { issuesOf } from '../api-types';
import { fieldIssueInWords } from '../issue-words';
import { precheckCreateBody } from '../precheck';
import type { ConsoleEnv } from '../context';
import { consoleHeaders, requireSameOriginForm, requireSession } from '../middleware';
import { claimSubmission, completeSubmission, isSubmissionId, newSubmissionId, releaseSubmission, takeCreated } from '../submissions';
import { createRequestBody, defaultWizardValues, readWizardForm, type WizardValues } from '../scope-form';
import type { Errors } from '../views/scope-fields';
import { ConnectionPage } from '../views/connection';
import { ConnectionsListPage, type ListFilters } from '../views/connections-list';
import { DonePage, NewKeyPage } from '../views/done';
import { connectionEditPages } from './connection-edit';
import { invitationPages } from './invitations';
import { WizardDetailsPage, WizardMethodPage } from '../views/wizard';
import { asStatus, errorsInWords, mcpUrlFor, noticeFor, renderApiFailure, snippetsFor, switchScopeMode, type ConsoleContext } from './shared';

const NOTICES = {
  revoked: 'Connection revoked: its key stopped working and its MCP sessions were ended.',
  reactivated: 'Connection reactivated. It has no key yet: generate one to let a client connect.',
  session_ended: 'The MCP session was ended.',
  updated: 'Connection saved: the change holds from its next MCP request.',
  already_created: 'This form had already created this connection, so nothing more was created. Its key was shown once and is not stored: rotate the key if it was not copied.',
  key_shown: 'The key of this connection was shown once and is not stored: rotate the key if it was not copied.',
};

export const connectionPages = new Hono<ConsoleEnv>();

connectionPages.use('*', consoleHeaders, requireSession, requireSameOriginForm);
connectionPages.route('/invitations', invitationPages);
connectionPages.route('/', connectionEditPages);

connectionPages.get('/', async (c) => {
  const filters: ListFilters = {
    status: c.req.query('status') ?? '',
    q: c.req.query('q')?.trim() ?? '',
    sort: c.req.query('sort') || 'last_used',
    cursor: c.req.query('cursor') ?? '',
  };
  // Longest idle first: the API counts never-used connections as the oldest.
  const order = filters.sort === 'last_used' ? 'asc' : undefined;
  const result = await c.var.api.get<Page<ConnectionRow>>('/connections', { ...filters, order, limit: '50' });
  // One usage query for the whole page, never one per row.
  const ids = result.ok ? result.body.items.map((row) => row.id) : [];
  const usage = ids.length ? await c.var.api.get<UsageListJson>('/usage', { connection_ids: ids.join(',') }) : null;
  return c.html(
    <ConnectionsListPage
      session={c.var.session}
      filters={filters}
      rows={result.ok ? result.body.items : []}
      usage={usage?.ok ? new Map(usage.body.items.map((item) => [item.connection_id, item])) : null}
      nextCursor={result.ok ? result.body.next_cursor : null}
      now={c.var.services.now()}
      error={result.ok ? undefined : result.error.message}
    />,
    result.ok ? 200 : asStatus(result.status),
  );
});

connectionPages.get('/new', (c) => c.html(<WizardMethodPage session={c.var.session} />));

connectionPages.get('/new/details', async (c) => renderDetails(c, defaultWizardValues(), new Map()));

connectionPages.post('/new', async (c) => {
  const values = readWizardForm(c.var.form);
  const intent = c.var.form.get('intent');
  if (intent === 'to_json' || intent === 'to_form') {
    const switched = switchScopeMode(values, intent);
    return renderDetails(c, switched.values, switched.errors, switched.problem, 200);
  }
  const { db, keys, now } = c.var.services;
  const { body, issues, layout } = createRequestBody(values);
  // Every problem at once: the console's own, the body's and the scope's, before anything is sent.
  const found = [...issues, ...precheckCreateBody(body, issues, now())];
  if (found.length) {
    const errors = errorsInWords(found, values, body.scope, layout);
    return renderDetails(c, values, errors, `Nothing was created: ${errors.size === 1 ? 'one field needs' : `${errors.size} fields need`} a change.`);
  }
  const sessionId = c.var.session.id;
  if (!isSubmissionId(values.submission)) {
    return renderDetails(c, { ...values, submission: newSubmissionId() }, new Map(), 'This form is out of date, so nothing was created. Check the fields and create again.', 400);
  }
  // Claimed before the create: a reload, Back and resubmit, or a double click finds the form used.
  const claim = await claimSubmission(db, sessionId, values.submission, now());
  if (!claim.claimed) {
    if (claim.connectionId) return c.redirect(`/admin/connections/${encodeURIComponent(claim.connectionId)}?done=already_created`, 303);
    return renderDetails(c, values, new Map(), 'This form is being submitted already; nothing more was created. Open the connections list in a moment.', 409);
  }
  const created = await c.var.api.post<CreatedConnectionJson>('/connections', body);
  if (!created.ok) {
    await releaseSubmission(db, sessionId, values.submission);
    const errors = errorsInWords(issuesOf(created.error.details), values, body.scope, layout);
    return renderDetails(c, values, errors, `${created.error.message} Nothing was created.`, asStatus(created.status));
  }
  const id = created.body.connection.id;
  await completeSubmission(db, keys.credentials, sessionId, values.submission, id, created.body);
  return c.redirect(`/admin/connections/${encodeURIComponent(id)}/created?submission=${encodeURIComponent(values.submission)}`, 303);
});

/** The Done page after the create's redirect: shows the key once; a reload or Back finds it gone and creates nothing. */
connectionPages.get('/:id/created', async (c) => {
  const { db, keys, now } = c.var.services;
  const created = await takeCreated<CreatedConnectionJson>(db, keys.credentials, c.var.session.id, c.req.query('submission') ?? '', c.req.param('id'), now());
  if (!created) return c.redirect(`${consolePath(c)}?done=key_shown`, 303);
  const { connection, key, mcp_url: mcpUrl } = created;
  return c.html(<DonePage session={c.var.session} connection={connection} mcpUrl={mcpUrl} apiKey={key} snippets={snippetsFor(mcpUrl, key, connection.name)} />);
});

connectionPages.get('/:id', async (c) => renderConnection(c));

connectionPages.post('/:id/rotate', async (c) => {
  const current = await c.var.api.get<ConnectionJson>(connectionPath(c));
  if (!current.ok) return renderApiFailure(c, current);
  // The form names the key it was shown for: a resubmitted or stale form must not rotate a second time.
  if (c.var.form.get('key_public_id') !== current.body.key_public_id) {
    return renderConnection(c, { error: 'This key was rotated or removed since the page was loaded; reload the page to see the current key.' }, 409);
  }
  return issueKey(c, 'rotate', 'rotated');
});

connectionPages.post('/:id/keys', async (c) => issueKey(c, 'keys', 'generated'));

connectionPages.post('/:id/revoke', async (c) => {
  const reason = c.var.form.get('reason')?.trim();
  const result = await c.var.api.post(`${connectionPath(c)}/revoke`, reason ? { reason } : {});
  if (!result.ok) return renderConnection(c, { error: result.error.message }, asStatus(result.status));
  return c.redirect(`${consolePath(c)}?done=revoked`, 303);
});

connectionPages.post('/:id/reactivate', async (c) => {
  const validity = c.var.form.get('validity');
  const days = c.var.form.get('valid_for_days') ?? '';
  const body = validity === 'none' ? { expires_at: null } : validity === 'days' ? { valid_for_days: days === '' ? undefined : Number(days) } : {};
  const result = await c.var.api.post(`${connectionPath(c)}/reactivate`, body);
  if (!result.ok) return renderConnection(c, { error: describeFailure(result.error, { valid_for_days: ['Number of days', days] }) }, asStatus(result.status));
  return c.redirect(`${consolePath(c)}?done=reactivated`, 303);
});

connectionPages.post('/:id/sessions/:sid/end', async (c) => {
  const result = await c.var.api.delete(`${connectionPath(c)}/sessions/${encodeURIComponent(c.req.param('sid'))}`);
  if (!result.ok) return renderConnection(c, { error: result.error.message }, asStatus(result.status));
  return c.redirect(`${consolePath(c)}?done=session_ended`, 303);
});

async function issueKey(c: ConsoleContext, route: 'rotate' | 'keys', reason: 'rotated' | 'generated') {
  const issued = await c.var.api.post<IssuedKeyJson>(`${connectionPath(c)}/${route}`);
  if (!issued.ok) return renderConnection(c, { error: issued.error.message }, asStatus(issued.status));
  const mcpUrl = issued.body.mcp_url ?? mcpUrlFor(c);
  return c.html(
    <NewKeyPage
      session={c.var.session}
      connection={issued.body.connection}
      reason={reason}
      mcpUrl={mcpUrl}
      apiKey={issued.body.key}
      snippets={snippetsFor(mcpUrl, issued.body.key, issued.body.connection.name)}
    />,
  );
}

async function renderConnection(c: ConsoleContext, messages: { error?: string } = {}, status: ContentfulStatusCode = 200) {
  const [connection, sessions, events, usage, approvals] = await Promise.all([
    c.var.api.get<ConnectionJson>(connectionPath(c)),
    c.var.api.get<Page<SessionJson>>(`${connectionPath(c)}/sessions`, { limit: '20' }),
    c.var.api.get<Page<AuditEventJson>>(`${connectionPath(c)}/audit`, { limit: '10' }),
    c.var.api.get<ConnectionUsageJson>(`${connectionPath(c)}/usage`),
    c.var.api.get<Page<ApprovalSummaryJson>>('/approvals', { connection_id: c.req.param('id'), limit: '20' }),
  ]);
  if (!connection.ok) return renderApiFailure(c, connection, 'Connection not found');
  return c.html(
    <ConnectionPage
      session={c.var.session}
      connection={connection.body}
      sessions={sessions.ok ? sessions.body.items : null}
      events={events.ok ? events.body.items : null}
      usage={usage.ok ? usage.body : null}
      approvals={approvals.ok ? approvals.body.items : null}
      notice={noticeFor(c.req.query('done'), NOTICES)}
      error={messages.error}
    />,
    status,
  );
}

async function renderDetails(c: ConsoleContext, values: WizardValues, errors: Errors, problem?: string, status: ContentfulStatusCode = problem ? 400 : 200) {
  const accounts = await c.var.api.get<Page<OdooAccountJson>>('/odoo-accounts', { limit: '200' });
  return c.html(
    <WizardDetailsPage
      session={c.var.session}
      values={values}
      accounts={accounts.ok ? accounts.body.items : []}
      accountsError={accounts.ok ? undefined : `Odoo accounts could not be listed: ${accounts.error.message}`}
      errors={errors}
      problem={problem}
    />,
    status,
  );
}

/** An action's refusal with its issues in words; `fields` names the form's fields by label and typed value. */
function describeFailure(error: { message: string; details: unknown }, fields: Record<string, [label: string, typed: string]>): string {
  const issues = issuesOf(error.details);
  const words = issues.map((issue) => {
    const field = fields[issue.path];
    return field ? fieldIssueInWords(field[0], field[1], issue.message) : `${issue.path}: ${issue.message}`;
  });
  return words.length ? `${error.message} ${words.join('; ')}` : error.message;
}

function connectionPath(c: ConsoleContext): string {
  return `/connections/${encodeURIComponent(c.req.param('id')!)}`;
}

function consolePath(c: ConsoleContext): string {
  return `/admin/connections/${encodeURIComponent(c.req.param('id')!)}`;
}
