import { z } from 'zod';
import type { AdminTokenRow } from '../admins/tokens';
import { createAdminToken, findAdminToken, listAdminTokens, revokeAdminToken } from '../admins/tokens';
import { ApiError } from '../http/errors';
import { adminActorOf, auditAdminAction } from '../audit/admin-actions';
import { adminTokenListSchema, adminTokenSchema, createAdminTokenSchema, createdAdminTokenSchema, listAdminTokensQuerySchema } from './admin-token-schemas';
import { defineRoute } from './define-route';
import { decodeCursor, encodeCursor } from './list-cursor';
import { emptyBodySchema } from './connection-schemas';
import { invalid } from './request-input';

/** Named admin tokens: owner only. The token is in the create answer and nowhere else. */
export const createAdminTokenRoute = defineRoute({
  method: 'post',
  path: '/admin-tokens',
  operationId: 'createAdminToken',
  tag: 'admin-tokens',
  role: 'owner',
  summary: 'Create a named admin token with a role',
  description: 'The token (oadm_...) is shown in this answer only; only its hash is stored. It works until revoked or past expires_at.',
  body: { schema: createAdminTokenSchema, required: true },
  responses: { 201: { description: 'The token, shown once', schema: createdAdminTokenSchema } },
}, async (c, { body }) => {
  const { db, keys, now } = c.var.services;
  const at = now();
  const expiresAt = body.expires_at ? Date.parse(body.expires_at) : null;
  if (expiresAt !== null && expiresAt <= at) throw invalid('The request body is invalid.', [{ path: 'expires_at', message: 'must be in the future' }]);
  const { row, token } = await createAdminToken(db, keys.pepper, { name: body.name, role: body.role, expiresAt, createdBy: adminActorOf(c)!, now: at });
  auditAdminAction(c, { action: 'admin_token.create', detail: { admin_token_id: row.id, name: row.name, role: row.role, expires_at: iso(row.expiresAt) } });
  return c.json({ id: row.id, name: row.name, role: row.role, token, expires_at: iso(row.expiresAt) }, 201);
});

const cursorSchema = z.object({ c: z.number().int(), i: z.string().max(100) });

export const listAdminTokensRoute = defineRoute({
  method: 'get',
  path: '/admin-tokens',
  operationId: 'listAdminTokens',
  tag: 'admin-tokens',
  role: 'owner',
  summary: 'List admin tokens, with their last use',
  query: listAdminTokensQuerySchema,
  responses: { 200: { description: 'A page of admin tokens, newest first', schema: adminTokenListSchema } },
}, async (c, { query }) => {
  const { db, now } = c.var.services;
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, cursorSchema);
  if (query.cursor !== undefined && after === null) throw invalid('The query is invalid.', [{ path: 'cursor', message: 'not a cursor this list handed out' }]);
  const rows = await listAdminTokens(db, query.limit + 1, after ? { createdAt: after.c, id: after.i } : null);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const at = now();
  return c.json({
    items: page.map((row) => presentAdminToken(row, at)),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
  });
});

export const revokeAdminTokenRoute = defineRoute({
  method: 'post',
  path: '/admin-tokens/{id}/revoke',
  operationId: 'revokeAdminToken',
  tag: 'admin-tokens',
  role: 'owner',
  summary: 'Revoke an admin token',
  description: 'It fails from the very next request.',
  body: { schema: emptyBodySchema, required: false },
  responses: { 200: { description: 'The revoked token', schema: adminTokenSchema } },
  errors: ['conflict'],
}, async (c) => {
  const { db, now } = c.var.services;
  const id = c.req.param('id');
  const existing = await findAdminToken(db, id);
  if (!existing) throw new ApiError('not_found', `No admin token ${id}.`);
  if (existing.revokedAt !== null) throw new ApiError('conflict', 'The admin token is already revoked.');
  const at = now();
  // Looked up by hash on every request and never cached: the token fails from the very next request.
  const row = await revokeAdminToken(db, id, adminActorOf(c)!, at);
  if (!row) throw new ApiError('conflict', 'The admin token is already revoked.');
  auditAdminAction(c, { action: 'admin_token.revoke', detail: { admin_token_id: row.id, name: row.name, role: row.role } });
  return c.json(presentAdminToken(row, at));
});

export function presentAdminToken(row: AdminTokenRow, now: number) {
  const status = row.revokedAt !== null ? 'revoked' : row.expiresAt !== null && row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    status,
    created_at: iso(row.createdAt)!,
    created_by: row.createdBy ?? null,
    expires_at: iso(row.expiresAt),
    revoked_at: iso(row.revokedAt),
    revoked_by: row.revokedBy ?? null,
    last_used_at: iso(row.lastUsedAt),
  };
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
