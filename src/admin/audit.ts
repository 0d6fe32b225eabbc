import type { Context } from 'hono';
import { z } from 'zod';
import { auditCsvStream } from '../audit/export';
import { encodeCursor, KINDS, OUTCOMES, parseAuditQuery, type AuditFilters, type AuditParameter, type AuditQuery } from '../audit/filters';
import { auditEventJsonSchema, presentAuditEvent } from '../audit/present';
import { readAuditPage } from '../audit/query';
import { connectionExists } from '../connections/store';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';
import { defineRoute } from './define-route';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const auditTime = z.string().meta({ description: 'An ISO 8601 time such as 2026-01-31T23:00:00Z, or a date such as 2026-01-31 (midnight UTC)' });

/**
 * What parseAuditQuery (src/audit/filters.ts) reads, as the document shows it: the parser's own schema
 * takes strings and transforms them, which a JSON Schema cannot say. The type keeps both to the same parameters.
 */
const auditQuerySchema = z.strictObject({
  connection_id: z.string().min(1).max(100).optional(),
  from: auditTime.optional().meta({ description: 'Events at or after this time (ISO 8601 time or date)' }),
  to: auditTime.optional().meta({ description: 'Events before this time (ISO 8601 time or date)' }),
  outcome: z.enum(OUTCOMES).optional(),
  kind: z.enum(KINDS).optional().meta({ description: 'mcp: a tools call; admin: an admin API action; system: cron' }),
  model: z.string().min(1).max(128).optional(),
  tool: z.string().min(1).max(100).optional(),
  actor: z.string().min(1).max(320).optional().meta({ description: 'Admin events of one admin: a Cloudflare Access email, or an admin token id (adt_...; admin-token for ADMIN_TOKEN)' }),
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ description: 'Default 50' }),
  cursor: z.string().max(300).optional().meta({ description: 'next_cursor of the previous page' }),
} satisfies Record<AuditParameter, z.ZodType>);

const auditListSchema = z.object({ items: z.array(auditEventJsonSchema), next_cursor: z.string().nullable() });

/** Read-only routes over the audit trail; served under /admin/api behind the admin token. */
export const listAuditRoute = defineRoute({
  method: 'get',
  path: '/audit',
  role: 'viewer',
  operationId: 'listAudit',
  tag: 'audit',
  summary: 'Audit events',
  query: auditQuerySchema,
  readQuery: (c) => readAuditQuery(c, { paged: true }),
  responses: { 200: { description: 'A page of audit events, newest first', schema: auditListSchema } },
}, async (c, { query }) => listPage(c, query));

export const exportAuditCsvRoute = defineRoute({
  method: 'get',
  path: '/audit.csv',
  role: 'viewer',
  operationId: 'exportAuditCsv',
  tag: 'audit',
  summary: 'Audit events as CSV',
  description: 'Streams every matching event (not paged), with a header line; the columns are the fields of an audit event.',
  query: auditQuerySchema.omit({ cursor: true, limit: true }),
  readQuery: (c) => readAuditQuery(c, { paged: false }),
  responses: { 200: { description: 'The matching audit events, one per line', schema: z.string(), mediaType: 'text/csv' } },
}, async (c, { query: { filters } }) => {
  const stream = await auditCsvStream(c.var.services.db, filters);
  const stamp = new Date(c.var.services.now()).toISOString().replace(/[:.]/g, '-');
  return c.body(stream, 200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="audit-${stamp}.csv"`,
    'Cache-Control': 'no-store',
  });
});

export const listConnectionAuditRoute = defineRoute({
  method: 'get',
  path: '/connections/{id}/audit',
  role: 'viewer',
  operationId: 'listConnectionAudit',
  tag: 'audit',
  summary: "A connection's audit events",
  query: auditQuerySchema.omit({ connection_id: true }),
  readQuery: (c) => readAuditQuery(c, { paged: true, connectionInPath: true }),
  responses: { 200: { description: 'A page of audit events, newest first', schema: auditListSchema } },
}, async (c, { query: parsed }) => {
  const id = c.req.param('id');
  if (!(await connectionExists(c.var.services.db, id))) throw new ApiError('not_found', `No connection '${id}'.`);
  return listPage(c, { ...parsed, filters: { ...parsed.filters, connectionId: id } satisfies AuditFilters });
});

/** The declared query schemas above document what this reads; test/unit/admin/route-input.test.ts keeps them to the same parameters. */
function readAuditQuery(c: Context<AppEnv>, options: { paged: boolean; connectionInPath?: boolean }): AuditQuery {
  const parsed = parseAuditQuery(c.req.queries(), { maxLimit: MAX_LIMIT, ...options });
  if (!parsed.ok) throw new ApiError('validation_failed', 'The query is invalid.', { issues: parsed.issues });
  return parsed.query;
}

async function listPage(c: Context<AppEnv>, { filters, limit, cursor }: AuditQuery) {
  const page = await readAuditPage(c.var.services.db, filters, limit ?? DEFAULT_LIMIT, cursor);
  return c.json({ items: page.rows.map(presentAuditEvent), next_cursor: page.next ? encodeCursor(page.next) : null });
}
