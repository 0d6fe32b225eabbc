import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import type { ApprovalAccess, ToolOutcome } from '../mcp/tools/types';
import { approvalTtlMs, findApprovalRule, type CallEffect } from '../policy/approvals';
import { canonicalJson, sha256Hex } from './canonical';
import { approvalLifecycleEvent, type ApprovalEventSink } from './events';
import { presentApprovalStatus } from './present';
import { claimUndelivered, expireDueForCall, findApproval, insertPending, MAX_OPEN_APPROVALS, type ApprovalRow } from './store';

/** The canonical arguments an approval stores, at most (64 KiB). */
export const MAX_APPROVAL_ARGUMENT_BYTES = 65_536;

export interface GateDeps {
  db: Database;
  principal: Principal;
  now: () => number;
  /** Delivers lifecycle events (expiries found on the way) to the audit trail, in the background. */
  audit: ApprovalEventSink;
}

/**
 * The approval seam of one tools/call. `hold` runs after every scope check
 * of the tool passed: when a rule of the connection's scope matches, the
 * call (tool and canonical arguments) is stored pending, or the pending twin
 * is answered, or the outcome of an approval of this exact call that the
 * caller has not received yet is handed out, once.
 */
export function approvalGate(deps: GateDeps, tool: string, args: Record<string, unknown>): ApprovalAccess {
  const { db, principal } = deps;
  const connectionId = principal.connection.id;
  return {
    async hold(effects: readonly CallEffect[]): Promise<ToolOutcome | null> {
      const scope = principal.connection.scope;
      const match = findApprovalRule(scope, effects);
      if (match === null) return null;
      const stored = canonicalJson(args);
      const bytes = new TextEncoder().encode(stored).length;
      // Bounded so that one key's open approvals cannot park ~100 MB in D1: nothing is stored past it.
      if (bytes > MAX_APPROVAL_ARGUMENT_BYTES) return { kind: 'approval', answer: { state: 'arguments_too_large', bytes, maxBytes: MAX_APPROVAL_ARGUMENT_BYTES } };
      const now = deps.now();
      const canonical = canonicalJson({ tool, arguments: args });
      const digest = await sha256Hex(canonical);
      for (const row of await expireDueForCall(db, connectionId, digest, now)) deps.audit(approvalLifecycleEvent(row, 'approval.expire', 'expiry', now));
      const decided = await claimUndelivered(db, connectionId, digest, now);
      if (decided) return answerDecided(decided);
      const first = effects[0];
      const open = await insertPending(db, {
        connectionId,
        tool,
        model: typeof args.model === 'string' ? args.model : (first?.model ?? null),
        method: typeof args.method === 'string' ? args.method : null,
        arguments: stored,
        digest,
        rule: { index: match.index, matched: match.matched, rule: match.rule },
        now,
        ttlMs: approvalTtlMs(scope),
      });
      if (!open) return { kind: 'approval', answer: { state: 'limit', limit: MAX_OPEN_APPROVALS } };
      return {
        kind: 'approval',
        answer: { state: 'pending', id: open.row.id, expiresAt: new Date(open.row.expiresAt).toISOString(), rule: open.row.rule.matched },
      };
    },
    async status(approvalId: string): Promise<ToolOutcome> {
      const row = await findApproval(db, approvalId);
      // Another connection's approval is answered exactly like a missing one.
      if (!row || row.connectionId !== connectionId) return { kind: 'invalid', message: `no approval '${approvalId}' for this connection` };
      return { kind: 'ok', data: presentApprovalStatus(row, deps.now()) };
    },
  };
}

function answerDecided(row: ApprovalRow): ToolOutcome {
  if (row.status === 'denied') return { kind: 'approval', answer: { state: 'denied', id: row.id, note: row.note } };
  return { kind: 'approval', answer: { state: 'replay', id: row.id, result: row.result ?? {} } };
}
