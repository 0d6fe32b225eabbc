import { createExecutionContext, createMessageBatch, env, getQueueResult, type MessageBatchMessage } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { backoffSeconds } from '../../src/audit/consumer';
import type { AuditEvent } from '../../src/audit/event';
import { auditEvent, rowsWhere } from './audit-helpers';

const AUDIT_QUEUE = 'odoo-mcp-gateway-audit';
const DEAD_LETTER_QUEUE = 'odoo-mcp-gateway-audit-dlq';

afterEach(() => {
  vi.restoreAllMocks();
});

function messages(bodies: unknown[], attempts = 1): MessageBatchMessage[] {
  return bodies.map((body, index) => ({ id: `msg-${index}-${crypto.randomUUID()}`, timestamp: new Date(Date.parse('2026-11-20T10:00:00Z') + index), attempts, body }));
}

/**
 * Runs the Worker's queue handler on a batch, as the runtime would. getQueueResult
 * reports which messages were acked and retried; the retry delays are read from
 * a spy, as the result does not carry them.
 */
async function consume(queue: string, batchMessages: MessageBatchMessage[]) {
  const batch = createMessageBatch(queue, batchMessages);
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, 'retry').mockImplementation((options) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await worker.queue!(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map(({ msgId }) => ({ msgId, delaySeconds: delays.get(msgId) })) };
}

function connectionEvents(connectionId: string, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, index) =>
    auditEvent({ connectionId, at: Date.parse('2026-11-20T10:00:00Z') + index, recordIds: [index, index + 1], detail: { written_fields: ['name'], n: index } }),
  );
}

describe('the audit queue consumer', () => {
  it('stores a batch of 100 in one D1 round trip, each message acknowledged', async () => {
    const connectionId = `con_batch_${crypto.randomUUID().slice(0, 8)}`;
    const events = connectionEvents(connectionId, 100);
    const batchSpy = vi.spyOn(env.DB, 'batch');
    const prepareSpy = vi.spyOn(env.DB, 'prepare');

    const batch = messages(events);
    const result = await consume(AUDIT_QUEUE, batch);

    expect(result.explicitAcks.sort()).toEqual(batch.map((message) => message.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect(batchSpy).toHaveBeenCalledTimes(1);
    expect(prepareSpy).toHaveBeenCalledTimes(1);
    const rows = await rowsWhere('connection_id = ?', connectionId);
    expect(rows).toHaveLength(100);
    expect(rows[7]).toMatchObject({
      id: events[7]!.id,
      at: events[7]!.at,
      kind: 'mcp',
      connection_name: 'Audit test',
      key_public_id: 'abcdefghijkl',
      odoo_uid: 2,
      odoo_login: 'admin',
      client_ip: '203.0.113.5',
      user_agent: 'vitest',
      mcp_client_name: 'audit-tests',
      mcp_client_version: '1.0.0',
      tool: 'search_records',
      model: 'res.partner',
      method: 'search_read',
      outcome: 'allowed',
      latency_ms: 12,
      dead_lettered: 0,
    });
    expect(JSON.parse(rows[7]!.record_ids!)).toEqual([7, 8]);
    expect(JSON.parse(rows[7]!.detail!)).toEqual({ written_fields: ['name'], n: 7 });
    expect(typeof rows[7]!.stored_at).toBe('number');
  });

  it('splits a batch of large events into several statements, still in one round trip', async () => {
    const connectionId = `con_large_${crypto.randomUUID().slice(0, 8)}`;
    const events = connectionEvents(connectionId, 100).map((event) => ({ ...event, detail: { arguments: { note: 'x'.repeat(10_000) } } }));
    const batchSpy = vi.spyOn(env.DB, 'batch');

    await consume(AUDIT_QUEUE, messages(events));

    expect(batchSpy).toHaveBeenCalledTimes(1);
    expect(batchSpy.mock.calls[0]![0].length).toBeGreaterThan(1);
    expect(await rowsWhere('connection_id = ?', connectionId)).toHaveLength(100);
  });

  it('stores nothing new when the same batch comes again', async () => {
    const connectionId = `con_again_${crypto.randomUUID().slice(0, 8)}`;
    const batch = messages(connectionEvents(connectionId, 30));
    await consume(AUDIT_QUEUE, batch);
    const first = await rowsWhere('connection_id = ?', connectionId);

    const again = await consume(AUDIT_QUEUE, batch);
    expect(again.explicitAcks).toHaveLength(30);
    expect(await rowsWhere('connection_id = ?', connectionId)).toEqual(first);
    expect(first).toHaveLength(30);
  });

  it('keeps one row for an event delivered twice in one batch', async () => {
    const event = auditEvent({ connectionId: `con_twice_${crypto.randomUUID().slice(0, 8)}` });
    const result = await consume(AUDIT_QUEUE, messages([event, event]));
    expect(result.explicitAcks).toHaveLength(2);
    expect(await rowsWhere('connection_id = ?', event.connectionId)).toHaveLength(1);
  });

  it('stores the rest of a batch and retries a malformed message with back-off', async () => {
    const connectionId = `con_malformed_${crypto.randomUUID().slice(0, 8)}`;
    const good = connectionEvents(connectionId, 3);
    const batch = messages([good[0], { ...good[1], id: 'bad-outcome', outcome: 'maybe' }, good[1], 'not an event', good[2]], 3);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const result = await consume(AUDIT_QUEUE, batch);

    expect(result.explicitAcks.sort()).toEqual([batch[0]!.id, batch[2]!.id, batch[4]!.id].sort());
    expect(result.retryMessages).toEqual([
      { msgId: batch[1]!.id, delaySeconds: backoffSeconds(3) },
      { msgId: batch[3]!.id, delaySeconds: backoffSeconds(3) },
    ]);
    expect((await rowsWhere('connection_id = ?', connectionId)).map((row) => row.id)).toEqual(good.map((event) => event.id));
    expect(await rowsWhere("id = 'bad-outcome'")).toEqual([]);
  });

  it('retries every message, with back-off, when D1 refuses the write', async () => {
    const connectionId = `con_d1down_${crypto.randomUUID().slice(0, 8)}`;
    vi.spyOn(env.DB, 'batch').mockRejectedValue(new Error('D1_ERROR: database is locked'));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const batch = messages(connectionEvents(connectionId, 4), 1);

    const result = await consume(AUDIT_QUEUE, batch);

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual(batch.map((message) => ({ msgId: message.id, delaySeconds: backoffSeconds(1) })));
    vi.mocked(env.DB.batch).mockRestore();
    expect(await rowsWhere('connection_id = ?', connectionId)).toEqual([]);
  });

  it('backs off longer with each attempt, up to ten minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffSeconds)).toEqual([10, 20, 40, 80, 160, 320, 600, 600]);
  });
});

describe('the dead-letter queue consumer', () => {
  it('stores what the main consumer gave up on, marked dead_lettered, and a malformed body quarantined', async () => {
    const connectionId = `con_dlq_${crypto.randomUUID().slice(0, 8)}`;
    const valid = auditEvent({ connectionId, outcome: 'denied', denialCode: 'model_not_allowed', denialReason: 'no' });
    const malformed = { ...auditEvent({ connectionId, tool: 'read_records' }), outcome: 'maybe' };
    const batch = messages([valid, malformed], 6);

    const result = await consume(DEAD_LETTER_QUEUE, batch);

    expect(result.explicitAcks.sort()).toEqual(batch.map((message) => message.id).sort());
    expect(result.retryMessages).toEqual([]);
    const rows = await rowsWhere('connection_id = ?', connectionId);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.id === valid.id)).toMatchObject({ dead_lettered: 1, outcome: 'denied', denial_code: 'model_not_allowed' });
    const quarantined = rows.find((row) => row.id === `dlq_${batch[1]!.id}`)!;
    expect(quarantined).toMatchObject({
      dead_lettered: 1,
      kind: 'system',
      outcome: 'error',
      denial_code: 'malformed_audit_message',
      tool: 'read_records',
      at: Date.parse('2026-11-20T10:00:00Z') + 1,
    });
    expect(quarantined.denial_reason).toMatch(/^An audit message could not be read \(outcome: /);
    expect(JSON.parse(JSON.parse(quarantined.detail!).raw)).toEqual(malformed);

    await consume(DEAD_LETTER_QUEUE, batch);
    expect(await rowsWhere('connection_id = ?', connectionId)).toHaveLength(2);
  });

  it('retries the dead-lettered batch when D1 refuses it, and logs the events so none vanish unseen', async () => {
    const event = auditEvent({ connectionId: `con_dlqdown_${crypto.randomUUID().slice(0, 8)}` });
    vi.spyOn(env.DB, 'batch').mockRejectedValue(new Error('D1 is down'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const batch = messages([event], 2);

    const result = await consume(DEAD_LETTER_QUEUE, batch);

    expect(result.retryMessages).toEqual([{ msgId: batch[0]!.id, delaySeconds: backoffSeconds(2) }]);
    expect(logged.mock.calls.flat().join('\n')).toContain(event.id);
  });
});
