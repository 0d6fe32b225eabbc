import type { ApprovalRow, ApprovalStatus } from './store';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/**
 * The status an approval shows: a pending row past its expiry reads as
 * expired even before the cron or a late call marks it.
 */
export function effectiveStatus(row: ApprovalRow, now: number): ApprovalStatus {
  return row.status === 'pending' && row.expiresAt <= now ? 'expired' : row.status;
}

/** What approval_status tells the calling connection. */
export function presentApprovalStatus(row: ApprovalRow, now: number): Record<string, unknown> {
  return {
    approval_id: row.id,
    status: effectiveStatus(row, now),
    tool: row.tool,
    requested_at: iso(row.requestedAt),
    expires_at: iso(row.expiresAt),
    decided_at: iso(row.decidedAt),
    note: row.note,
    reason: row.reason,
    executed_at: iso(row.executedAt),
    result: row.result,
  };
}

export function parsedArguments(row: ApprovalRow): Record<string, unknown> {
  return JSON.parse(row.arguments) as Record<string, unknown>;
}

/** What the call would change, in words an approver can check against the arguments. */
export function describeChange(row: ApprovalRow): string {
  const own = describeOwnChange(row);
  const related = row.rule.related ?? [];
  return related.length ? `${own} Through nested commands and relations it also ${related.join('; ')}.` : own;
}

function describeOwnChange(row: ApprovalRow): string {
  const args = parsedArguments(row);
  const ids = Array.isArray(args.ids) ? (args.ids as unknown[]).join(', ') : null;
  const model = typeof args.model === 'string' ? args.model : (row.model ?? '?');
  const fields = (values: unknown) => (values && typeof values === 'object' ? Object.keys(values).join(', ') : '');
  switch (row.tool) {
    case 'delete_records':
      return `Deletes ${model} records ${ids}; this cannot be undone.`;
    case 'update_records':
      return `Writes ${fields(args.values)} on ${model} records ${ids}.`;
    case 'create_records': {
      const list = Array.isArray(args.values) ? args.values : [args.values];
      return `Creates ${list.length} ${model} record${list.length === 1 ? '' : 's'} setting ${[...new Set(list.flatMap((v) => fields(v).split(', ')))].join(', ')}.`;
    }
    case 'call_method':
      return `Calls ${model}.${String(args.method)}${ids ? ` on records ${ids}` : ''}${args.kwargs ? ` with ${fields(args.kwargs)}` : ''}.`;
    default:
      return `Runs ${row.tool} on ${model}.`;
  }
}
