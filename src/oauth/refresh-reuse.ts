import { eq, lte } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { oauthRefreshRedemptions } from '../db/schema';
import type { Database } from '../db/client';
import { storeAuditEvents } from '../audit/store';
import { auditEvent, newEventId } from '../audit/event';
import { findOAuthConnection, revokeConnectionIfUnchanged } from '../connections/store';
import { revokeOAuthGrants } from './revoke';
import { REFRESH_TOKEN_TTL_SECONDS } from './server';
import { log } from '../log/log';

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * RFC 9700 §4.14.2 refresh token reuse detection. The provider keeps the
 * previous refresh token valid until its replacement is used (its design), so
 * a stolen old token would still mint a pair. Each refresh token that names a
 * live grant of the presenting client is claimed once in D1; a second claim
 * (sequential or concurrent) is reuse. Tokens that the provider would refuse
 * anyway (unknown, another client's) are not claimed, so they burn nothing.
 * Answers 'reuse' when the token was redeemed before, 'go' otherwise.
 */
export async function claimRefreshToken(c: Context<AppEnv>, refreshToken: string, clientId: string | null): Promise<'go' | 'reuse'> {
  const parts = refreshToken.split(':');
  if (parts.length !== 3 || clientId === null) return 'go';
  const [userId, grantId] = parts as [string, string, string];
  const grant = await c.env.OAUTH_KV.get<{ clientId: string; refreshTokenId?: string; previousRefreshTokenId?: string }>(`grant:${userId}:${grantId}`, { type: 'json' });
  if (!grant || grant.clientId !== clientId) return 'go';
  const tokenHash = await sha256Hex(refreshToken);
  if (grant.refreshTokenId !== tokenHash && grant.previousRefreshTokenId !== tokenHash) {
    // Not a token of this grant now; if we saw it before, it is an old one presented again.
    const [seen] = await c.var.services.db.select({ h: oauthRefreshRedemptions.tokenHash }).from(oauthRefreshRedemptions).where(eq(oauthRefreshRedemptions.tokenHash, tokenHash)).limit(1);
    return seen ? 'reuse' : 'go';
  }
  const written = await c.var.services.db
    .insert(oauthRefreshRedemptions)
    .values({ tokenHash, grantId, usedAt: c.var.services.now() })
    .onConflictDoNothing()
    .returning({ h: oauthRefreshRedemptions.tokenHash });
  return written.length === 1 ? 'go' : 'reuse';
}

/** A reused refresh token ends the whole grant: its KV grants go (access tokens too), the connection is revoked and its sessions end, audited. */
export async function endGrantOnReuse(c: Context<AppEnv>, refreshToken: string): Promise<void> {
  await revokeOAuthConnection(c, refreshToken.split(':')[0]!, { reason: 'refresh_token_reuse', actor: 'oauth' });
}

/**
 * The grant a token is the current (or not yet replaced) refresh token of, as the
 * provider decides when it revokes: null for an access token, an unknown token,
 * or one too long to be ours (the caller has bounded it).
 */
export async function liveRefreshGrant(c: Context<AppEnv>, token: string): Promise<{ key: string; connectionId: string; clientId: string } | null> {
  const parts = token.split(':');
  if (parts.length !== 3) return null;
  const [userId, grantId] = parts as [string, string, string];
  const key = `grant:${userId}:${grantId}`;
  const grant = await c.env.OAUTH_KV.get<{ clientId: string; refreshTokenId?: string; previousRefreshTokenId?: string }>(key, { type: 'json' });
  if (!grant) return null;
  const tokenHash = await sha256Hex(token);
  return grant.refreshTokenId === tokenHash || grant.previousRefreshTokenId === tokenHash ? { key, connectionId: userId, clientId: grant.clientId } : null;
}

/**
 * A client revoked its refresh token (RFC 7009) and the provider ended the grant:
 * the app has let go of the connection, so it is revoked as an admin revoke would
 * (row, sessions, any other grant), attributed to the client.
 */
export async function endConnectionOnClientRevocation(c: Context<AppEnv>, connectionId: string, clientId: string): Promise<void> {
  await revokeOAuthConnection(c, connectionId, { reason: 'client_revoked', actor: 'oauth_client', clientId });
}

/**
 * Ends an OAuth connection from the OAuth side: every KV grant of it (access
 * tokens too), the row revoked with the reason (its sessions end with it), and
 * one audit event when this call revoked it. A client revocation of an already
 * revoked connection is not audited again; reuse and replay are (a signal).
 */
export async function revokeOAuthConnection(
  c: Context<AppEnv>,
  connectionId: string,
  why: { reason: 'refresh_token_reuse' | 'code_replay' | 'client_revoked'; actor: 'oauth' | 'oauth_client'; clientId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  const { db, now } = c.var.services;
  const at = now();
  const grantsRevoked = await revokeOAuthGrants(c.env, c.var.services.config, c.req.url, connectionId);
  const row = await findOAuthConnection(db, connectionId);
  let revoked = row;
  if (row && row.state === 'active') {
    revoked = await revokeConnectionIfUnchanged(db, row, { reason: why.reason, revokedBy: null }, at);
  }
  if (why.reason === 'refresh_token_reuse') log.warn({ msg: 'oauth refresh token reuse', connectionId, grantsRevoked });
  else if (why.reason === 'code_replay') log.warn({ msg: 'oauth authorization code replay', connectionId, grantsRevoked });
  else log.info({ msg: 'oauth grant revoked by its client', connectionId, grantsRevoked });
  // Only a connection this request revoked is audited as revoked; an already revoked one stays as it was.
  if (!row || (why.reason === 'client_revoked' && row.state !== 'active')) return;
  await storeAuditEvents(db, [
    auditEvent({
      id: newEventId(at),
      at,
      kind: 'system',
      connectionId: row.id,
      connectionName: row.name,
      keyPublicId: row.keyPublicId,
      method: 'connection.revoke',
      outcome: 'allowed',
      detail: {
        actor: why.actor,
        reason: why.reason,
        ...(why.clientId ? { client_id: why.clientId } : {}),
        ...why.detail,
        oauth_grants_revoked: grantsRevoked,
        connection_revoked: revoked !== null && revoked.state === 'revoked',
      },
    }),
  ]);
}

/** Redemption rows older than a refresh token can live are no longer needed: the token has expired anyway. */
export async function purgeRefreshRedemptions(db: Database, now: number): Promise<number> {
  const rows = await db.delete(oauthRefreshRedemptions).where(lte(oauthRefreshRedemptions.usedAt, now - REFRESH_TOKEN_TTL_SECONDS * 1000)).returning({ h: oauthRefreshRedemptions.tokenHash });
  return rows.length;
}
