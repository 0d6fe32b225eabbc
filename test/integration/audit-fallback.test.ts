import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliverAuditEvent } from '../../src/audit/sink';
import { openDatabase } from '../../src/db/client';
import { connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { auditEvent, rowsWhere, waitForRows } from './audit-helpers';

useStandinOdoo();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('when the audit queue refuses a send', () => {
  it.each([
    ['rejects', () => Promise.reject(new Error('Queue send failed: 503'))],
    ['throws', () => {
      throw new TypeError('Queue binding unavailable');
    }],
  ])('writes the events of MCP calls to D1 directly when send %s, none lost', async (_label, failure) => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const client = await connectClient(key);
    const send = vi.spyOn(env.AUDIT_QUEUE, 'send').mockImplementation(failure);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    for (const model of ['res.partner', 'crm.lead', 'sale.order']) {
      const result = await client.callTool({ name: 'count_records', arguments: { model } });
      expect(result.isError).toBeFalsy();
    }

    const rows = await waitForRows((found) => found.length >= 3, "connection_id = ? AND kind = 'mcp'", connection.id);
    expect(rows.map((row) => row.model).sort()).toEqual(['crm.lead', 'res.partner', 'sale.order']);
    expect(rows.every((row) => row.outcome === 'allowed' && row.dead_lettered === 0)).toBe(true);
    const sentIds = send.mock.calls.map(([body]) => (body as { id: string }).id);
    expect(sentIds).toEqual(expect.arrayContaining(rows.map((row) => row.id)));
  });

  it('stores the event once even if the queue delivers it later after all', async () => {
    const event = auditEvent({ connectionId: `con_both_${crypto.randomUUID().slice(0, 8)}` });
    const queue = { send: vi.fn().mockRejectedValue(new Error('timed out')) } as unknown as Queue<unknown>;
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = openDatabase(env.DB);

    await deliverAuditEvent(queue, db, event);
    await deliverAuditEvent(queue, db, event);

    expect(await rowsWhere('connection_id = ?', event.connectionId)).toHaveLength(1);
  });

  it('logs the whole event and fails when D1 refuses it too, so the loss is visible', async () => {
    const event = auditEvent({ connectionId: `con_lost_${crypto.randomUUID().slice(0, 8)}` });
    const queue = { send: vi.fn().mockRejectedValue(new Error('queue down')) } as unknown as Queue<unknown>;
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(env.DB, 'batch').mockRejectedValue(new Error('D1 down'));

    await expect(deliverAuditEvent(queue, openDatabase(env.DB), event)).rejects.toThrow('D1 down');

    const line = JSON.parse(logged.mock.calls.at(-1)![0] as string);
    expect(line.event).toEqual(event);
  });
});

describe('when the queue accepts the send', () => {
  it('does not write to D1 on the request path', async () => {
    const event = auditEvent({ connectionId: `con_queued_${crypto.randomUUID().slice(0, 8)}` });
    const queue = { send: vi.fn().mockResolvedValue(undefined) } as unknown as Queue<unknown>;
    const batch = vi.spyOn(env.DB, 'batch');

    await deliverAuditEvent(queue, openDatabase(env.DB), event);

    expect(queue.send).toHaveBeenCalledWith(event, { contentType: 'json' });
    expect(batch).not.toHaveBeenCalled();
  });
});
