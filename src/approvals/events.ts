import { auditEvent, newEventId, type AuditEvent } from '../audit/event';
import type { AdminActor } from '../admins/actor';
import type { ApprovalRow } from './store';

export type ApprovalEventSink = (event: AuditEvent) => void;

export type ApprovalAction = 'approval.approve' | 'approval.deny' | 'approval.expire' | 'approval.execute' | 'approval.fail';

/**
 * One audit event per step of an approval, beside the MCP call event that
 * requested it (denial code approval_required). `actor` is the admin actor
 * (the same object every admin audit event names) for approve and deny, 'expiry' (cron or a late call), 'revocation' or the
 * admin who approved for execute and fail.
 */
export function approvalLifecycleEvent(
  row: ApprovalRow,
  action: ApprovalAction,
  actor: AdminActor | string,
  now: number,
  extra: { connectionName?: string | null; keyPublicId?: string | null; kind?: AuditEvent['kind'] } = {},
): AuditEvent {
  const failed = action === 'approval.fail';
  return auditEvent({
    id: newEventId(now),
    at: now,
    kind: extra.kind ?? (action === 'approval.expire' ? 'system' : 'admin'),
    connectionId: row.connectionId,
    connectionName: extra.connectionName ?? null,
    keyPublicId: extra.keyPublicId ?? null,
    tool: row.tool,
    model: row.model,
    method: action,
    outcome: failed ? 'error' : action === 'approval.deny' ? 'denied' : 'allowed',
    ...(failed ? { denialCode: 'approval_failed', denialReason: row.reason?.slice(0, 2000) ?? null } : {}),
    detail: {
      actor,
      approval_id: row.id,
      status: row.status,
      ...(row.note ? { note: row.note } : {}),
      rule: row.rule.matched,
    },
  });
}
