import { statusOf } from '../connections/status';
import type { ConnectionView, SessionRow } from '../connections/types';
import type { Scope } from '../policy/scope';
import { summarizeScope } from '../policy/scope-summary';
import { cleanClientName } from '../oauth/input';
import type { ConnectionJson, ConnectionSummaryJson, SessionJson } from './connection-schemas';

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
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
