import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { connections } from '../db/schema';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { adminActorOf, auditAdminAction } from '../audit/admin-actions';
import { changedMeanwhile, present, requireConnection } from './connection-context';
import { connectionSchema, emptyBodySchema, issuedKeySchema, reactivateConnectionSchema, revokeConnectionSchema } from './connection-schemas';
import { freshKey, revokeConnectionIfUnchanged, updateConnectionIfUnchanged } from '../connections/store';
import { resolveValidity } from '../connections/validity';
import { statusOf } from '../connections/status';
import type { ConnectionRow, ConnectionView } from '../connections/types';
import { defineRoute } from './define-route';
import { invalid } from './request-input';
import { revokeOAuthGrants } from '../oauth/revoke';

/** Rotate, revoke, reactivate and key issue: each checks the status it starts from, then changes the row only if nobody else did meanwhile. */
export const rotateConnectionKeyRoute = defineRoute({
  method: 'post',
  path: '/connections/{id}/rotate',
  role: 'operator',
  operationId: 'rotateConnectionKey',
  tag: 'connections',
  summary: 'Replace the key',
  description: 'The old key fails on the very next request. The new key is shown in this answer only.',
  body: { schema: emptyBodySchema, required: false },
  responses: { 200: { description: 'The new key', schema: issuedKeySchema } },
  errors: ['conflict'],
}, async (c) => {
  const { view, at } = await loadWithStatus(c);
  refuseForOAuth(view, 'has no key to rotate: it is an OAuth grant; revoke it and authorize the app again');
  refuseUnlessUsable(view, at, c, 'rotate');
  if (view.row.keyHash === null) {
    throw new ApiError('conflict', 'The connection has no key to rotate: issue one with POST /admin/api/connections/:id/keys.');
  }
  const { key, columns } = await freshKey(c.var.services.keys.pepper, at);
  // The row update swaps the hash, so the old key fails on the very next request; its sessions end with it.
  const updated = await updateConnectionIfUnchanged(c.var.services.db, view.row, columns, at, {
    reason: 'rotated',
    affected: eq(connections.keyPublicId, columns.keyPublicId),
  });
  if (!updated) throw changedMeanwhile();
  audit(c, 'connection.rotate', updated, { previous_key_public_id: view.row.keyPublicId });
  return c.json({ key, connection: present(c, { ...view, row: updated }, at) });
});

export const issueConnectionKeyRoute = defineRoute({
  method: 'post',
  path: '/connections/{id}/keys',
  role: 'operator',
  operationId: 'issueConnectionKey',
  tag: 'connections',
  summary: 'Issue a key for a connection that has none',
  body: { schema: emptyBodySchema, required: false },
  responses: { 201: { description: 'The new key', schema: issuedKeySchema } },
  errors: ['conflict'],
}, async (c) => {
  const { view, at } = await loadWithStatus(c);
  refuseForOAuth(view, 'cannot get a key: it is an OAuth grant');
  refuseUnlessUsable(view, at, c, 'get a new key');
  if (view.row.keyHash !== null) {
    throw new ApiError('conflict', 'The connection already has a key: rotate it with POST /admin/api/connections/:id/rotate to replace it.');
  }
  const { key, columns } = await freshKey(c.var.services.keys.pepper, at);
  const updated = await updateConnectionIfUnchanged(c.var.services.db, view.row, columns, at);
  if (!updated) throw changedMeanwhile();
  audit(c, 'connection.key_issue', updated, {});
  return c.json({ key, connection: present(c, { ...view, row: updated }, at) }, 201);
});

export const revokeConnectionRoute = defineRoute({
  method: 'post',
  path: '/connections/{id}/revoke',
  role: 'operator',
  operationId: 'revokeConnection',
  tag: 'connections',
  summary: 'Revoke a connection',
  description:
    'Deletes the key hash and ends the MCP sessions; for an OAuth connection, also revokes its grant, so every access and refresh token stops working. The record and its audit trail stay.',
  body: { schema: revokeConnectionSchema, required: false },
  responses: { 200: { description: 'The revoked connection', schema: connectionSchema } },
  errors: ['conflict'],
}, async (c, { body }) => {
  const { view, at } = await loadWithStatus(c);
  if (view.row.state === 'revoked') throw new ApiError('conflict', 'The connection is already revoked.');
  // The hash goes, the record and its audit trail stay; sessions end in the same batch.
  const updated = await revokeConnectionIfUnchanged(c.var.services.db, view.row, { reason: body.reason ?? null, revokedBy: adminActorOf(c) }, at);
  if (!updated) throw changedMeanwhile();
  // The row is what /mcp checks, so the connection is closed already; ending the grant in KV kills its refresh token too.
  const grantsRevoked = updated.auth === 'oauth' ? await revokeOAuthGrants(c.env, c.var.services.config, c.req.url, updated.id) : null;
  audit(c, 'connection.revoke', updated, { ...(body.reason ? { reason: body.reason } : {}), ...(grantsRevoked === null ? {} : { oauth_grants_revoked: grantsRevoked }) });
  return c.json(present(c, { ...view, row: updated }, at));
});

export const reactivateConnectionRoute = defineRoute({
  method: 'post',
  path: '/connections/{id}/reactivate',
  role: 'operator',
  operationId: 'reactivateConnection',
  tag: 'connections',
  summary: 'Reactivate a revoked or expired connection, without a key',
  description: 'Key connections only: an OAuth connection is connected again by authorizing the app again (409).',
  body: { schema: reactivateConnectionSchema, required: false },
  responses: { 200: { description: 'The active connection, still without a key', schema: connectionSchema } },
  errors: ['conflict'],
}, async (c, { body }) => {
  const { view, at } = await loadWithStatus(c);
  refuseForOAuth(view, 'cannot be reactivated: it is an OAuth grant; authorize the app again to connect it');
  const status = statusOf(view, at, c.var.services.config.CONNECTED_WINDOW).status;
  if (status !== 'revoked' && status !== 'expired') {
    throw new ApiError('conflict', `Only a revoked or expired connection can be reactivated; this one is ${status}.`);
  }
  const validity = resolveValidity(body, { notBefore: view.row.notBefore, expiresAt: view.row.expiresAt }, at);
  if (!validity.ok) throw invalid('The validity is invalid.', [validity.issue]);
  const { expiresAt } = validity.validity;
  if (expiresAt !== null && expiresAt <= at) {
    throw invalid('The validity is invalid.', [
      {
        path: 'expires_at',
        message: `the validity ended at ${new Date(expiresAt).toISOString()}: give a new expires_at or valid_for_days, or expires_at: null for none`,
      },
    ]);
  }
  // Active again but keyless: whoever held the old key stays out until an admin issues a new one.
  const updated = await updateConnectionIfUnchanged(
    c.var.services.db,
    view.row,
    { state: 'active', keyHash: null, revokedAt: null, revokeReason: null, revokedBy: null, expiredAt: null, ...validity.validity },
    at,
  );
  if (!updated) throw changedMeanwhile();
  audit(c, 'connection.reactivate', updated, { from: status, expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString() });
  return c.json(present(c, { ...view, row: updated }, at));
});

async function loadWithStatus(c: Context<AppEnv>): Promise<{ view: ConnectionView; at: number }> {
  const view = await requireConnection(c);
  return { view, at: c.var.services.now() };
}

function refuseForOAuth(view: ConnectionView, what: string): void {
  if (view.row.auth === 'oauth') throw new ApiError('conflict', `The connection ${what}.`);
}

function refuseUnlessUsable(view: ConnectionView, at: number, c: Context<AppEnv>, what: string): void {
  const status = statusOf(view, at, c.var.services.config.CONNECTED_WINDOW).status;
  if (status === 'revoked' || status === 'expired') {
    throw new ApiError('conflict', `A ${status} connection cannot ${what}: reactivate it first with POST /admin/api/connections/:id/reactivate.`);
  }
}

function audit(c: Context<AppEnv>, action: string, row: ConnectionRow, detail: Record<string, unknown>): void {
  auditAdminAction(c, { action, connectionId: row.id, connectionName: row.name, keyPublicId: row.keyPublicId, detail });
}
