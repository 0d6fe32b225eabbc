import { env } from 'cloudflare:test';
import type { AuditEvent } from '../../src/audit/event';
import { storeAuditEvents } from '../../src/audit/store';
import { openDatabase } from '../../src/db/client';

/** Helpers shared by the audit-*.test.ts files. */

export type AuditRowJson = Record<string, unknown> & { id: string; detail: string | null; record_ids: string | null };

let counter = 0;

/** A complete, valid event; every test overrides what it is about. */
export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  counter += 1;
  return {
    id: `evt_${crypto.randomUUID().replaceAll('-', '')}`,
    at: Date.now(),
    kind: 'mcp',
    connectionId: 'con_audit_test',
    connectionName: 'Audit test',
    keyPublicId: 'abcdefghijkl',
    odooUid: 2,
    odooLogin: 'admin',
    clientIp: '203.0.113.5',
    userAgent: 'vitest',
    mcpClientName: 'audit-tests',
    mcpClientVersion: '1.0.0',
    sessionId: `session_${counter}`,
    tool: 'search_records',
    model: 'res.partner',
    method: 'search_read',
    recordIds: [1, 2, 3],
    outcome: 'allowed',
    denialCode: null,
    denialReason: null,
    odooError: null,
    latencyMs: 12,
    detail: { fields: ['name'] },
    ...overrides,
  };
}

export async function seedEvents(events: AuditEvent[]): Promise<void> {
  await storeAuditEvents(openDatabase(env.DB), events);
}

export async function rowsWhere(where: string, ...binds: unknown[]): Promise<AuditRowJson[]> {
  const { results } = await env.DB.prepare(`SELECT * FROM audit_events WHERE ${where} ORDER BY at, id`)
    .bind(...binds)
    .all<AuditRowJson>();
  return results;
}

/**
 * Polls D1 until the rows match, within a bound: queue delivery is
 * asynchronous (vitest.config.ts sets the consumers' batch timeout to 0, so
 * it takes milliseconds), and the test never depends on how long it takes.
 */
export async function waitForRows(
  done: (rows: AuditRowJson[]) => boolean,
  where: string,
  ...binds: unknown[]
): Promise<AuditRowJson[]> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const rows = await rowsWhere(where, ...binds);
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`audit rows did not arrive in time; have ${rows.length}: ${JSON.stringify(rows.map((r) => [r.tool, r.outcome]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
