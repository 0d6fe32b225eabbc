import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { callTool, expectRefused, useScopedGateway } from './scopes-helpers';

/** A refusal is audited: its event goes to the queue in the background and the consumer stores it in D1. */

const { connectWithScope } = useScopedGateway();

describe('every refusal reaches the audit trail', () => {
  it('stores a denied event with the reason code and the connection id', async () => {
    const queued: unknown[] = [];
    // Capture what the Worker queues instead of waiting for the local queue's batch timeout, then drain it through the real consumer.
    vi.spyOn(env.AUDIT_QUEUE, 'send').mockImplementation(async (body) => {
      queued.push(body);
      return { metadata: { metrics: { backlogCount: queued.length, backlogBytes: 0 } } };
    });
    const { client, connection } = await connectWithScope({ preset: 'custom', operations: ['create'], models: { 'crm.lead': { write_fields: ['name'] } } });
    expectRefused(await callTool(client, 'create_records', { model: 'crm.lead', values: { name: 'x', user_id: 2 } }), 'field_not_writable');

    const isThisCall = (body: unknown) => (body as { kind?: string; connectionId?: string }).kind === 'mcp' && (body as { connectionId?: string }).connectionId === connection.id;
    await vi.waitFor(() => expect(queued.filter(isThisCall)).toHaveLength(1));
    const batch = createMessageBatch(
      'odoo-mcp-gateway-audit',
      queued.filter(isThisCall).map((body, index) => ({ id: `msg-${index}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['msg-0']);

    const rows = await env.DB.prepare(
      "SELECT connection_id, outcome, denial_code, denial_reason, tool, model FROM audit_events WHERE kind = 'mcp' AND connection_id = ?",
    )
      .bind(connection.id)
      .all();
    expect(rows.results).toEqual([
      {
        connection_id: connection.id,
        outcome: 'denied',
        denial_code: 'field_not_writable',
        denial_reason: "crm.lead: field 'user_id' may not be written by this connection",
        tool: 'create_records',
        model: 'crm.lead',
      },
    ]);
  });
});
