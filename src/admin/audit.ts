import { Hono, type Context } from 'hono';
import { auditCsvStream } from '../audit/export';
import { encodeCursor, parseAuditQuery, type AuditFilters, type AuditQuery } from '../audit/filters';
import { presentAuditEvent } from '../audit/present';
import { readAuditPage } from '../audit/query';
import { connectionExists } from '../connections/store';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** Read-only routes over the audit trail; mounted under /admin/api behind the admin token. */
export const auditRoutes = new Hono<AppEnv>();

auditRoutes.get('/audit', async (c) => listPage(c, query(c, { paged: true })));

auditRoutes.get('/audit.csv', async (c) => {
  const { filters } = query(c, { paged: false });
  const stream = await auditCsvStream(c.var.services.db, filters);
  const stamp = new Date(c.var.services.now()).toISOString().replace(/[:.]/g, '-');
  return c.body(stream, 200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="audit-${stamp}.csv"`,
    'Cache-Control': 'no-store',
  });
});

auditRoutes.get('/connections/:id/audit', async (c) => {
  const id = c.req.param('id');
  const parsed = query(c, { paged: true, connectionInPath: true });
  if (!(await connectionExists(c.var.services.db, id))) throw new ApiError('not_found', `No connection '${id}'.`);
  return listPage(c, { ...parsed, filters: { ...parsed.filters, connectionId: id } satisfies AuditFilters });
});

function query(c: Context<AppEnv>, options: { paged: boolean; connectionInPath?: boolean }): AuditQuery {
  const parsed = parseAuditQuery(c.req.queries(), { maxLimit: MAX_LIMIT, ...options });
  if (!parsed.ok) throw new ApiError('validation_failed', 'The query is invalid.', { issues: parsed.issues });
  return parsed.query;
}

async function listPage(c: Context<AppEnv>, { filters, limit, cursor }: AuditQuery) {
  const page = await readAuditPage(c.var.services.db, filters, limit ?? DEFAULT_LIMIT, cursor);
  return c.json({ items: page.rows.map(presentAuditEvent), next_cursor: page.next ? encodeCursor(page.next) : null });
}
