import type { Principal } from '../auth/principal';
import { describeOdooFailure } from '../odoo/failures';
import { describeDenial } from '../policy/reasons';
import type { CallRecord } from '../mcp/server';
import type { ClientInfo } from '../mcp/sessions';
import { newEventId, type AuditEvent } from './event';

export interface CallSite {
  principal: Principal;
  session: { id: string; client: ClientInfo };
  clientIp: string | null;
  userAgent: string | null;
}

/** Turns one tools/call into its audit event. Secrets never enter it; written values only by field name unless the connection opted in. */
export function auditEventForCall(site: CallSite, call: CallRecord): AuditEvent {
  const args = call.args ?? {};
  const outcome = call.outcome;
  const ids = outcome.kind === 'ok' && outcome.recordIds ? outcome.recordIds : numberList(args.ids);
  return {
    id: newEventId(call.startedAt),
    at: call.startedAt,
    kind: 'mcp',
    connectionId: site.principal.connection.id,
    connectionName: site.principal.connection.name,
    keyPublicId: site.principal.keyPublicId,
    odooUid: site.principal.odoo.uid,
    odooLogin: site.principal.odoo.login,
    clientIp: site.clientIp,
    userAgent: site.userAgent?.slice(0, 300) ?? null,
    mcpClientName: site.session.client.name,
    mcpClientVersion: site.session.client.version,
    sessionId: site.session.id,
    tool: call.tool.slice(0, 100),
    model: typeof args.model === 'string' ? args.model.slice(0, 128) : null,
    method: typeof args.method === 'string' ? args.method.slice(0, 128) : null,
    recordIds: ids ? ids.slice(0, 1000) : null,
    outcome: outcome.kind === 'ok' ? 'allowed' : outcome.kind === 'denied' ? 'denied' : 'error',
    denialCode: outcome.kind === 'denied' ? outcome.reason.code : null,
    denialReason:
      outcome.kind === 'denied'
        ? describeDenial(outcome.reason)
        : outcome.kind === 'invalid'
          ? outcome.message.slice(0, 1000)
          : outcome.kind === 'odoo_error'
            ? describeOdooFailure(outcome.failure, { model: String(args.model ?? ''), method: String(args.method ?? '') })
            : null,
    odooError: outcome.kind === 'odoo_error' ? (outcome.failure.odooName ?? outcome.failure.kind) : null,
    latencyMs: Math.round(call.latencyMs),
    detail: summarizeArguments(args, site.principal.connection.logPayloads),
  };
}

function summarizeArguments(args: Record<string, unknown>, logPayloads: boolean): Record<string, unknown> | null {
  if (logPayloads) return { arguments: args };
  const values = args.values;
  const written = Array.isArray(values) ? values : values && typeof values === 'object' ? [values] : [];
  const fields = [...new Set(written.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])))];
  const summary: Record<string, unknown> = {};
  if (fields.length) summary.written_fields = fields;
  if (Array.isArray(args.fields)) summary.fields = args.fields.slice(0, 100);
  if (Array.isArray(args.domain) && args.domain.length) summary.domain_terms = args.domain.length;
  return Object.keys(summary).length ? summary : null;
}

function numberList(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((v) => Number.isInteger(v)) ? (value as number[]) : null;
}
