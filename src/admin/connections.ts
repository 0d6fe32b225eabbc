import { Hono } from 'hono';
import { resolveAccount } from '../accounts/resolve-account';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';
import { summarizeScope } from '../policy/scope-summary';
import { readJsonBody } from './body';
import { adminActorOf, auditAdminAction } from '../audit/admin-actions';
import { connectionActionRoutes } from './connection-actions';
import { createConnectionSchema, listConnectionsQuerySchema, updateConnectionSchema } from './connection-schemas';
import { freshKey, insertConnection, updateConnectionIfUnchanged, type ConnectionChanges } from '../connections/store';
import { resolveValidity } from '../connections/validity';
import { decodeConnectionCursor, encodeConnectionCursor } from './connection-cursor';
import { listConnections, sortValueOf } from '../connections/query';
import { statusOf } from '../connections/status';
import { changedMeanwhile, changedSinceRead, connectionEtag, present, refreshListLastUsed, requireConnection, withFreshLastUsed } from './connection-context';
import { presentConnection, presentConnectionSummary } from './present';
import { invalid, parseOrThrow, parseScopeOrThrow, singleQueryValues } from './request-input';
import { connectionSessionRoutes } from './sessions';
import { buildSnippets } from '../snippets/snippets';

export const connectionRoutes = new Hono<AppEnv>();

connectionRoutes.post('/', async (c) => {
  const { db, config, keys, now } = c.var.services;
  const body = parseOrThrow(createConnectionSchema, await readJsonBody(c.req.raw), 'The request body is invalid.');
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

connectionRoutes.get('/', async (c) => {
  const { db, config, now } = c.var.services;
  const query = parseOrThrow(listConnectionsQuerySchema, singleQueryValues(c.req.url), 'The query is invalid.');
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

connectionRoutes.route('/', connectionActionRoutes);
connectionRoutes.route('/', connectionSessionRoutes);

connectionRoutes.get('/:id', async (c) => {
  const view = await withFreshLastUsed(c, await requireConnection(c));
  c.header('ETag', connectionEtag(view.row));
  return c.json(present(c, view, c.var.services.now()));
});

connectionRoutes.patch('/:id', async (c) => {
  const { db, config, now } = c.var.services;
  const body = parseOrThrow(updateConnectionSchema, await readJsonBody(c.req.raw), 'The request body is invalid.');
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
