import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { approvals } from '../db/schema';

export type ApprovalRow = typeof approvals.$inferSelect;
export type ApprovalStatus = ApprovalRow['status'];

export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'executed', 'failed'] as const satisfies readonly ApprovalStatus[];

/** Open approvals per connection: past this a held call is refused, not queued. */
export const MAX_OPEN_APPROVALS = 100;

export interface ApprovalRequest {
  connectionId: string;
  tool: string;
  model: string | null;
  method: string | null;
  arguments: string;
  digest: string;
  rule: ApprovalRow['rule'];
  now: number;
  ttlMs: number;
}

export function newApprovalId(): string {
  return `apr_${crypto.randomUUID().replaceAll('-', '')}`;
}

/** Pending approvals of one call past their expiry become expired (returned, to be audited). */
export async function expireDueForCall(db: Database, connectionId: string, digest: string, now: number): Promise<ApprovalRow[]> {
  return db
    .update(approvals)
    .set({ status: 'expired', decidedAt: now, decidedBy: 'expiry' })
    .where(and(eq(approvals.connectionId, connectionId), eq(approvals.digest, digest), eq(approvals.status, 'pending'), lte(approvals.expiresAt, now)))
    .returning();
}

/**
 * The outcome of an approval of this exact call that the caller has not yet
 * received (executed, failed or denied), claimed by one conditional UPDATE so
 * it is handed out once.
 */
export async function claimUndelivered(db: Database, connectionId: string, digest: string, now: number): Promise<ApprovalRow | null> {
  const rows = await db.all<{ id: string }>(sql`
    update approvals set delivered_at = ${now}
    where id = (
      select id from approvals
      where connection_id = ${connectionId} and digest = ${digest}
        and status in ('executed', 'failed', 'denied') and delivered_at is null
      order by requested_at desc limit 1
    ) and delivered_at is null
    returning id`);
  return rows[0] ? findApproval(db, rows[0].id) : null;
}

/**
 * Inserts the pending approval unless one is open for this call already (the
 * partial unique index makes a concurrent twin a no-op) or the connection has
 * MAX_OPEN_APPROVALS open: both conditions are in the one statement, never a
 * read followed by a write.
 */
export async function insertPending(db: Database, request: ApprovalRequest): Promise<{ row: ApprovalRow; created: boolean } | null> {
  const id = newApprovalId();
  const inserted = await db.all<{ id: string }>(sql`
    insert into approvals (id, connection_id, tool, model, method, arguments, digest, rule, status, requested_at, expires_at)
    select ${id}, ${request.connectionId}, ${request.tool}, ${request.model}, ${request.method}, ${request.arguments}, ${request.digest},
           ${JSON.stringify(request.rule)}, 'pending', ${request.now}, ${request.now + request.ttlMs}
    where (select count(*) from approvals where connection_id = ${request.connectionId} and status in ('pending', 'approved')) < ${MAX_OPEN_APPROVALS}
    on conflict do nothing
    returning id`);
  const open = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.connectionId, request.connectionId), eq(approvals.digest, request.digest), inArray(approvals.status, ['pending', 'approved'])))
    .limit(1);
  if (!open[0]) return null;
  return { row: open[0], created: inserted[0]?.id === open[0].id };
}

export async function findApproval(db: Database, id: string): Promise<ApprovalRow | null> {
  const [row] = await db.select().from(approvals).where(eq(approvals.id, id)).limit(1);
  return row ?? null;
}

/** pending → approved, only while pending and unexpired: of two approvers at once, one wins and the other changes nothing. */
export async function claimForExecution(db: Database, id: string, decidedBy: string, note: string | null, now: number): Promise<ApprovalRow | null> {
  const [row] = await db
    .update(approvals)
    .set({ status: 'approved', decidedBy, decidedAt: now, note })
    .where(and(eq(approvals.id, id), eq(approvals.status, 'pending'), sql`${approvals.expiresAt} > ${now}`))
    .returning();
  return row ?? null;
}

export async function denyPending(db: Database, id: string, decidedBy: string, note: string | null, now: number): Promise<ApprovalRow | null> {
  const [row] = await db
    .update(approvals)
    .set({ status: 'denied', decidedBy, decidedAt: now, note })
    .where(and(eq(approvals.id, id), eq(approvals.status, 'pending'), sql`${approvals.expiresAt} > ${now}`))
    .returning();
  return row ?? null;
}

export async function recordExecution(
  db: Database,
  id: string,
  outcome: { status: 'executed' | 'failed'; reason: string | null; result: Record<string, unknown> | null },
  now: number,
): Promise<ApprovalRow | null> {
  const [row] = await db
    .update(approvals)
    .set({ status: outcome.status, reason: outcome.reason, result: outcome.result, executedAt: now })
    .where(and(eq(approvals.id, id), eq(approvals.status, 'approved')))
    .returning();
  return row ?? null;
}

/** Bounded work per cron run, like the connection expiry. */
export const EXPIRE_APPROVALS_BATCH = 500;

export async function expireStaleApprovals(db: Database, now: number): Promise<ApprovalRow[]> {
  const due = db
    .select({ id: approvals.id })
    .from(approvals)
    .where(and(eq(approvals.status, 'pending'), lte(approvals.expiresAt, now)))
    .limit(EXPIRE_APPROVALS_BATCH);
  return db
    .update(approvals)
    .set({ status: 'expired', decidedAt: now, decidedBy: 'expiry' })
    .where(and(inArray(approvals.id, due), eq(approvals.status, 'pending')))
    .returning();
}
