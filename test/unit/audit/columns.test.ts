import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '../../../src/audit/columns';
import { csvLine } from '../../../src/audit/csv';
import { auditEvent } from '../../../src/audit/event';
import { auditEventJsonSchema, CSV_COLUMNS, csvValues, presentAuditEvent } from '../../../src/audit/present';
import type { AuditRow } from '../../../src/audit/query';
import { auditEvents } from '../../../src/db/schema';

const row: AuditRow = {
  id: 'evt_1',
  at: Date.UTC(2026, 0, 31, 23),
  kind: 'mcp',
  connectionId: 'con_1',
  connectionName: 'Website, "forms"',
  keyPublicId: 'abc',
  odooUid: 2,
  odooLogin: 'bot',
  clientIp: '198.51.100.7',
  userAgent: '=HYPERLINK()',
  mcpClientName: 'claude',
  mcpClientVersion: '1.0',
  sessionId: 'sess',
  tool: 'search_records',
  model: 'res.partner',
  method: 'search_read',
  recordIds: [3, 4],
  outcome: 'denied',
  denialCode: 'field_not_allowed',
  denialReason: 'no',
  odooError: null,
  latencyMs: 12,
  detail: { a: 1 },
  deadLettered: false,
  storedAt: Date.UTC(2026, 0, 31, 23) + 5.5,
};

describe('the audit columns, derived from the drizzle table', () => {
  it('show every table column once in the API, in the order the API has always used', () => {
    expect(Object.keys(presentAuditEvent(row))).toEqual([
      'id', 'at', 'kind', 'outcome', 'connection_id', 'connection_name', 'key_public_id', 'odoo_uid', 'odoo_login', 'client_ip', 'user_agent',
      'mcp_client_name', 'mcp_client_version', 'session_id', 'tool', 'model', 'method', 'record_ids', 'reason_code', 'reason', 'odoo_error',
      'latency_ms', 'detail', 'dead_lettered', 'stored_at',
    ]);
    expect(CSV_COLUMNS).toEqual(Object.keys(presentAuditEvent(row)));
    expect(Object.keys(auditEventJsonSchema.shape)).toEqual(CSV_COLUMNS);
    expect(CSV_COLUMNS).toHaveLength(Object.keys(getTableColumns(auditEvents)).length);
  });

  it('present times in ISO 8601 and keep every other value as stored', () => {
    expect(presentAuditEvent(row)).toMatchObject({ at: '2026-01-31T23:00:00.000Z', stored_at: '2026-01-31T23:00:00.005Z', record_ids: [3, 4], reason_code: 'field_not_allowed' });
  });

  it('flatten lists and objects in the CSV, and neutralize formulas', () => {
    expect(csvLine(csvValues(presentAuditEvent(row)))).toBe(
      'evt_1,2026-01-31T23:00:00.000Z,mcp,denied,con_1,"Website, ""forms""",abc,2,bot,198.51.100.7,\'=HYPERLINK(),claude,1.0,sess,search_records,' +
        'res.partner,search_read,3 4,field_not_allowed,no,,12,"{""a"":1}",false,2026-01-31T23:00:00.005Z\r\n',
    );
  });

  it('start an event with every nullable event column empty', () => {
    const event = auditEvent({ id: 'e', at: 1, kind: 'system', outcome: 'allowed' });
    const nullable = EVENT_COLUMNS.filter((column) => !column.notNull).map((column) => column.field);
    expect(Object.keys(event).sort()).toEqual(EVENT_COLUMNS.map((column) => column.field).sort());
    for (const field of nullable) expect(event[field], field).toBeNull();
  });

  it('mark the JSON columns, which the insert stores as JSON text', () => {
    expect(EVENT_COLUMNS.filter((column) => column.json).map((column) => column.name)).toEqual(['record_ids', 'detail']);
  });
});
