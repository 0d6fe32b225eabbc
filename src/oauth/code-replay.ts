import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { revokeOAuthConnection, sha256Hex } from './refresh-reuse';

/** What this module reads of a provider grant (KV `grant:<connectionId>:<grantId>`). */
interface StoredGrant {
  clientId: string;
  authCodeId?: string;
  authCodeWrappedKey?: string;
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
 * proving a replay takes the code itself. A code never exchanged (still wrapped)
 * is not a replay, whatever the request's other faults (wrong verifier, client,
 * redirect URI): the provider refuses those without spending the code.
 *
 * Presented by another client, a used code is a replay too: the code has left
 * the client it was issued to, which is what §4.1.2 guards against, so it is
 * handled the same way; the presenting client is in the audit event. The check
 * reads the grant before the provider answers (which may delete it).
 */
export async function isReplayedCode(c: Context<AppEnv>, code: string): Promise<{ connectionId: string; grantClientId: string } | null> {
  const parts = code.split(':');
  if (parts.length !== 3) return null;
  const [connectionId, grantId] = parts as [string, string, string];
  const grant = await c.env.OAUTH_KV.get<StoredGrant>(`grant:${connectionId}:${grantId}`, { type: 'json' });
  if (!grant?.authCodeId || grant.authCodeWrappedKey) return null;
  if ((await sha256Hex(code)) !== grant.authCodeId) return null;
  return { connectionId, grantClientId: grant.clientId };
}

/** A replayed code ends the connection it was issued for, as a reused refresh token does: reason `code_replay`, sessions ended, audited. */
export async function endConnectionOnCodeReplay(c: Context<AppEnv>, replay: { connectionId: string; grantClientId: string }, presentedBy: string | null): Promise<void> {
  await revokeOAuthConnection(c, replay.connectionId, {
    reason: 'code_replay',
    actor: 'oauth',
    clientId: replay.grantClientId,
    detail: presentedBy !== null && presentedBy !== replay.grantClientId ? { presented_by_client_id: presentedBy } : {},
  });
}
