import { Hono } from 'hono';
import type { AuditEventJson, ConnectionJson, ConnectionRow, Page } from '../api-types';
import { issuesOf } from '../api-types';
import { resolveConnectionChoice, type ConnectionChoice } from '../audit-connection';
import type { ConsoleEnv } from '../context';
import { utcInputToIso } from '../format';
import { consoleHeaders, requireSession } from '../middleware';
import { AuditPage, type AuditFilters } from '../views/audit';
import { asStatus, type ConsoleContext } from './shared';

/** Names offered while typing in the connection filter; any other name is still found when submitted. */
const NAMES_OFFERED = 200;

export const auditPages = new Hono<ConsoleEnv>();

auditPages.use('*', consoleHeaders, requireSession);

auditPages.get('/', async (c) => {
  const filters = readFilters(c);
  const [choice, offered] = await Promise.all([chooseConnection(c, filters), c.var.api.get<Page<ConnectionRow>>('/connections', { sort: 'name', limit: String(NAMES_OFFERED) })]);
  const names = offered.ok ? [...new Set(offered.body.items.map((row) => row.name))] : [];
  const shown = { ...filters, connection_id: choice.kind === 'found' ? choice.id : filters.connection_id, connection: choice.kind === 'found' ? choice.name : filters.connection };
  // A connection filter that names no single connection lists nothing rather than every event.
  if (choice.kind !== 'found' && choice.kind !== 'none') {
    return c.html(<AuditPage session={c.var.session} filters={shown} connectionNames={names} choice={choice} events={[]} nextCursor={null} />);
  }
  const result = await c.var.api.get<Page<AuditEventJson>>('/audit', { ...apiQuery(shown), cursor: filters.cursor || undefined, limit: '50' });
  return c.html(
    <AuditPage
      session={c.var.session}
      filters={shown}
      connectionNames={names}
      choice={choice}
      events={result.ok ? result.body.items : []}
      nextCursor={result.ok ? result.body.next_cursor : null}
      error={result.ok ? undefined : result.error.message}
      issues={result.ok ? [] : issuesOf(result.error.details)}
    />,
    result.ok ? 200 : asStatus(result.status),
  );
});

/** The API's CSV, passed through under the console session (a download link cannot send the admin token). */
auditPages.get('/export.csv', async (c) => {
  const filters = readFilters(c);
  const choice = await chooseConnection(c, filters);
  if (choice.kind !== 'found' && choice.kind !== 'none') return c.text('The connection filter names no single connection; choose one on the audit page first.', 400);
  const response = await c.var.api.raw('/audit.csv', apiQuery({ ...filters, connection_id: choice.kind === 'found' ? choice.id : filters.connection_id }));
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    return c.text(body?.error?.message ?? `The export failed (${response.status}).`, asStatus(response.status));
  }
  const headers = new Headers({
    'content-type': response.headers.get('content-type') ?? 'text/csv; charset=utf-8',
    'content-disposition': response.headers.get('content-disposition') ?? 'attachment; filename="audit.csv"',
    'cache-control': 'no-store',
  });
  return new Response(response.body, { status: 200, headers });
});

/**
 * The connection the filter means: `connection_id` (from links) as it is,
 * else what the admin typed in `connection`, a name or an id, looked up
 * through the API's name search.
 */
async function chooseConnection(c: ConsoleContext, filters: AuditFilters): Promise<ConnectionChoice> {
  if (filters.connection_id) {
    const known = await c.var.api.get<ConnectionJson>(`/connections/${encodeURIComponent(filters.connection_id)}`);
    // An id without a connection row (its events outlived it) still filters by id.
    return { kind: 'found', id: filters.connection_id, name: known.ok ? known.body.name : filters.connection_id };
  }
  const typed = filters.connection;
  if (!typed) return { kind: 'none' };
  if (/^con_[A-Za-z0-9]+$/.test(typed)) {
    const byId = await c.var.api.get<ConnectionJson>(`/connections/${encodeURIComponent(typed)}`);
    if (byId.ok) return { kind: 'found', id: byId.body.id, name: byId.body.name };
  }
  const search = await c.var.api.get<Page<ConnectionRow>>('/connections', { q: typed, sort: 'name', limit: '50' });
  if (!search.ok) return { kind: 'refused', typed, message: search.error.message };
  return resolveConnectionChoice(typed, search.body.items);
}

function readFilters(c: ConsoleContext): AuditFilters {
  const read = (name: string) => c.req.query(name)?.trim() ?? '';
  return {
    connection: read('connection'),
    connection_id: read('connection_id'),
    kind: read('kind'),
    outcome: read('outcome'),
    model: read('model'),
    tool: read('tool'),
    from: read('from'),
    to: read('to'),
    cursor: read('cursor'),
  };
}

function apiQuery(filters: AuditFilters): Record<string, string | undefined> {
  return {
    connection_id: filters.connection_id || undefined,
    kind: filters.kind || undefined,
    outcome: filters.outcome || undefined,
    model: filters.model || undefined,
    tool: filters.tool || undefined,
    from: utcInputToIso(filters.from),
    to: utcInputToIso(filters.to),
  };
}
