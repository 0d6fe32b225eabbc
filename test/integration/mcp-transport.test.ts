import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, createConnection, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

const JSON_AND_SSE = 'application/json, text/event-stream';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bodyOf = (response: Response): Promise<any> => response.json();

async function post(key: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: JSON_AND_SSE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw-client', version: '9.9' } },
};

async function openSession(key: string): Promise<string> {
  const response = await post(key, initializeMessage);
  expect(response.status).toBe(200);
  const sessionId = response.headers.get('mcp-session-id');
  expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
  return sessionId!;
}

describe('Streamable HTTP: initialize and sessions', () => {
  it('initializes through the SDK client and records the session with the client name and version', async () => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const client = await connectClient(key, { clientName: 'Cursor', clientVersion: '1.7.2' });
    expect(client.getServerVersion()).toMatchObject({ name: 'odoo-mcp-gateway' });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    await client.ping();
    const sessions = await env.DB.prepare('SELECT * FROM mcp_sessions WHERE connection_id = ?').bind(connection.id).all();
    expect(sessions.results).toHaveLength(1);
    expect(sessions.results[0]).toMatchObject({ client_name: 'Cursor', client_version: '1.7.2', protocol_version: LATEST_PROTOCOL_VERSION, ended_at: null });
    const row = await env.DB.prepare('SELECT last_client_name, last_client_version FROM connections WHERE id = ?').bind(connection.id).first();
    expect(row).toEqual({ last_client_name: 'Cursor', last_client_version: '1.7.2' });
    await client.close();
  });

  it('answers JSON or SSE as Accept asks', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const ping = { jsonrpc: '2.0', id: 7, method: 'ping' };
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };

    const json = await post(key, ping, { ...headers, accept: 'application/json' });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ jsonrpc: '2.0', id: 7, result: {} });

    const sse = await post(key, ping, { ...headers, accept: 'text/event-stream' });
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    expect(await sse.text()).toBe('event: message\ndata: {"result":{},"jsonrpc":"2.0","id":7}\n\n');

    const refused = await post(key, ping, { ...headers, accept: 'text/html' });
    expect(refused.status).toBe(406);
  });

  it('acknowledges notifications with 202 and no body', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await post(key, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sessionId });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('requires a session id after initialize and refuses unknown, foreign and ended sessions', async () => {
    const first = await createConnection({ scope: { preset: 'read_only' } });
    const second = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(first.key);
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

    const missing = await post(first.key, list);
    expect(missing.status).toBe(400);
    // The body was read, so the error answers the request's id (JSON-RPC 2.0 keeps null for an id it could not read).
    expect(await missing.json()).toMatchObject({ id: 2, error: { message: expect.stringMatching(/Mcp-Session-Id header is required/) } });

    const unknown = await post(first.key, list, { 'mcp-session-id': 'f'.repeat(32) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ id: 2, error: { code: -32001 } });

    const foreign = await post(second.key, list, { 'mcp-session-id': sessionId });
    expect(foreign.status).toBe(404);

    const deleted = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${first.key}`, 'mcp-session-id': sessionId },
    });
    expect(deleted.status).toBe(204);
    const ended = await env.DB.prepare('SELECT ended_reason FROM mcp_sessions WHERE id = ?').bind(sessionId).first();
    expect(ended).toEqual({ ended_reason: 'client' });
    const afterDelete = await post(first.key, list, { 'mcp-session-id': sessionId });
    expect(afterDelete.status).toBe(404);
  });

  it('refuses an unsupported MCP-Protocol-Version header with the 2026-07-28 unsupported-version error', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await post(key, { jsonrpc: '2.0', id: 3, method: 'ping' }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '1999-01-01' });
    expect(response.status).toBe(400);
    const { error, id } = await bodyOf(response);
    expect(id).toBe(3);
    expect(error).toMatchObject({ code: -32022, message: expect.stringMatching(/Unsupported protocol version '1999-01-01'/) });
    expect(error.data).toEqual({ requested: '1999-01-01', supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'] });
  });

  it('answers GET with 405 and an Allow header, since it offers no server-initiated stream', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await SELF.fetch(`${GATEWAY}/mcp`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, DELETE');
  });
});

describe('Streamable HTTP: malformed requests', () => {
  it.each([
    ['a body that is not JSON', '{"jsonrpc": "2.0",', {}, 400, -32700],
    ['a JSON value that is not JSON-RPC', '{"hello": "world"}', {}, 400, -32600],
    ['a batch', JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), {}, 400, -32600],
    ['a wrong content type', '{}', { 'content-type': 'text/plain' }, 415, -32600],
  ])('refuses %s', async (_label, body, headers, status, code) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await post(key, body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(await bodyOf(response)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
  });

  it('refuses a body over 1 MiB with 413, also when it is streamed without Content-Length', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1024 * 1024) } });
    const declared = await post(key, big);
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: JSON_AND_SSE },
      body: stream,
      // @ts-expect-error workerd needs duplex for streamed bodies
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
  });

  it('answers an unknown JSON-RPC method with -32601', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await post(key, { jsonrpc: '2.0', id: 4, method: 'resources/list' }, { 'mcp-session-id': sessionId });
    expect(response.status).toBe(200);
    expect((await bodyOf(response)).error.code).toBe(-32601);
  });
});
