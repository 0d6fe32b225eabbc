import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { auditEvent, newEventId, type AuditEvent } from '../audit/event';
import { storeAuditEvents } from '../audit/store';
import type { Database } from '../db/client';
import { connections } from '../db/schema';
import { endedApprovalEvents, endOfAccessStatements } from './end-access';

/** Bounded work per run: a backlog is worked off over several runs instead of one long one. */
export const EXPIRE_BATCH = 200;

/**
 * Ends connections past their validity: the key hash is deleted, the state
 * becomes expired, their sessions end in the same batch, and each expiry is
 * audited. Only rows this run actually changed are audited, so an overlapping
 * or repeated run never audits an expiry twice.
 */
export async function expireConnections(db: Database, now: number): Promise<number> {
  const due = db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.state, 'active'), isNotNull(connections.expiresAt), lte(connections.expiresAt, now)))
    .limit(EXPIRE_BATCH);
  const [expired, , expiredApprovals] = await db.batch([
    db
      .update(connections)
      .set({ state: 'expired', keyHash: null, expiredAt: now, updatedAt: now })
      .where(and(inArray(connections.id, due), eq(connections.state, 'active')))
      .returning({ id: connections.id, name: connections.name, keyPublicId: connections.keyPublicId, expiresAt: connections.expiresAt }),
    ...endOfAccessStatements(db, and(eq(connections.state, 'expired'), eq(connections.expiredAt, now))!, 'expired', now),
  ]);
  await storeAuditEvents(db, [...expired.map((row) => expiryEvent(row, now)), ...endedApprovalEvents(expiredApprovals, now)]);
  return expired.length;
}

function expiryEvent(row: { id: string; name: string; keyPublicId: string | null; expiresAt: number | null }, now: number): AuditEvent {
  return auditEvent({
    id: newEventId(now),
    at: now,
    kind: 'system',
    connectionId: row.id,
    connectionName: row.name,
    keyPublicId: row.keyPublicId,
    method: 'connection.expire',
    outcome: 'allowed',
    detail: { actor: 'cron', expires_at: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString() },
  });
}
