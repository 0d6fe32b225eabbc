import type { connections, mcpSessions } from '../db/schema';
import type { Scope } from '../policy/scope';
import { summarizeScope } from '../policy/scope-summary';
import { cleanClientName } from '../oauth/input';
import type { ConnectionJson, ConnectionStatus, ConnectionSummaryJson, SessionJson } from './connection-schemas';

export type ConnectionRow = typeof connections.$inferSelect;
export type SessionRow = typeof mcpSessions.$inferSelect;

/** A connection as the admin API sees it: its row, the Odoo user it acts as, and its freshest last-used time. */
export interface ConnectionView {
  row: ConnectionRow;
  odooUser: { uid: number | null; login: string; name: string | null } | null;
  lastUsedAt: number | null;
}

export interface StatusInput {
  state: ConnectionRow['state'];
  expiresAt: number | null;
  hasKey: boolean;
  keyCreatedAt: number | null;
  lastUsedAt: number | null;
}

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * The status, a pure function of the stored state, the validity, the current
 * key and the last use, with time passed in. The list filters with the same
 * rules in SQL (statusCondition in connections-query.ts); keep them in step.
 * A connection with no key, or whose current key was never used (a fresh
 * connection, or one just rotated), is awaiting its client.
 */
export function connectionStatus(
  input: StatusInput,
  now: number,
  connectedWindowSeconds: number,
): { status: ConnectionStatus; idleForSeconds: number | null } {
  if (input.state === 'revoked') return { status: 'revoked', idleForSeconds: null };
  if (input.state === 'expired' || (input.expiresAt !== null && input.expiresAt <= now)) return { status: 'expired', idleForSeconds: null };
  if (!input.hasKey || input.lastUsedAt === null || input.lastUsedAt < (input.keyCreatedAt ?? 0)) {
    return { status: 'awaiting_connection', idleForSeconds: null };
  }
  const silentForMs = Math.max(0, now - input.lastUsedAt);
  return {
    status: silentForMs <= connectedWindowSeconds * 1000 ? 'connected' : 'idle',
    idleForSeconds: Math.floor(silentForMs / 1000),
  };
}

export function statusOf(view: ConnectionView, now: number, connectedWindowSeconds: number) {
  const { row } = view;
  return connectionStatus(
    { state: row.state, expiresAt: row.expiresAt, hasKey: hasCredential(row), keyCreatedAt: row.keyCreatedAt, lastUsedAt: view.lastUsedAt },
    now,
    connectedWindowSeconds,
  );
}

/** A key connection needs its key hash; an OAuth connection's credential is its grant, live while the row is active. */
export function hasCredential(row: Pick<ConnectionRow, 'auth' | 'keyHash'>): boolean {
  return row.auth === 'oauth' || row.keyHash !== null;
}

/** One row of the connection list: no scope body, just its summary. */
export function presentConnectionSummary(view: ConnectionView, now: number, connectedWindowSeconds: number): ConnectionSummaryJson {
  const { row } = view;
  const { status, idleForSeconds } = statusOf(view, now, connectedWindowSeconds);
  return {
    id: row.id,
    name: row.name,
    status,
    auth: row.auth,
    key_public_id: row.keyPublicId,
    has_key: row.keyHash !== null,
    odoo_account_id: row.odooAccountId,
    odoo_user: view.odooUser,
    scope_summary: summarizeScope(row.scope as Scope),
    idle_for_seconds: idleForSeconds,
    last_used_at: iso(view.lastUsedAt),
    last_client: row.lastClientName ? { name: row.lastClientName, version: row.lastClientVersion } : null,
    created_at: iso(row.createdAt)!,
    expires_at: iso(row.expiresAt),
    oauth:
      row.auth === 'oauth'
        ? {
            client_id: row.oauthClientId ?? '',
            client_name: cleanClientName(row.oauthClientName ?? ''),
            registration: row.oauthRegistration ?? 'dcr',
            redirect_uris: row.oauthRedirectUris ?? [],
            last_token_at: iso(row.lastTokenAt),
          }
        : null,
  };
}

/** The whole connection: never the key or its hash. */
export function presentConnection(view: ConnectionView, now: number, connectedWindowSeconds: number): ConnectionJson {
  const { row } = view;
  return {
    ...presentConnectionSummary(view, now, connectedWindowSeconds),
    scope: row.scope as Scope,
    not_before: iso(row.notBefore),
    log_payloads: row.logPayloads,
    key_created_at: iso(row.keyCreatedAt),
    updated_at: iso(row.updatedAt)!,
    revoked_at: iso(row.revokedAt),
    revoke_reason: row.revokeReason,
    created_by: row.createdBy ?? null,
    revoked_by: row.revokedBy ?? null,
    expired_at: iso(row.expiredAt),
  };
}

export function presentSession(row: SessionRow): SessionJson {
  return {
    id: row.id,
    open: row.endedAt === null,
    client: { name: row.clientName, version: row.clientVersion },
    protocol_version: row.protocolVersion,
    created_at: iso(row.createdAt)!,
    ended_at: iso(row.endedAt),
    ended_reason: row.endedReason,
  };
}
