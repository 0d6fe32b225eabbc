import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_AUTH, createConnection, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { waitForRows } from './audit-helpers';
import { setClock } from './scopes-helpers';

const standin = useStandinOdoo();

/** MCP 2026-07-28 (stateless) on the same POST /mcp as the 2025-era sessions. */

const REVISION = '2026-07-28';
const SERVED = [REVISION, '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
const CLIENT = { name: 'stateless-client', version: '2.4.0' };
const META = {
  'io.modelcontextprotocol/protocolVersion': REVISION,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': CLIENT,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface StatelessRequest {
  method: string;
  params?: Record<string, unknown>;
  meta?: unknown;
  headers?: Record<string, string | null>;
  id?: number;
}

/** A 2026-07-28 request with the headers the revision requires, each overridable (null drops it). */
async function send(key: string, request: StatelessRequest): Promise<Response> {
  const params = { ...request.params, ...(request.meta === undefined ? { _meta: META } : request.meta === null ? {} : { _meta: request.meta }) };
  const name = typeof request.params?.name === 'string' ? request.params.name : undefined;
  const headers: Record<string, string | null> = {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': REVISION,
    'mcp-method': request.method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
    ...request.headers,
  };
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null)),
    body: JSON.stringify({ jsonrpc: '2.0', id: request.id ?? 1, method: request.method, params }),
  });
}

const callSearch = (key: string, extra: Partial<StatelessRequest> = {}) =>
  send(key, { method: 'tools/call', params: { name: 'search_records', arguments: { model: 'res.partner', fields: ['name'], limit: 2 } }, ...extra });

async function sessionCount(connectionId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ?').bind(connectionId).first<{ n: number }>();
  return row!.n;
}

describe('2026-07-28: server/discover, tools/list and tools/call without a session', () => {
  it('answers server/discover with the served revision and capabilities, and opens no session', async () => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await send(key, { method: 'server/discover' });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const { result } = (await response.json()) as Json;
    expect(result).toMatchObject({
      supportedVersions: [REVISION],
      capabilities: { tools: { listChanged: false } },
      resultType: 'complete',
      cacheScope: 'private',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'odoo-mcp-gateway' } },
    });
    expect(result.instructions).toMatch(/Odoo/);
    expect(await sessionCount(connection.id)).toBe(0);
  });

  it('lists only the tools the key may use, with a private cache scope that is stale at once', async () => {
    const readOnly = await createConnection({ scope: { preset: 'read_only' } });
    const full = await createConnection({ scope: { preset: 'full' } });
    const listOf = async (key: string) => ((await (await send(key, { method: 'tools/list' })).json()) as Json).result;
    const [narrow, wide] = [await listOf(readOnly.key), await listOf(full.key)];
    for (const result of [narrow, wide]) expect(result).toMatchObject({ ttlMs: 0, cacheScope: 'private', resultType: 'complete' });
    const names = (result: Json) => result.tools.map((tool: { name: string }) => tool.name);
    expect(names(narrow)).toContain('search_records');
    expect(names(narrow)).not.toContain('create_records');
    expect(names(wide)).toContain('create_records');
  });

  it('calls a tool, refuses one outside the scope, and audits both with the client named in _meta and no session', { timeout: 30_000 }, async () => {
    const { key, connection } = await createConnection({ name: 'Stateless assistant', scope: { preset: 'read_only' } });
    const allowed = (await (await callSearch(key)).json()) as Json;
    expect(allowed.result.isError).toBeUndefined();
    expect(allowed.result.structuredContent.records).toHaveLength(2);
    const refused = (await (await send(key, { method: 'tools/call', params: { name: 'create_records', arguments: { model: 'crm.lead', values: { name: 'x' } } } })).json()) as Json;
    expect(refused.result).toMatchObject({ isError: true, structuredContent: { error: { type: 'denied', code: 'operation_not_allowed' } } });

    const rows = await waitForRows((found) => found.length >= 2, "connection_id = ? AND kind = 'mcp'", connection.id);
    for (const row of rows) expect(row).toMatchObject({ mcp_client_name: CLIENT.name, mcp_client_version: CLIENT.version, session_id: null, connection_name: 'Stateless assistant' });
    expect(rows.map((row) => [row.tool, row.outcome]).sort()).toEqual([['create_records', 'denied'], ['search_records', 'allowed']]);

    const last = await env.DB.prepare('SELECT last_client_name, last_client_version FROM connections WHERE id = ?').bind(connection.id).first();
    expect(last).toEqual({ last_client_name: CLIENT.name, last_client_version: CLIENT.version });
    expect(await sessionCount(connection.id)).toBe(0);
  });
});

describe('2026-07-28: refusals of bad input, each with its precise error, before anything reaches Odoo', () => {
  it.each([
    ['an Mcp-Name that is not the body’s tool', { headers: { 'mcp-name': 'delete_records' } }, /Mcp-Name header names "delete_records"/],
    ['an Mcp-Method that is not the body’s method', { headers: { 'mcp-method': 'tools/list' } }, /body names method tools\/call but the Mcp-Method header names tools\/list/],
    ['no Mcp-Name', { headers: { 'mcp-name': null } }, /required Mcp-Name header is absent/],
    ['no Mcp-Method', { headers: { 'mcp-method': null } }, /required Mcp-Method header is absent/],
    ['no MCP-Protocol-Version', { headers: { 'mcp-protocol-version': null } }, /required MCP-Protocol-Version header is absent/],
    ['an MCP-Protocol-Version that is not the body’s', { headers: { 'mcp-protocol-version': '2025-11-25' } }, /body envelope names protocol version 2026-07-28 but the MCP-Protocol-Version header names 2025-11-25/],
  ])('refuses %s with 400 HeaderMismatch (-32020)', async (_label, extra, message) => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await callSearch(key, extra);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ id: 1, error: { code: -32020, message: expect.stringMatching(message) } });
    expect(standin.requests).toHaveLength(0);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE connection_id = ? AND kind = 'mcp'").bind(connection.id).first('n')).toBe(0);
  });

  it('refuses a 2026-07-28 request without _meta with 400 and -32602', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await callSearch(key, { meta: null });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: 1, error: { code: -32602, message: expect.stringMatching(/missing the required per-request envelope key\(s\): _meta/) } });
    expect(standin.requests).toHaveLength(0);
  });

  it.each([
    ['without clientCapabilities', { 'io.modelcontextprotocol/protocolVersion': REVISION }, /io\.modelcontextprotocol\/clientCapabilities: missing/],
    ['with a clientInfo that is not an object', { ...META, 'io.modelcontextprotocol/clientInfo': 'me' }, /io\.modelcontextprotocol\/clientInfo: .*expected object/],
  ])('refuses a malformed _meta (%s) with 400 and -32602 naming the key', async (_label, meta, message) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await callSearch(key, { meta });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32602, message: expect.stringMatching(message) } });
    expect(standin.requests).toHaveLength(0);
  });

  it('refuses an unknown revision with the UnsupportedProtocolVersionError listing what is served', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await callSearch(key, { meta: { ...META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }, headers: { 'mcp-protocol-version': '2099-01-01' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32022, message: expect.stringMatching(/Unsupported protocol version '2099-01-01'/), data: { supported: SERVED, requested: '2099-01-01' } },
    });
    expect(standin.requests).toHaveLength(0);
  });

  it('answers methods the revision removed (ping, initialize) with 404 and -32601', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    for (const method of ['ping', 'initialize']) {
      const response = await send(key, { method, params: method === 'initialize' ? { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: CLIENT } : {} });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: -32601 } });
    }
  });

  it('answers a malformed tools/call with -32602 in the same words as a session, and audits it', { timeout: 30_000 }, async () => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await send(key, { method: 'tools/call', params: { name: 'search_records', arguments: [1] } });
    expect(await response.json()).toMatchObject({ error: { code: -32602, message: 'Invalid params: tools/call params.arguments must be an object of the tool\'s arguments (got an array)' } });
    const [row] = await waitForRows((rows) => rows.length === 1, "connection_id = ? AND kind = 'mcp'", connection.id);
    expect(row).toMatchObject({ outcome: 'error', denial_code: 'invalid_arguments', tool: 'search_records', mcp_client_name: CLIENT.name, session_id: null });
    expect(standin.requests).toHaveLength(0);
  });
});

describe('the two eras side by side', () => {
  async function openSession(key: string): Promise<string> {
    const response = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'legacy', version: '1' } } }),
    });
    return response.headers.get('mcp-session-id')!;
  }

  it.each([
    ['its own live session', 'live'],
    ['an unknown session', 'ffffffffffffffffffffffffffffffff'],
    ['an empty session id', ''],
  ])('refuses a 2026-07-28 request that carries an Mcp-Session-Id (%s) with 400 HeaderMismatch (-32020), echoes no session id, and runs nothing', async (_label, presented) => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await callSearch(key, { headers: { 'mcp-session-id': presented === 'live' ? sessionId : presented } });
    expect(response.status).toBe(400);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: {
        code: -32020,
        message: expect.stringMatching(/MCP 2026-07-28 request, which has no session, but the Mcp-Session-Id header names one; send it without Mcp-Session-Id/),
        data: { mismatch: { header: 'Mcp-Session-Id', body: '2026-07-28 (no session)' } },
      },
    });
    expect(standin.requests).toHaveLength(0);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE connection_id = ? AND kind = 'mcp'").bind(connection.id).first('n')).toBe(0);
    // The same request without the header is served, and the 2025-era session is untouched.
    expect((await callSearch(key)).status).toBe(200);
    const session = await env.DB.prepare('SELECT ended_at FROM mcp_sessions WHERE id = ?').bind(sessionId).first();
    expect(session).toEqual({ ended_at: null });
  });

  it('refuses a 2025-era request without an Mcp-Session-Id with 400', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 4, error: { code: -32000, message: 'Bad Request: Mcp-Session-Id header is required (send initialize first)' } });
  });

  it('refuses a 2025-era request whose header names 2026-07-28 but whose body has no _meta with 400 and -32602', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': REVISION, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: 5, error: { code: -32602 } });
  });
});

describe('2026-07-28: authenticated like initialize', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses server/discover from outside the IP allow-list, as initialize is refused', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only', ip_allow: ['198.51.100.0/24'] } });
    const response = await send(key, { method: 'server/discover', headers: { 'cf-connecting-ip': '203.0.113.9' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: -32000, data: { type: 'denied', code: 'ip_not_allowed' } } });
  });

  it('counts server/discover and tools/list against the session budget, as initialize and tools/list are', async () => {
    // requests: 1 a minute → a session budget of 2 a minute; the clock is held early in a minute.
    setClock(Date.parse('2026-03-04T10:00:00.000Z'));
    const { key } = await createConnection({ scope: { preset: 'read_only', rate_limit: { requests: 1, per_seconds: 60 } } });
    expect((await send(key, { method: 'server/discover' })).status).toBe(200);
    expect((await send(key, { method: 'tools/list' })).status).toBe(200);
    const over = await send(key, { method: 'server/discover' });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ error: { data: { type: 'denied', code: 'rate_limited' } } });
  });

  it('refuses a revoked key with the same 401 as any other', async () => {
    const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
    const revoked = await SELF.fetch(`${GATEWAY}/admin/api/connections/${connection.id}/revoke`, { method: 'POST', headers: ADMIN_AUTH });
    expect(revoked.status).toBe(200);
    const response = await send(key, { method: 'server/discover' });
    expect(response.status).toBe(401);
  });
});
