import { and, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, mcpSessions } from '../db/schema';

export type EndOfAccessReason = 'rotated' | 'revoked' | 'expired';

/**
 * What else must stop when a connection loses its key, as statements to run
 * in the same D1 batch as the state change, so no session outlives it.
 * `affected` selects the connections whose access just ended, as they are
 * after the change. Pending approval requests, once approvals exist, belong
 * here too: when their table exists, expiring the pending requests of the
 * same connections is one more statement.
 */
export function endOfAccessStatements(db: Database, affected: SQL, reason: EndOfAccessReason, now: number) {
  const affectedIds = db.select({ id: connections.id }).from(connections).where(affected);
  return [
    db
      .update(mcpSessions)
      .set({ endedAt: now, endedReason: reason })
      .where(and(inArray(mcpSessions.connectionId, affectedIds), isNull(mcpSessions.endedAt))),
  ] as const;
}
