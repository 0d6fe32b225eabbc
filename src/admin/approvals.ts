import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { z } from 'zod';
import { approvalLifecycleEvent } from '../approvals/events';
import { executeApproved } from '../approvals/execute';
import { describeChange, effectiveStatus, parsedArguments } from '../approvals/present';
import { claimForExecution, denyPending, expireDueForCall, findApproval, recordExecution, type ApprovalRow } from '../approvals/store';
import { deliverAuditEvent } from '../audit/sink';
import { connectionNameOf } from '../connections/store';
import { approvals, connections } from '../db/schema';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { adminActorOf } from '../audit/admin-actions';
import { describeActor, type AdminActor } from '../admins/actor';
import { approvalListSchema, approvalSchema, decideApprovalSchema, listApprovalsQuerySchema } from './approval-schemas';
import { defineRoute } from './define-route';
import { decodeCursor, encodeCursor } from './list-cursor';
import { invalid } from './request-input';
import { log } from '../log/log';

/** Every approval route (GETs read, approve/deny decide), served under /admin/api/approvals. */
export const listApprovalsRoute = defineRoute({
  method: 'get',
  path: '/approvals',
  operationId: 'listApprovals',
  tag: 'approvals',
  role: 'viewer',
  summary: 'List calls held for approval',
  description: 'Newest first. A pending approval past its expiry shows as expired before the cron marks it.',
  query: listApprovalsQuerySchema,
  responses: { 200: { description: 'A page of approvals', schema: approvalListSchema } },
}, listApprovals);

export const getApprovalRoute = defineRoute({
  method: 'get',
  path: '/approvals/{id}',
  operationId: 'getApproval',
  tag: 'approvals',
  role: 'viewer',
  summary: 'Get an approval: the exact arguments, the connection, the rule and what the call would change',
  responses: { 200: { description: 'The approval', schema: approvalSchema } },
}, getApproval);

export const approveApprovalRoute = defineRoute({
  method: 'post',
  path: '/approvals/{id}/approve',
  operationId: 'approveApproval',
  tag: 'approvals',
  role: 'operator',
  summary: 'Approve a pending call and run it once',
  description:
    "Runs the stored call once against the connection's current state and scope; the answer holds the outcome (executed or failed, with the reason and the result). An approval that is not pending answers 409 and runs nothing.",
  body: { schema: decideApprovalSchema, required: false },
  responses: { 200: { description: 'The approval after its execution', schema: approvalSchema } },
  errors: ['conflict'],
}, approveApproval);

export const denyApprovalRoute = defineRoute({
  method: 'post',
  path: '/approvals/{id}/deny',
  operationId: 'denyApproval',
  tag: 'approvals',
  role: 'operator',
  summary: 'Deny a pending call, with an optional note for the client',
  body: { schema: decideApprovalSchema, required: false },
  responses: { 200: { description: 'The denied approval', schema: approvalSchema } },
  errors: ['conflict'],
}, denyApproval);

const cursorSchema = z.tuple([z.number().int(), z.string()]);

/** The declared schemas above parse these before the handlers run (src/admin/define-route.ts). */
type ListApprovalsQuery = z.output<typeof listApprovalsQuerySchema>;
type DecideApproval = z.output<typeof decideApprovalSchema>;

async function listApprovals(c: Context<AppEnv>, { query }: { query: ListApprovalsQuery }) {
  const { db, now } = c.var.services;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema);
  if (after === null) throw invalid('The query is invalid.', [{ path: 'cursor', message: 'not a cursor this list handed out' }]);
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(approvals.status, query.status));
  if (query.connection_id) conditions.push(eq(approvals.connectionId, query.connection_id));
  if (query.model) conditions.push(eq(approvals.model, query.model));
  if (after) conditions.push(or(lt(approvals.requestedAt, after[0]), and(eq(approvals.requestedAt, after[0]), lt(approvals.id, after[1])))!);
  const rows = await db
    .select({ approval: approvals, connectionName: connections.name })
    .from(approvals)
    .leftJoin(connections, eq(connections.id, approvals.connectionId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(approvals.requestedAt), desc(approvals.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const at = now();
  return c.json({
    items: page.map((row) => presentSummary(row.approval, row.connectionName, at)),
    next_cursor: rows.length > query.limit && last ? encodeCursor([last.approval.requestedAt, last.approval.id]) : null,
  });
}

async function getApproval(c: Context<AppEnv>) {
  const { row, connectionName } = await requireApproval(c);
  return c.json(presentDetail(row, connectionName, c.var.services.now()));
}

/**
 * Approves and runs the stored call once. The conditional UPDATE
 * pending → approved lets one approver through; a second approve (or a
 * deny racing it) finds nothing pending and gets a 409, and runs nothing.
 */
async function approveApproval(c: Context<AppEnv>, { body }: { body: DecideApproval }) {
  const note = noteOf(body);
  const { db, config, keys, now } = c.var.services;
  const { row: before, connectionName } = await requireApproval(c);
  const at = now();
  const actor = requireActor(c);
  const claimed = await claimForExecution(db, before.id, describeActor(actor), note, at);
  if (!claimed) throw await notPending(c, before, at);
  audit(c, approvalLifecycleEvent(claimed, 'approval.approve', actor, at, { connectionName }));
  // Whatever happens, the approval leaves `approved`: an open row would hold the call's digest forever.
  const execution = await executeApproved({ db, config, keys, now: at }, claimed).catch((error: unknown) => {
    log.error({ msg: 'approved call could not run', approval: claimed.id, error: String(error) });
    return { status: 'failed' as const, reason: 'the gateway failed to run the call; the failure was logged', result: null };
  });
  const done = await recordExecution(db, claimed.id, execution, now());
  const finished = done ?? claimed;
  audit(c, approvalLifecycleEvent(finished, execution.status === 'executed' ? 'approval.execute' : 'approval.fail', actor, now(), { connectionName }));
  return c.json(presentDetail(finished, connectionName, now()));
}

async function denyApproval(c: Context<AppEnv>, { body }: { body: DecideApproval }) {
  const note = noteOf(body);
  const { db, now } = c.var.services;
  const { row: before, connectionName } = await requireApproval(c);
  const at = now();
  const actor = requireActor(c);
  const denied = await denyPending(db, before.id, describeActor(actor), note, at);
  if (!denied) throw await notPending(c, before, at);
  audit(c, approvalLifecycleEvent(denied, 'approval.deny', actor, at, { connectionName }));
  return c.json(presentDetail(denied, connectionName, at));
}

/** Approve and deny run behind requireAdmin, so an actor is always signed in. */
function requireActor(c: Context<AppEnv>): AdminActor {
  const actor = adminActorOf(c);
  if (!actor) throw new ApiError('unauthorized', 'Sign in to approve or deny.');
  return actor;
}

function noteOf(body: DecideApproval): string | null {
  return body.note ? body.note : null;
}

async function requireApproval(c: Context<AppEnv>): Promise<{ row: ApprovalRow; connectionName: string | null }> {
  const id = c.req.param('id') ?? '';
  const row = await findApproval(c.var.services.db, id);
  if (!row) throw new ApiError('not_found', `No approval '${id}'.`);
  return { row, connectionName: await connectionNameOf(c.var.services.db, row.connectionId) };
}

/** The precise 409: what the approval already is. A pending one past its expiry is marked expired here. */
async function notPending(c: Context<AppEnv>, before: ApprovalRow, at: number): Promise<ApiError> {
  const { db } = c.var.services;
  for (const expired of await expireDueForCall(db, before.connectionId, before.digest, at)) {
    audit(c, approvalLifecycleEvent(expired, 'approval.expire', 'expiry', at));
  }
  const now = (await findApproval(db, before.id)) ?? before;
  const by = now.decidedBy ? ` by ${now.decidedBy}` : '';
  return new ApiError('conflict', `The approval is ${now.status}${by}, not pending: nothing was run.`, { status: now.status });
}

function audit(c: Context<AppEnv>, event: Parameters<typeof deliverAuditEvent>[2]): void {
  c.executionCtx.waitUntil(
    deliverAuditEvent(c.env.AUDIT_QUEUE, c.var.services.db, event).catch((error) =>
      log.error({ msg: 'approval audit delivery failed', error: String(error) }),
    ),
  );
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

function presentSummary(row: ApprovalRow, connectionName: string | null, now: number) {
  return {
    id: row.id,
    status: effectiveStatus(row, now),
    connection: { id: row.connectionId, name: connectionName },
    tool: row.tool,
    model: row.model,
    method: row.method,
    rule: row.rule.matched,
    requested_at: iso(row.requestedAt)!,
    expires_at: iso(row.expiresAt)!,
    decided_by: row.decidedBy,
    decided_at: iso(row.decidedAt),
    note: row.note,
    executed_at: iso(row.executedAt),
  };
}

function presentDetail(row: ApprovalRow, connectionName: string | null, now: number) {
  return {
    ...presentSummary(row, connectionName, now),
    arguments: parsedArguments(row),
    digest: row.digest,
    rule_detail: { index: row.rule.index, rule: row.rule.rule },
    would_change: describeChange(row),
    reason: row.reason,
    result: row.result,
  };
}
