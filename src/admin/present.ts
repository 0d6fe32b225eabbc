import type { connections } from '../db/schema';
import { summarizeScope, type Scope } from '../policy/scope';

type ConnectionRow = typeof connections.$inferSelect;

export type ConnectionStatus = 'awaiting_connection' | 'connected' | 'idle' | 'revoked' | 'expired';

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * Status from the stored state and the last-used time, with time passed in:
 * revoked and expired win, then never used, then connected within the
 * window, else idle.
 */
export function connectionStatus(
  row: Pick<ConnectionRow, 'state' | 'expiresAt'>,
  lastUsedAt: number | null,
  now: number,
  connectedWindowSeconds: number,
): { status: ConnectionStatus; idleForSeconds: number | null } {
  if (row.state === 'revoked') return { status: 'revoked', idleForSeconds: null };
  if (row.state === 'expired' || (row.expiresAt !== null && row.expiresAt <= now)) return { status: 'expired', idleForSeconds: null };
  if (lastUsedAt === null) return { status: 'awaiting_connection', idleForSeconds: null };
  const idleForSeconds = Math.max(0, Math.floor((now - lastUsedAt) / 1000));
  return { status: idleForSeconds <= connectedWindowSeconds ? 'connected' : 'idle', idleForSeconds };
}

export function presentConnection(
  row: ConnectionRow,
  extra: { lastUsedAt: number | null; now: number; connectedWindowSeconds: number; odooUser: string | null },
) {
  const { status, idleForSeconds } = connectionStatus(row, extra.lastUsedAt, extra.now, extra.connectedWindowSeconds);
  return {
    id: row.id,
    name: row.name,
    status,
    key_public_id: row.keyPublicId,
    has_key: row.keyHash !== null,
    odoo_account_id: row.odooAccountId,
    odoo_user: extra.odooUser,
    scope: row.scope as Scope,
    scope_summary: summarizeScope(row.scope as Scope),
    not_before: iso(row.notBefore),
    expires_at: iso(row.expiresAt),
    log_payloads: row.logPayloads,
    last_used_at: iso(extra.lastUsedAt),
    idle_for_seconds: idleForSeconds,
    last_client: row.lastClientName ? { name: row.lastClientName, version: row.lastClientVersion } : null,
    created_at: iso(row.createdAt),
    revoked_at: iso(row.revokedAt),
    expired_at: iso(row.expiredAt),
  };
}
