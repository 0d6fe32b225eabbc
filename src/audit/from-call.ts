import { describeApprovalAnswer } from '../approvals/words';
import type { Principal } from '../auth/principal';
import type { CallRecord } from '../mcp/server';
import type { CallSession } from '../mcp/call-session';
import { describeOdooFailure } from '../odoo/failures';
import { describeDenial } from '../policy/reasons';
import { summarizeArguments } from './payload';
import { newEventId, type AuditEvent } from './event';

export interface CallSite {
  principal: Principal;
  /** Its id is null for a stateless (2026-07-28) request, whose client comes from `_meta`. */
  session: CallSession;
  clientIp: string | null;
  userAgent: string | null;
}

/** The Odoo model and method each tool reaches, when its arguments do not name them. */
const ODOO_TARGET: Record<string, { model?: string; method: string }> = {
  search_records: { method: 'search_read' },
  count_records: { method: 'search_count' },
  read_records: { method: 'read' },
  create_records: { method: 'create' },
  update_records: { method: 'write' },
  delete_records: { method: 'unlink' },
  aggregate_records: { method: 'read_group' },
  describe_model: { method: 'fields_get' },
  list_models: { model: 'ir.model', method: 'search_read' },
};

const MAX_RECORD_IDS = 1000;

/**
 * Turns one tools/call into its audit event. Built only from the principal's
 * public parts (connection, key public id, Odoo uid and login): the key, its
 * hash and the Odoo API key never enter an event. Arguments are summarised by
 * name unless the connection opted in to payload logging.
 */
export function auditEventForCall(site: CallSite, call: CallRecord): AuditEvent {
  const args = call.args ?? {};
  const outcome = call.outcome;
  const target = call.tool !== null && Object.hasOwn(ODOO_TARGET, call.tool) ? ODOO_TARGET[call.tool] : undefined;
  const model = typeof args.model === 'string' ? args.model.slice(0, 128) : (target?.model ?? null);
  const method = typeof args.method === 'string' ? args.method.slice(0, 128) : (target?.method ?? null);
  const ids = outcome.kind === 'ok' && outcome.recordIds ? outcome.recordIds : integerList(args.ids);
  return {
    id: newEventId(call.startedAt),
    at: call.startedAt,
    kind: 'mcp',
    connectionId: site.principal.connection.id,
    connectionName: site.principal.connection.name,
    keyPublicId: site.principal.keyPublicId,
    odooUid: site.principal.odoo.uid,
    odooLogin: site.principal.odoo.login,
    clientIp: site.clientIp?.slice(0, 64) ?? null,
    userAgent: site.userAgent?.slice(0, 300) ?? null,
    mcpClientName: site.session.client.name,
    mcpClientVersion: site.session.client.version,
    sessionId: site.session.id,
    tool: call.tool?.slice(0, 100) ?? null,
    model,
    method,
    recordIds: ids ? ids.slice(0, MAX_RECORD_IDS) : null,
    outcome: outcomeOf(outcome),
    ...boundedReason(reasonOf(outcome, { model: model ?? '', method: method ?? '' })),
    latencyMs: Math.max(0, Math.round(call.latencyMs)),
    detail: summarizeArguments(args, site.principal.connection.logPayloads),
  };
}

/** The same codes and words the client got in its tool error, so an admin reads what the AI read. */
function reasonOf(
  outcome: CallRecord['outcome'],
  target: { model: string; method: string },
): Pick<AuditEvent, 'denialCode' | 'denialReason' | 'odooError'> {
  switch (outcome.kind) {
    case 'ok':
      return { denialCode: null, denialReason: null, odooError: null };
    case 'denied':
      return { denialCode: outcome.reason.code, denialReason: describeDenial(outcome.reason), odooError: null };
    case 'odoo_error':
      return { denialCode: outcome.failure.kind, denialReason: describeOdooFailure(outcome.failure, target), odooError: outcome.failure.odooName };
    case 'invalid':
      return { denialCode: 'invalid_arguments', denialReason: outcome.message, odooError: null };
    case 'internal':
      return { denialCode: 'internal_error', denialReason: 'The gateway failed to handle this call; the failure was logged.', odooError: null };
    case 'approval':
      return outcome.answer.state === 'replay'
        ? { denialCode: null, denialReason: `answered from approval ${outcome.answer.id}`, odooError: null }
        : { denialCode: `approval_${outcome.answer.state === 'pending' ? 'required' : outcome.answer.state}`, denialReason: describeApprovalAnswer(outcome.answer), odooError: null };
  }
}

/** A held call is audited as denied for now (code approval_required); the replay of an executed approval as allowed. */
function outcomeOf(outcome: CallRecord['outcome']): AuditEvent['outcome'] {
  if (outcome.kind === 'ok') return 'allowed';
  if (outcome.kind === 'denied') return 'denied';
  if (outcome.kind === 'approval') return outcome.answer.state === 'replay' ? 'allowed' : 'denied';
  return 'error';
}

/** Denial words quote caller-chosen names (a padded field name, a long method): keep each column bounded. */
const MAX_REASON_CHARS = 2000;

function boundedReason(reason: Pick<AuditEvent, 'denialCode' | 'denialReason' | 'odooError'>): Pick<AuditEvent, 'denialCode' | 'denialReason' | 'odooError'> {
  return {
    denialCode: reason.denialCode?.slice(0, 64) ?? null,
    denialReason: reason.denialReason === null || reason.denialReason.length <= MAX_REASON_CHARS ? reason.denialReason : `${reason.denialReason.slice(0, MAX_REASON_CHARS)}… (cut)`,
    odooError: reason.odooError?.slice(0, 200) ?? null,
  };
}

function integerList(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((v) => Number.isInteger(v)) ? (value as number[]) : null;
}
