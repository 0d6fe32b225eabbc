import { and, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { connections } from '../db/schema';
import type { ConnectionRow, ConnectionView } from './types';

/**
 * A connection's status, twice: connectionStatus() for a row in hand, and
 * statusCondition() as its SQL twin, so a status filter is a WHERE clause over
 * indexed columns instead of a scan in JavaScript. They sit side by side so a
 * change to one is made to the other; keep them in step.
 */
export const CONNECTION_STATUSES = ['awaiting_connection', 'connected', 'idle', 'revoked', 'expired'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export interface StatusInput {
  state: ConnectionRow['state'];
  expiresAt: number | null;
  hasKey: boolean;
  keyCreatedAt: number | null;
  lastUsedAt: number | null;
}

/**
 * The status, a pure function of the stored state, the validity, the current
 * key and the last use, with time passed in. The list filters with the same
 * rules in SQL (statusCondition below). A connection with no key, or whose
 * current key was never used (a fresh connection, or one just rotated), is
 * awaiting its client.
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

/** The SQL twin of connectionStatus() above. */
export function statusCondition(status: ConnectionStatus, now: number, connectedWindowSeconds: number): SQL {
  const live = and(eq(connections.state, 'active'), or(isNull(connections.expiresAt), gt(connections.expiresAt, now)))!;
  // An OAuth connection has no key hash: its grant is its credential (hasCredential above).
  const usedSinceKey = and(
    or(isNotNull(connections.keyHash), eq(connections.auth, 'oauth')),
    isNotNull(connections.lastUsedAt),
    gte(connections.lastUsedAt, sql`coalesce(${connections.keyCreatedAt}, 0)`),
  )!;
  const connectedSince = now - connectedWindowSeconds * 1000;
  switch (status) {
    case 'revoked':
      return eq(connections.state, 'revoked');
    case 'expired':
      return or(eq(connections.state, 'expired'), and(eq(connections.state, 'active'), lte(connections.expiresAt, now)))!;
    case 'awaiting_connection':
      return and(
        live,
        or(and(isNull(connections.keyHash), eq(connections.auth, 'key')), isNull(connections.lastUsedAt), lt(connections.lastUsedAt, sql`coalesce(${connections.keyCreatedAt}, 0)`)),
      )!;
    case 'connected':
      return and(live, usedSinceKey, gte(connections.lastUsedAt, connectedSince))!;
    case 'idle':
      return and(live, usedSinceKey, lt(connections.lastUsedAt, connectedSince))!;
  }
}
