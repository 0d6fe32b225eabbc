import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import type { ApprovalAccess, ToolOutcome } from '../mcp/tools/types';
import { approvalTtlMs, findApprovalRules, type CallEffect } from '../policy/approvals';
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
    async hold(own: readonly CallEffect[], related: readonly CallEffect[]): Promise<ToolOutcome | null> {
      const scope = principal.connection.scope;
      const effects = [...own, ...related];
      const matches = findApprovalRules(scope, effects);
      const match = matches[0];
      if (match === undefined) return null;
      // An approval binds the exact call; records the call does not name could change before it runs.
      const unbounded = matches.find((candidate) => candidate.effect.current);
      if (unbounded) return { kind: 'approval', answer: { state: 'unbounded', rule: unbounded.matched } };
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
      const first = own[0];
      const open = await insertPending(db, {
        connectionId,
        tool,
        model: typeof args.model === 'string' ? args.model : (first?.model ?? null),
        method: typeof args.method === 'string' ? args.method : null,
        arguments: stored,
        digest,
        rule: {
          index: match.index,
          matched: matches.map((each) => each.matched).join('; '),
          rule: match.rule,
          ...(related.length ? { related: [...new Set(related.map(describeEffect))] } : {}),
        },
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

/** An effect on another model in words, for the approval's page: "deletes sale.order records 2". */
export function describeEffect(effect: CallEffect): string {
  const records = effect.ids?.length ? ` records ${effect.ids.join(', ')}` : effect.current ? ' current records' : '';
  const fields = effect.fields?.length ? effect.fields.join(', ') : '';
  switch (effect.operation) {
    case 'create':
      return `creates ${effect.model} records${fields ? ` setting ${fields}` : ''}`;
    case 'write':
      return `writes ${fields || 'fields'} on ${effect.model}${records}`;
    case 'delete':
      return `deletes ${effect.model}${records}`;
    case 'read':
      return `links ${effect.model}${records}`;
    case 'query':
      return `searches ${effect.model}`;
    default:
      return `${effect.operation} on ${effect.model}${records}`;
  }
}

function answerDecided(row: ApprovalRow): ToolOutcome {
  if (row.status === 'denied') return { kind: 'approval', answer: { state: 'denied', id: row.id, note: row.note } };
  return { kind: 'approval', answer: { state: 'replay', id: row.id, result: row.result ?? {} } };
}
