import { ApiError } from '../http/errors';
import { endSession, findSession, listSessions } from '../connections/sessions';
import { auditAdminAction } from '../audit/admin-actions';
import { requireConnection } from './connection-context';
import { decodeSessionCursor, encodeSessionCursor } from './connection-cursor';
import { listSessionsQuerySchema, sessionListSchema } from './connection-schemas';
import { defineRoute } from './define-route';
import { presentSession } from './present';
import { invalid } from './request-input';

/** A connection's MCP sessions, newest first; an admin can end one, and the client's next request on it gets 404. */
export const listConnectionSessionsRoute = defineRoute({
  method: 'get',
  path: '/connections/{id}/sessions',
  role: 'viewer',
  operationId: 'listConnectionSessions',
  tag: 'sessions',
  summary: "List a connection's MCP sessions",
  query: listSessionsQuerySchema,
  responses: { 200: { description: 'A page of sessions', schema: sessionListSchema } },
}, async (c, { query }) => {
  const after = query.cursor === undefined ? undefined : decodeSessionCursor(query.cursor);
  if (after === null) throw invalid('The query is invalid.', [{ path: 'cursor', message: 'not a cursor this list handed out' }]);
  const { row } = await requireConnection(c);
  const page = await listSessions(c.var.services.db, row.id, { state: query.state, limit: query.limit, after });
  const last = page.rows.at(-1);
  return c.json({
    items: page.rows.map(presentSession),
    next_cursor: page.hasMore && last ? encodeSessionCursor({ createdAt: last.createdAt, id: last.id }) : null,
  });
});

export const endConnectionSessionRoute = defineRoute({
  method: 'delete',
  path: '/connections/{id}/sessions/{sid}',
  role: 'operator',
  operationId: 'endConnectionSession',
  tag: 'sessions',
  summary: 'End an MCP session',
  responses: { 204: { description: 'The session is ended' } },
}, async (c) => {
  const { db, now } = c.var.services;
  const { row } = await requireConnection(c);
  const sessionId = c.req.param('sid');
  const session = await findSession(db, row.id, sessionId);
  if (!session) throw new ApiError('not_found', `No session '${sessionId}' on connection '${row.id}'.`);
  if (session.endedAt !== null) {
    throw new ApiError('conflict', `The session already ended at ${new Date(session.endedAt).toISOString()} (${session.endedReason ?? 'unknown reason'}).`);
  }
  if (!(await endSession(db, { id: sessionId, connectionId: row.id, reason: 'admin', now: now() }))) {
    throw new ApiError('conflict', 'The session ended while this request ran.');
  }
  auditAdminAction(c, {
    action: 'connection.session_end',
    connectionId: row.id,
    connectionName: row.name,
    keyPublicId: row.keyPublicId,
    detail: { session_id: sessionId, client: { name: session.clientName, version: session.clientVersion } },
  });
  return c.body(null, 204);
});
