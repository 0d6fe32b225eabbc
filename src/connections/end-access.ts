import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { approvalLifecycleEvent } from '../approvals/events';
import type { ApprovalRow } from '../approvals/store';
import type { AuditEvent } from '../audit/event';
import { approvals, connections, mcpSessions } from '../db/schema';

export type EndOfAccessReason = 'rotated' | 'revoked' | 'expired';

/**
 * What else must stop when a connection loses its key, as statements to run
 * in the same D1 batch as the state change, so no session outlives it.
 * `affected` selects the connections whose access just ended, as they are
 * after the change. Pending approval requests of the connections expire in
 * the same batch (not on rotation: the connection keeps its access); the
 * last statement returns them, for the caller to audit.
 */
/** Audit events for the approvals the last statement of endOfAccessStatements expired. */
export function endedApprovalEvents(rows: readonly ApprovalRow[], now: number, connection?: { name: string; keyPublicId: string | null }): AuditEvent[] {
  return rows.map((row) =>
    approvalLifecycleEvent(row, 'approval.expire', row.decidedBy ?? 'expiry', now, { connectionName: connection?.name ?? null, keyPublicId: connection?.keyPublicId ?? null }),
  );
}

export function endOfAccessStatements(db: Database, affected: SQL, reason: EndOfAccessReason, now: number) {
  const affectedIds = db.select({ id: connections.id }).from(connections).where(affected);
  return [
    db
      .update(mcpSessions)
      .set({ endedAt: now, endedReason: reason })
      .where(and(inArray(mcpSessions.connectionId, affectedIds), isNull(mcpSessions.endedAt))),
    db
      .update(approvals)
      .set({ status: 'expired', decidedAt: now, decidedBy: reason === 'revoked' ? 'revocation' : 'connection expiry' })
      // A rotation keeps the connection's access, so its approvals stay pending: the statement matches nothing.
      .where(and(inArray(approvals.connectionId, affectedIds), eq(approvals.status, 'pending'), reason === 'rotated' ? sql`0` : undefined))
      .returning(),
  ] as const;
}
