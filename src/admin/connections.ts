import { z } from 'zod';
import { resolveAccount } from '../accounts/resolve-account';
import { ApiError } from '../http/errors';
import { summarizeScope } from '../policy/scope-summary';
import { adminActorOf, auditAdminAction } from '../audit/admin-actions';
import { connectionListSchema, connectionSchema, createConnectionSchema, listConnectionsQuerySchema, scopeOverride, updateConnectionSchema } from './connection-schemas';
import { freshKey, insertConnection, updateConnectionIfUnchanged, type ConnectionChanges } from '../connections/store';
import { resolveValidity } from '../connections/validity';
import { decodeConnectionCursor, encodeConnectionCursor } from './connection-cursor';
import { listConnections, sortValueOf } from '../connections/query';
import { statusOf } from '../connections/status';
import { changedMeanwhile, changedSinceRead, connectionEtag, present, refreshListLastUsed, requireConnection, withFreshLastUsed } from './connection-context';
import { defineRoute } from './define-route';
import { presentConnection, presentConnectionSummary } from './present';
import { invalid, parseScopeOrThrow } from './request-input';
import { buildSnippets, snippetsSchema } from '../snippets/snippets';

const createdConnectionSchema = z.object({
  connection: connectionSchema,
  key: z.string().meta({ description: 'The key, shown this once; only its hash is stored' }),
  mcp_url: z.string().meta({ description: 'The MCP endpoint to give the client', format: 'uri' }),
  snippets: snippetsSchema,
});

export const createConnectionRoute = defineRoute({
  method: 'post',
  path: '/connections',
  role: 'operator',
  operationId: 'createConnection',
  tag: 'connections',
  summary: 'Create a connection and its key',
  description: 'The key is shown in this answer only. `snippets` holds ready-to-paste setup for each MCP client.',
  body: { schema: createConnectionSchema, required: true, overrides: scopeOverride },
  responses: { 201: { description: 'The connection, its key and client setup', schema: createdConnectionSchema } },
  errors: ['odoo_credentials_refused', 'odoo_unreachable', 'not_configured'],
}, async (c, { body }) => {
  const { db, config, keys, now } = c.var.services;
  const scope = parseScopeOrThrow(body.scope);
  const createdAt = now();
  const validity = resolveValidity(body, { notBefore: null, expiresAt: null }, createdAt);
  if (!validity.ok) throw invalid('The validity is invalid.', [validity.issue]);

  const account = await resolveAccount(c, body.odoo_account_id);
  const id = `con_${crypto.randomUUID().replaceAll('-', '')}`;
  const { key, columns } = await freshKey(keys.pepper, createdAt);
  const row = {
    id,
    name: body.name,
    odooAccountId: account.id,
    scope,
    state: 'active' as const,
    ...columns,
    ...validity.validity,
    logPayloads: body.log_payloads,
    createdBy: adminActorOf(c),
    createdAt,
    updatedAt: createdAt,
  };
  const stored = await insertConnection(db, row);
  auditAdminAction(c, {
    action: 'connection.create',
    connectionId: id,
    connectionName: row.name,
    keyPublicId: columns.keyPublicId,
    detail: { scope_summary: summarizeScope(scope) },
  });
  const mcpUrl = `${config.PUBLIC_URL ?? new URL(c.req.url).origin}/mcp`;
  return c.json(
    {
      connection: presentConnection({ row: stored, odooUser: account.odooUser, lastUsedAt: null }, createdAt, config.CONNECTED_WINDOW),
      key,
      mcp_url: mcpUrl,
      snippets: buildSnippets(mcpUrl, key, row.name),
    },
    201,
  );
});

export const listConnectionsRoute = defineRoute({
  method: 'get',
  path: '/connections',
  role: 'viewer',
  operationId: 'listConnections',
  tag: 'connections',
  summary: 'List connections',
  query: listConnectionsQuerySchema,
  responses: { 200: { description: 'A page of connections', schema: connectionListSchema } },
}, async (c, { query }) => {
  const { db, config, now } = c.var.services;
  const order = query.order ?? (query.sort === 'name' ? 'asc' : 'desc');
  const after = query.cursor === undefined ? undefined : decodeConnectionCursor(query.cursor, query.sort, order);
  if (after === null) {
    throw invalid('The query is invalid.', [{ path: 'cursor', message: 'not a cursor this list handed out for this sort and order' }]);
  }
  // Later pages read D1 as it is, so a walk through the pages sees one consistent order.
  if (after === undefined) await refreshListLastUsed(c);
  const at = now();
  const page = await listConnections(db, { status: query.status, q: query.q, sort: query.sort, order, limit: query.limit, after }, at, config.CONNECTED_WINDOW);
  const last = page.views.at(-1);
  return c.json({
    items: page.views.map((view) => presentConnectionSummary(view, at, config.CONNECTED_WINDOW)),
    next_cursor: page.hasMore && last ? encodeConnectionCursor(query.sort, order, { value: sortValueOf(last, query.sort), id: last.row.id }) : null,
  });
});

export const getConnectionRoute = defineRoute({
  method: 'get',
  path: '/connections/{id}',
  role: 'viewer',
  operationId: 'getConnection',
  tag: 'connections',
  summary: 'Get a connection',
  responses: { 200: { description: 'The connection', schema: connectionSchema } },
}, async (c) => {
  const view = await withFreshLastUsed(c, await requireConnection(c));
  c.header('ETag', connectionEtag(view.row));
  return c.json(present(c, view, c.var.services.now()));
});

export const updateConnectionRoute = defineRoute({
  method: 'patch',
  path: '/connections/{id}',
  role: 'operator',
  operationId: 'updateConnection',
  tag: 'connections',
  summary: 'Change the name, scope or validity of a connection',
  description:
    'Takes effect on the next request of the connection. With `If-Match: "<updated_at>"` (the ETag of GET /connections/{id}) the change is made only if nobody changed the connection since it was read; else 409 conflict.',
  body: { schema: updateConnectionSchema, required: true, overrides: scopeOverride },
  responses: { 200: { description: 'The changed connection', schema: connectionSchema } },
  errors: ['conflict'],
}, async (c, { body }) => {
  const { db, config, now } = c.var.services;
  const view = await requireConnection(c);
  // An editor that read the connection earlier names that version: a change made meanwhile is never overwritten.
  const expected = c.req.header('if-match');
  if (expected !== undefined && expected.trim() !== '*' && expected.trim() !== connectionEtag(view.row)) throw changedSinceRead();
  const at = now();
  const changes: ConnectionChanges = {};
  if (body.name !== undefined) changes.name = body.name;
  const scope = 'scope' in body ? parseScopeOrThrow(body.scope) : undefined;
  if (scope) changes.scope = scope;
  if (body.log_payloads !== undefined) changes.logPayloads = body.log_payloads;
  if (body.not_before !== undefined || body.expires_at !== undefined || body.valid_for_days !== undefined) {
    if (statusOf(view, at, config.CONNECTED_WINDOW).status === 'expired') {
      throw new ApiError('conflict', 'The connection has expired: give it a new validity with POST /admin/api/connections/:id/reactivate.');
    }
    const validity = resolveValidity(body, { notBefore: view.row.notBefore, expiresAt: view.row.expiresAt }, at);
    if (!validity.ok) throw invalid('The validity is invalid.', [validity.issue]);
    Object.assign(changes, validity.validity);
  }
  const updated = await updateConnectionIfUnchanged(db, view.row, changes, at);
  if (!updated) throw changedMeanwhile();
  auditAdminAction(c, {
    action: 'connection.update',
    connectionId: updated.id,
    connectionName: updated.name,
    keyPublicId: updated.keyPublicId,
    detail: { changed: Object.keys(body), ...(scope ? { scope_summary: summarizeScope(scope) } : {}) },
  });
  c.header('ETag', connectionEtag(updated));
  return c.json(present(c, { ...view, row: updated }, at));
});
