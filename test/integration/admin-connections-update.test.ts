import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expectJson, getConnection, watchAuditQueue } from '../support/connections-api';
import { adminRequest, connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

const DAY = 86_400_000;

async function patch(id: string, json: unknown) {
  return expectJson(await adminRequest(`/admin/api/connections/${id}`, { method: 'PATCH', json }), 200);
}

async function toolNames(client: Awaited<ReturnType<typeof connectClient>>): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

function deniedCode(result: CallToolResult): string {
  expect(result.isError).toBe(true);
  return (result.structuredContent as { error: { code: string } }).error.code;
}

describe('PATCH /admin/api/connections/:id', () => {
  it('a scope change holds from the next request of an open session, both ways', async () => {
    const { key, connection } = await createConnection({ name: 'assistant', scope: { preset: 'full' } });
    const client = await connectClient(key);
    expect(await toolNames(client)).toContain('create_records');

    const narrowed = await patch(connection.id, { scope: { preset: 'read_only' } });
    expect(narrowed).toMatchObject({ scope: { preset: 'read_only' }, scope_summary: 'Read only' });
    expect(await toolNames(client)).not.toContain('create_records');
    const refused = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: [{ name: 'x' }] } })) as CallToolResult;
    expect(refused.isError).toBe(true);

    await patch(connection.id, { scope: { preset: 'full' } });
    expect(await toolNames(client)).toContain('create_records');
  });

  it('renames, toggles payload logging and audits the change with the fields changed', async () => {
    const audit = watchAuditQueue();
    const { connection } = await createConnection({ name: 'before', scope: { preset: 'read_only' } });
    const updated = await patch(connection.id, { name: '  after  ', log_payloads: true });
    expect(updated).toMatchObject({ name: 'after', log_payloads: true, status: 'awaiting_connection', key_public_id: connection.key_public_id });
    expect(await getConnection(connection.id)).toMatchObject({ name: 'after', log_payloads: true });
    await vi.waitFor(() => expect(audit.adminActions().map((event) => event.method)).toContain('connection.update'));
    const event = audit.adminActions().find((candidate) => candidate.method === 'connection.update');
    expect(event).toMatchObject({ connectionId: connection.id, connectionName: 'after', detail: { actor: { kind: 'bootstrap', id: 'admin-token' }, changed: ['name', 'log_payloads'] } });
  });

  it('a new expiry holds from the next request; null removes it', async () => {
    const start = Date.parse('2026-12-01T09:00:00Z');
    vi.setSystemTime(start);
    const { key, connection } = await createConnection({ name: 'validity', scope: { preset: 'read_only' } });
    const client = await connectClient(key);

    const expiring = await patch(connection.id, { expires_at: new Date(start + DAY).toISOString() });
    expect(expiring.expires_at).toBe(new Date(start + DAY).toISOString());
    vi.setSystemTime(start + DAY + 1);
    await expect(client.listTools()).rejects.toThrow();
    expect((await getConnection(connection.id)).status).toBe('expired');

    vi.setSystemTime(start + DAY - 1000);
    await patch(connection.id, { expires_at: null });
    vi.setSystemTime(start + 10 * DAY);
    expect((await toolNames(client)).length).toBeGreaterThan(0);
    expect(await getConnection(connection.id)).toMatchObject({ expires_at: null });
  });

  it('valid_for_days counts from now, and a future not_before refuses calls until it comes', async () => {
    const start = Date.parse('2026-12-02T09:00:00Z');
    vi.setSystemTime(start);
    const { key, connection } = await createConnection({ name: 'later', scope: { preset: 'read_only' } });
    const client = await connectClient(key);

    expect((await patch(connection.id, { valid_for_days: 2 })).expires_at).toBe(new Date(start + 2 * DAY).toISOString());
    const notBefore = new Date(start + DAY).toISOString();
    expect(await patch(connection.id, { not_before: notBefore })).toMatchObject({ not_before: notBefore });
    expect(deniedCode((await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult)).toBe('not_yet_valid');

    vi.setSystemTime(start + DAY);
    expect(((await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult).isError).toBeFalsy();
  });

  it('edits a revoked connection without bringing it back', async () => {
    const { key, connection } = await createConnection({ name: 'gone', scope: { preset: 'read_only' } });
    await expectJson(await adminRequest(`/admin/api/connections/${connection.id}/revoke`, { method: 'POST' }), 200);
    const updated = await patch(connection.id, { name: 'gone (laptop lost)', valid_for_days: 5 });
    expect(updated).toMatchObject({ name: 'gone (laptop lost)', status: 'revoked', has_key: false });
    await expect(connectClient(key)).rejects.toThrow();
  });
});
