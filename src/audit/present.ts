import type { AuditRow } from './query';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An event as the admin API shows it: snake_case, times in ISO 8601 UTC. */
export function presentAuditEvent(row: AuditRow) {
  return {
    id: row.id,
    at: iso(row.at),
    kind: row.kind,
    outcome: row.outcome,
    connection_id: row.connectionId,
    connection_name: row.connectionName,
    key_public_id: row.keyPublicId,
    odoo_uid: row.odooUid,
    odoo_login: row.odooLogin,
    client_ip: row.clientIp,
    user_agent: row.userAgent,
    mcp_client_name: row.mcpClientName,
    mcp_client_version: row.mcpClientVersion,
    session_id: row.sessionId,
    tool: row.tool,
    model: row.model,
    method: row.method,
    record_ids: row.recordIds,
    reason_code: row.denialCode,
    reason: row.denialReason,
    odoo_error: row.odooError,
    latency_ms: row.latencyMs,
    detail: row.detail,
    dead_lettered: row.deadLettered,
    stored_at: iso(row.storedAt === null ? null : Math.trunc(row.storedAt)),
  };
}

export type PresentedAuditEvent = ReturnType<typeof presentAuditEvent>;

/** The CSV columns, in order: every JSON field, with lists and objects flattened to text. */
export const CSV_COLUMNS = [
  'id',
  'at',
  'kind',
  'outcome',
  'connection_id',
  'connection_name',
  'key_public_id',
  'odoo_uid',
  'odoo_login',
  'client_ip',
  'user_agent',
  'mcp_client_name',
  'mcp_client_version',
  'session_id',
  'tool',
  'model',
  'method',
  'record_ids',
  'reason_code',
  'reason',
  'odoo_error',
  'latency_ms',
  'detail',
  'dead_lettered',
  'stored_at',
] as const satisfies ReadonlyArray<keyof PresentedAuditEvent>;

type MissingColumn = Exclude<keyof PresentedAuditEvent, (typeof CSV_COLUMNS)[number]>;
const everyFieldExported: [MissingColumn] extends [never] ? true : MissingColumn = true;
void everyFieldExported;

export function csvValues(event: PresentedAuditEvent): Array<string | number | boolean | null> {
  return CSV_COLUMNS.map((column) => {
    const value = event[column];
    if (column === 'record_ids') return event.record_ids ? event.record_ids.join(' ') : null;
    if (column === 'detail') return event.detail ? JSON.stringify(event.detail) : null;
    return value as string | number | boolean | null;
  });
}
