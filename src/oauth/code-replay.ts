import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { oauthRefreshRedemptions } from '../db/schema';
import type { AppEnv } from '../http/context';
import { revokeOAuthConnection, sha256Hex } from './refresh-reuse';

/** What this module reads of a provider grant (KV `grant:<connectionId>:<grantId>`). */
interface StoredGrant {
  clientId: string;
  authCodeId?: string;
  authCodeWrappedKey?: string;
  codeChallenge?: string;
}

/**
 * RFC 6749 §4.1.2 / §10.5, OAuth 2.1 §4.1.3: a code used a second time means
 * it was intercepted, so the tokens issued on it are revoked.
 *
 * How the provider (workers-oauth-provider 1.2) stores a code: it is
 * `<connectionId>:<grantId>:<32 random characters>`; the grant keeps
 * `authCodeId`, the SHA-256 (hex) of the whole code, and `authCodeWrappedKey`,
 * the grant's key wrapped with the code. The first successful exchange deletes
 * `authCodeWrappedKey` and keeps `authCodeId` for the grant's life. On a second
 * exchange by the same client the provider answers `invalid_grant` ("already
 * used") and revokes that grant, and nothing more: the connection, its sessions
 * and any other grant stayed. A used code sent by another client is refused as
 * "Client ID mismatch" before that check, and revokes nothing.
 *
 * A code is a replay here only when SHA-256 of the presented code equals the
 * grant's `authCodeId` (the provider's own check) and the grant has no
 * `authCodeWrappedKey` (exchanged). The ids in a code are not secret, but the
 * hash covers the 32 random characters, so a forged
 * `<victimConnectionId>:<grantId>:<anything>` never matches and changes nothing:
 * proving a replay takes the code itself (findCodeGrant). A code never exchanged (still wrapped)
 * is not a replay, whatever the request's other faults (wrong verifier, client,
 * redirect URI): the provider refuses those without spending the code.
 *
 * Presented by another client, a used code is a replay too: the code has left
 * the client it was issued to, which is what §4.1.2 guards against, so it is
 * handled the same way; the presenting client is in the audit event. The check
 * reads the grant before the provider answers (which may delete it).
 */
export interface CodeGrant {
  connectionId: string;
  grantId: string;
  grant: StoredGrant;
  /** SHA-256 (hex) of the code, equal to the grant's `authCodeId`. */
  codeHash: string;
}

/** The grant a code was issued for, read once per token request; null unless the code's hash is the grant's own (a forged code finds nothing). */
export async function findCodeGrant(c: Context<AppEnv>, code: string): Promise<CodeGrant | null> {
  const parts = code.split(':');
  if (parts.length !== 3) return null;
  const [connectionId, grantId] = parts as [string, string, string];
  const grant = await c.env.OAUTH_KV.get<StoredGrant>(`grant:${connectionId}:${grantId}`, { type: 'json' });
  if (!grant?.authCodeId) return null;
  const codeHash = await sha256Hex(code);
  return codeHash === grant.authCodeId ? { connectionId, grantId, grant, codeHash } : null;
}

/** A code already exchanged: its grant no longer holds the key the code unwraps. */
export function isReplayedCode(found: CodeGrant): boolean {
  return !found.grant.authCodeWrappedKey;
}

/** A replayed code ends the connection it was issued for, as a reused refresh token does: reason `code_replay`, sessions ended, audited. */
export async function endConnectionOnCodeReplay(c: Context<AppEnv>, replay: CodeGrant, presentedBy: string | null): Promise<void> {
  const issuedTo = replay.grant.clientId;
  await revokeOAuthConnection(c, replay.connectionId, {
    reason: 'code_replay',
    actor: 'oauth',
    clientId: issuedTo,
    detail: presentedBy !== null && presentedBy !== issuedTo ? { presented_by_client_id: presentedBy } : {},
  });
}

/**
 * The provider reads the grant, checks the code and writes the spent grant back
 * in KV with nothing in between that two requests could not both pass: five
 * exchanges of one code at the same moment all got tokens. So the first exchange
 * of a code is claimed in D1 (`INSERT … ON CONFLICT DO NOTHING`, in the table
 * that claims refresh tokens, under `code:<hash>` so that a code presented as a
 * refresh token is never taken for a used one) before the provider sees it. A
 * request that finds the code claimed is refused and changes nothing else: the
 * claim may be a request the provider will refuse (a wrong redirect URI), which
 * then gives the code back; only a code proven spent (isReplayedCode) ends the
 * connection, so no race of the client's own requests can.
 *
 * Only a request the provider would accept claims: the code is this grant's and
 * not spent, the presented client is the grant's, and the PKCE verifier matches
 * the challenge. A claim whose exchange still fails (a redirect URI or resource
 * the provider refuses) is released, so the client can correct the request and
 * send it again; a forged or mistaken request never claims, and so never ends
 * anything.
 */
export async function claimCode(c: Context<AppEnv>, found: CodeGrant, clientId: string | null, verifier: string | null): Promise<{ release(): Promise<void> } | 'unclaimed' | 'taken'> {
  const { grant } = found;
  if (!grant.authCodeWrappedKey || clientId === null || grant.clientId !== clientId) return 'unclaimed';
  if (grant.codeChallenge !== undefined && (verifier === null || (await s256(verifier)) !== grant.codeChallenge)) return 'unclaimed';
  const claimKey = `code:${found.codeHash}`;
  const { db, now } = c.var.services;
  const written = await db.insert(oauthRefreshRedemptions).values({ tokenHash: claimKey, grantId: found.grantId, usedAt: now() }).onConflictDoNothing().returning({ h: oauthRefreshRedemptions.tokenHash });
  if (written.length === 0) return 'taken';
  // Gives the code back when the provider refused the exchange without spending it.
  return { release: async () => void (await db.delete(oauthRefreshRedemptions).where(eq(oauthRefreshRedemptions.tokenHash, claimKey))) };
}

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)), no padding. */
async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
