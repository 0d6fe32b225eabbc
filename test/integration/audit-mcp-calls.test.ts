import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { adminRequest, connectClient, createConnection, GATEWAY, type CreatedConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { TEST_SECRETS } from '../support/secrets';
import { waitForRows, type AuditRowJson } from './audit-helpers';

useStandinOdoo();

/**
 * These go the whole way: the MCP SDK client calls the Worker, the Worker
 * sends each event to the local Queue in waitUntil, the Queue delivers a
 * batch to the Worker's consumer, the consumer writes D1.
 */

/** Queue delivery is asynchronous but immediate in tests (batch timeout 0 in vitest.config.ts); waitForRows polls, and this bound is generous, never waited out. */
const DELIVERY = { timeout: 30_000 };

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** Waits for the event of a last, known call; events sent before it were delivered in the same or an earlier batch. */
async function eventsUpTo(connectionId: string, sentinelTool: string): Promise<AuditRowJson[]> {
  return waitForRows((rows) => rows.some((row) => row.tool === sentinelTool), "connection_id = ? AND kind = 'mcp'", connectionId);
}

async function odooUserOf(created: CreatedConnection): Promise<{ odoo_uid: number; login: string }> {
  return (await env.DB.prepare('SELECT a.odoo_uid, a.login FROM odoo_accounts a JOIN connections c ON c.odoo_account_id = a.id WHERE c.id = ?')
    .bind(created.connection.id)
    .first<{ odoo_uid: number; login: string }>())!;
}

describe('one audit event per tools/call, through the queue', () => {
  it('attributes allowed, refused and failed calls to the connection and key that made them', DELIVERY, async () => {
    const created = await createConnection({ name: 'Audited assistant', scope: { preset: 'read_only' } });
    const client = await connectClient(created.key, {
      headers: { 'CF-Connecting-IP': '203.0.113.9', 'User-Agent': 'audit-agent/2.0' },
      clientName: 'audit-client',
      clientVersion: '3.1.4',
    });

    const found = await call(client, 'search_records', { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name'], limit: 2 });
    const foundIds = (found.structuredContent as { records: Array<{ id: number }> }).records.map((record) => record.id);
    const refused = await call(client, 'delete_records', { model: 'res.partner', ids: [9] });
    const failed = await call(client, 'search_records', { model: 'no.such.model' });
    const invalid = await call(client, 'read_records', { model: 'res.partner', ids: 'nine' });
    expect([found.isError, refused.isError, failed.isError, invalid.isError]).toEqual([undefined, true, true, true]);
    await call(client, 'count_records', { model: 'res.partner' });

    const rows = await eventsUpTo(created.connection.id, 'count_records');
    expect(rows.map((row) => `${row.tool}:${row.outcome}`).sort()).toEqual([
      'count_records:allowed',
      'delete_records:denied',
      'read_records:error',
      'search_records:allowed',
      'search_records:error',
    ]);

    const odooUser = await odooUserOf(created);
    const session = await env.DB.prepare('SELECT id FROM mcp_sessions WHERE connection_id = ?').bind(created.connection.id).first<{ id: string }>();
    for (const row of rows) {
      expect(row).toMatchObject({
        kind: 'mcp',
        connection_id: created.connection.id,
        connection_name: 'Audited assistant',
        key_public_id: created.connection.key_public_id,
        odoo_uid: odooUser.odoo_uid,
        odoo_login: odooUser.login,
        client_ip: '203.0.113.9',
        user_agent: 'audit-agent/2.0',
        mcp_client_name: 'audit-client',
        mcp_client_version: '3.1.4',
        session_id: session!.id,
        dead_lettered: 0,
      });
      expect(row.latency_ms).toEqual(expect.any(Number));
    }

    const byCall = (tool: string, outcome: string) => rows.find((row) => row.tool === tool && row.outcome === outcome)!;
    expect(byCall('search_records', 'allowed')).toMatchObject({ model: 'res.partner', method: 'search_read', denial_code: null, denial_reason: null, odoo_error: null });
    expect(JSON.parse(byCall('search_records', 'allowed').record_ids!)).toEqual(foundIds);
    expect(JSON.parse(byCall('search_records', 'allowed').detail!)).toEqual({ fields: ['name'], domain_fields: ['is_company'] });

    expect(byCall('delete_records', 'denied')).toMatchObject({ model: 'res.partner', method: 'unlink', denial_code: 'operation_not_allowed', odoo_error: null });
    expect(byCall('delete_records', 'denied').denial_reason).toMatch(/delete/);
    expect(JSON.parse(byCall('delete_records', 'denied').record_ids!)).toEqual([9]);

    const odooFailure = byCall('search_records', 'error');
    expect(odooFailure).toMatchObject({ model: 'no.such.model', denial_code: 'unknown_model' });
    expect(odooFailure.odoo_error).toEqual(expect.stringMatching(/\S/));
    expect(odooFailure.denial_reason).toMatch(/no\.such\.model/);

    expect(byCall('read_records', 'error')).toMatchObject({ denial_code: 'invalid_arguments', record_ids: null, odoo_error: null });
  });

  it('shows the same event through the admin API', DELIVERY, async () => {
    const created = await createConnection({ name: 'API view', scope: { preset: 'read_only' } });
    const client = await connectClient(created.key, { headers: { 'CF-Connecting-IP': '2001:db8::7' } });
    await call(client, 'read_records', { model: 'res.partner', ids: [9, 15], fields: ['name'] });
    const [row] = await eventsUpTo(created.connection.id, 'read_records');

    const response = await adminRequest(`/admin/api/connections/${created.connection.id}/audit?kind=mcp`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<Record<string, unknown>> };
    expect(items).toEqual([
      expect.objectContaining({
        id: row!.id,
        at: new Date(row!.at as number).toISOString(),
        outcome: 'allowed',
        connection_id: created.connection.id,
        connection_name: 'API view',
        key_public_id: created.connection.key_public_id,
        client_ip: '2001:db8::7',
        mcp_client_name: 'gateway-tests',
        tool: 'read_records',
        model: 'res.partner',
        method: 'read',
        record_ids: [9, 15],
        reason_code: null,
        detail: { fields: ['name'] },
        dead_lettered: false,
      }),
    ]);
  });
});

describe('a tools/call refused for its params', () => {
  async function rawSession(key: string): Promise<(id: number, params: unknown) => Promise<{ error?: { code: number }; result?: { isError?: boolean } }>> {
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const opened = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const sessionId = opened.headers.get('mcp-session-id')!;
    return async (id, params) => {
      const response = await SELF.fetch(`${GATEWAY}/mcp`, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', ...(params === undefined ? {} : { params }) }),
      });
      return response.json();
    };
  }

  it('leaves one invalid event per call, with the tool name when it was a string and the problem as the reason', DELIVERY, async () => {
    const created = await createConnection({ name: 'Malformed calls', scope: { preset: 'read_only' } });
    const send = await rawSession(created.key);
    const malformed: unknown[] = [
      { name: 'count_records', arguments: null },
      { name: 'count_records', arguments: [{ model: 'res.partner' }] },
      { name: 'count_records', arguments: 'res.partner' },
      { arguments: {} },
      { name: 42, arguments: {} },
      undefined,
      { name: 'count_records', arguments: { model: 'res.partner' }, task: { ttl: 1 } },
    ];
    const answers = [];
    for (const [index, params] of malformed.entries()) answers.push(await send(index + 1, params));
    expect(answers.map((answer) => answer.error?.code ?? (answer.result?.isError ? 'tool error' : 'ok'))).toEqual([-32602, -32602, -32602, -32602, -32602, -32602, -32601]);
    await send(99, { name: 'list_models', arguments: {} });

    const rows = await eventsUpTo(created.connection.id, 'list_models');
    const refused = rows.filter((row) => row.tool !== 'list_models');
    expect(refused).toHaveLength(malformed.length);
    for (const row of refused) {
      expect(row).toMatchObject({ outcome: 'error', denial_code: 'invalid_arguments', connection_id: created.connection.id, mcp_client_name: 'raw' });
      expect(row.denial_reason).toMatch(/^(Invalid params|Method not found: this server does not run tools as tasks)/);
    }
    expect(refused.map((row) => row.tool).sort()).toEqual(['count_records', 'count_records', 'count_records', 'count_records', null, null, null]);
  });
});

describe('no secrets in events', () => {
  const secretWrites = async (client: Client) => {
    await call(client, 'create_records', { model: 'crm.lead', values: { name: 'Secret deal', email_from: 'ceo@example.com', description: 'confidential terms' } });
    await call(client, 'call_method', { model: 'res.partner', method: 'message_post', ids: [3], kwargs: { body: 'Private note text', message_type: 'comment' } });
    await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { comment: 'hunter2 is not here', api_key: 'sk-live-123456' } });
    await call(client, 'count_records', { model: 'res.partner' });
  };

  it('names the fields written but not their values, unless the connection logs payloads; never a key or token', DELIVERY, async () => {
    const quiet = await createConnection({ name: 'Quiet', scope: { preset: 'full' } });
    const verbose = await createConnection({ name: 'Verbose', scope: { preset: 'full' }, log_payloads: true });
    await secretWrites(await connectClient(quiet.key));
    await secretWrites(await connectClient(verbose.key));
    const quietRows = await eventsUpTo(quiet.connection.id, 'count_records');
    const verboseRows = await eventsUpTo(verbose.connection.id, 'count_records');

    const keyHashes = await env.DB.prepare('SELECT key_hash FROM connections WHERE id IN (?, ?)').bind(quiet.connection.id, verbose.connection.id).all<{ key_hash: string }>();
    const secrets = [
      quiet.key,
      verbose.key,
      quiet.key.split('_')[2]!,
      verbose.key.split('_')[2]!,
      ...keyHashes.results.map((row) => row.key_hash),
      TEST_SECRETS.ADMIN_TOKEN,
      TEST_SECRETS.ODOO_API_KEY,
      TEST_SECRETS.KEY_PEPPER,
      TEST_SECRETS.CREDENTIALS_KEY,
      'sk-live-123456',
    ];
    for (const row of [...quietRows, ...verboseRows]) {
      const stored = JSON.stringify(row);
      for (const secret of secrets) expect(stored).not.toContain(secret);
    }

    const detailOf = (rows: AuditRowJson[], tool: string) => JSON.parse(rows.find((row) => row.tool === tool)!.detail!);
    expect(detailOf(quietRows, 'create_records')).toEqual({ written_fields: ['name', 'email_from', 'description'] });
    expect(detailOf(quietRows, 'call_method')).toEqual({ kwarg_names: ['body', 'message_type'] });
    expect(detailOf(quietRows, 'update_records')).toEqual({ written_fields: ['comment', 'api_key'] });
    const quietText = JSON.stringify(quietRows);
    for (const value of ['Secret deal', 'ceo@example.com', 'confidential terms', 'Private note text', 'hunter2']) expect(quietText).not.toContain(value);

    expect(detailOf(verboseRows, 'create_records').arguments).toEqual({
      model: 'crm.lead',
      values: { name: 'Secret deal', email_from: 'ceo@example.com', description: 'confidential terms' },
    });
    expect(detailOf(verboseRows, 'call_method').arguments.kwargs).toEqual({ body: 'Private note text', message_type: 'comment' });
    expect(detailOf(verboseRows, 'update_records').arguments.values).toEqual({ comment: 'hunter2 is not here', api_key: '[redacted]' });
  });
});
