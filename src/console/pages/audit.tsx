import { Hono } from 'hono';
import type { AuditEventJson, Page } from '../api-types';
import type { ConsoleEnv } from '../context';
import { utcInputToIso } from '../format';
import { consoleHeaders, requireSession } from '../middleware';
import { AuditPage, type AuditFilters } from '../views/audit';
import { asStatus, type ConsoleContext } from './shared';

export const auditPages = new Hono<ConsoleEnv>();

auditPages.use('*', consoleHeaders, requireSession);

auditPages.get('/', async (c) => {
  const filters = readFilters(c);
  const result = await c.var.api.get<Page<AuditEventJson>>('/audit', { ...apiQuery(filters), cursor: filters.cursor || undefined, limit: '50' });
  return c.html(
    <AuditPage
      session={c.var.session}
      filters={filters}
      events={result.ok ? result.body.items : []}
      nextCursor={result.ok ? result.body.next_cursor : null}
      error={result.ok ? undefined : result.error.message}
    />,
    result.ok ? 200 : asStatus(result.status),
  );
});

/** The API's CSV, passed through under the console session (a download link cannot send the admin token). */
auditPages.get('/export.csv', async (c) => {
  const response = await c.var.api.raw('/audit.csv', apiQuery(readFilters(c)));
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

function readFilters(c: ConsoleContext): AuditFilters {
  const read = (name: string) => c.req.query(name)?.trim() ?? '';
  return {
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
