import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, createConnection, GATEWAY } from '../support/gateway';
import { TEST_SECRETS } from '../support/secrets';
import { callTool, expectAllowed, expectRefused, setClock } from './scopes-helpers';
import { useStandinOdoo } from '../support/odoo';

/** Streamable HTTP transport guards: Origin and Host, params, declared body size, connection-wide checks on every request. */

const odoo = useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const JSON_AND_SSE = 'application/json, text/event-stream';

interface RpcError {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string; data?: { type: string; code: string; retry_after_seconds?: number } };
}

const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'guards', version: '1' } },
};

function post(key: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      'content-type': 'application/json',
      accept: JSON_AND_SSE,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function openSession(key: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await post(key, initializeMessage, headers);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.headers.get('mcp-session-id')!;
}

describe('Origin and Host (Streamable HTTP, security warning: DNS rebinding)', () => {
  it.each([
    ['no Origin (a non-browser client)', {}],
    ['the public origin', { origin: 'https://gateway.test' }],
    ['a loopback origin, any port', { origin: 'http://localhost:6274' }],
    ['127.0.0.1', { origin: 'http://127.0.0.1:8787' }],
    ['[::1]', { origin: 'http://[::1]:3000' }],
    ['a loopback Host', { host: '127.0.0.1:8787' }],
    ['localhost as Host', { host: 'localhost' }],
    ['the public Host with its default port', { host: 'gateway.test:443' }],
    ['an origin of MCP_ALLOWED_ORIGINS', { origin: 'https://app.example.com' }],
  ])('allows %s', async (_label, headers: Record<string, string>) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await post(key, initializeMessage, headers);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(headers.origin ?? null);
  });

  it('answers a CORS preflight from an allowed origin, so a browser-based client can send its key, and lets the SDK client work from it', async () => {
    const preflight = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-session-id' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'POST, GET, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID',
      'access-control-max-age': '600',
    });
    const refusedPreflight = await SELF.fetch(`${GATEWAY}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();

    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const client = await connectClient(key, { headers: { Origin: 'https://app.example.com' } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const unauthorized = await post('omcp_wrong', initializeMessage, { origin: 'https://app.example.com' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-expose-headers')).toBe('Mcp-Session-Id, WWW-Authenticate, Retry-After');
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }, /Origin 'http:\/\/evil\.example' is not allowed/],
    ['the public host over http', { origin: 'http://gateway.test' }, /Origin/],
    ['a look-alike of the public origin', { origin: 'https://gateway.test.evil.example' }, /Origin/],
    ['a loopback name as a subdomain', { origin: 'http://localhost.evil.example' }, /Origin/],
    ['Origin: null (a sandboxed frame or a file: page)', { origin: 'null' }, /Origin 'null'/],
    ['an Origin with a path', { origin: 'https://gateway.test/x' }, /Origin/],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example' }, /Host 'evil\.example' is not this gateway's \(gateway\.test\)/],
    ['the public host on another port', { host: 'gateway.test:8443' }, /Host/],
    ['a Host that is not a host', { host: 'gateway.test/evil' }, /Host/],
    ['both, as the conformance suite sends them', { host: 'evil.example.com', origin: 'http://evil.example.com' }, /Origin/],
  ])('refuses %s with 403 and a JSON-RPC error', async (_label, headers: Record<string, string>, message) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const response = await post(key, initializeMessage, headers);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as RpcError;
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(body.error.message).toMatch(message);
  });

  it.each(['POST', 'GET', 'DELETE'])('refuses a foreign Origin on %s before the key is looked up: 403 without a key, and no D1 query', async (method) => {
    const prepare = vi.spyOn(env.DB, 'prepare');
    // The spy sees the Worker's queries: without this the assertion below could not fail.
    expect(await countQueriesOfAValidKey(prepare)).toBeGreaterThan(0);
    const allowed = await SELF.fetch(`${GATEWAY}/mcp`, { method, headers: { origin: 'https://gateway.test' } });
    expect(allowed.status).toBe(401);

    prepare.mockClear();
    const refused = await SELF.fetch(`${GATEWAY}/mcp`, {
      method,
      headers: { origin: 'http://evil.example', authorization: 'Bearer omcp_whatever', 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify(initializeMessage) } : {}),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBeNull();
    // Audit events of earlier tests may still be landing through the Queue's consumer; no query may be about keys.
    expect(prepare.mock.calls.map(([sql]) => sql).filter((sql) => !sql.startsWith('INSERT OR IGNORE INTO audit_events'))).toEqual([]);
  });
});

async function countQueriesOfAValidKey(prepare: ReturnType<typeof vi.spyOn>): Promise<number> {
  const { key } = await createConnection({ scope: { preset: 'read_only' } });
  prepare.mockClear();
  await post(key, initializeMessage, { origin: 'https://gateway.test' });
  return prepare.mock.calls.length;
}

describe('tools/call params (JSON-RPC 2.0: -32602 Invalid params)', () => {
  it.each([
    ['arguments: null', { name: 'count_records', arguments: null }, "params.arguments must be an object of the tool's arguments (got null)"],
    ['arguments: an array', { name: 'count_records', arguments: [{ model: 'res.partner' }] }, 'params.arguments must be an object of the tool\'s arguments (got an array)'],
    ['arguments: a string', { name: 'count_records', arguments: 'res.partner' }, '(got a string)'],
    ['arguments: a number', { name: 'count_records', arguments: 7 }, '(got a number)'],
    ['no name', { arguments: {} }, "params.name must be the tool's name as a string (got nothing)"],
    ['a numeric name', { name: 42, arguments: {} }, '(got a number)'],
    ['an empty name', { name: '', arguments: {} }, '(got an empty string)'],
    ['no params', undefined, 'tools/call needs params with the tool name and its arguments'],
  ])('answers %s with -32602 naming the problem, in the JSON-RPC answer to that id', async (_label, params, message) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const response = await post(key, { jsonrpc: '2.0', id: 'call-1', method: 'tools/call', ...(params === undefined ? {} : { params }) }, { 'mcp-session-id': sessionId });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RpcError;
    expect(body.id).toBe('call-1');
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toContain(message);
    expect(body.error.message).not.toMatch(/Cannot read|undefined|"code":|expected record/);
    expect(odoo.requests).toHaveLength(0);
  });

  it('treats absent arguments as none: a tool without required arguments runs, one with them says which are missing', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = await openSession(key);
    const call = (id: number, name: string) => post(key, { jsonrpc: '2.0', id, method: 'tools/call', params: { name } }, { 'mcp-session-id': sessionId });
    const listed = await (await call(1, 'list_models')).json() as { result: { isError?: boolean } };
    expect(listed.result.isError).toBeFalsy();
    const counted = await (await call(2, 'count_records')).json() as { result: { isError: boolean; structuredContent: { error: { type: string; message: string } } } };
    expect(counted.result.isError).toBe(true);
    expect(counted.result.structuredContent.error).toMatchObject({ type: 'invalid_arguments' });
    expect(counted.result.structuredContent.error.message).toMatch(/^Invalid arguments: model: /);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'])(
    'answers a JSON-RPC method named %s, a member of every JavaScript object, as an unknown method (-32601)',
    async (method) => {
      const { key } = await createConnection({ scope: { preset: 'read_only' } });
      const sessionId = await openSession(key);
      const response = await post(key, { jsonrpc: '2.0', id: 'odd', method, params: {} }, { 'mcp-session-id': sessionId });
      expect(response.status).toBe(200);
      const body = (await response.json()) as RpcError;
      expect(body).toMatchObject({ id: 'odd', error: { code: -32601 } });
      expect(odoo.requests).toHaveLength(0);
    },
  );

  it.each([
    ['initialize without protocolVersion', { ...initializeMessage, params: { capabilities: {}, clientInfo: { name: 'x', version: '1' } } }, /^Invalid params for initialize: params\.protocolVersion: /],
    ['tools/list with a numeric cursor', { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { cursor: 5 } }, /^Invalid params for tools\/list: params\.cursor: /],
  ])('answers %s with -32602 and the parameter path', async (_label, message, expected) => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    const sessionId = message.method === 'initialize' ? undefined : await openSession(key);
    const response = await post(key, message, sessionId ? { 'mcp-session-id': sessionId } : {});
    const body = (await response.json()) as RpcError;
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(expected);
  });
});

describe('a body declared over the limit', () => {
  it('is answered 413 from Content-Length at once, while the body stalls, and before the key is looked up', async () => {
    const prepare = vi.spyOn(env.DB, 'prepare');
    expect(await countQueriesOfAValidKey(prepare)).toBeGreaterThan(0);
    prepare.mockClear();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"'));
        // ...and never more, never closed.
      },
    });
    const answered = SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: 'Bearer omcp_not_looked_up', 'content-type': 'application/json', accept: JSON_AND_SSE, 'content-length': String(2 * 1024 * 1024) },
      body: stalled,
      // @ts-expect-error workerd needs duplex for streamed bodies
      duplex: 'half',
    });
    const response = await Promise.race([answered, new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), 3000))]);
    expect(response).not.toBe('stalled');
    expect((response as Response).status).toBe(413);
    expect(await (response as Response).json()).toMatchObject({ error: { code: -32600, message: 'Request body exceeds 1048576 bytes' } });
    // Audit events of earlier tests may still be landing through the Queue's consumer; no query may be about keys.
    expect(prepare.mock.calls.map(([sql]) => sql).filter((sql) => !sql.startsWith('INSERT OR IGNORE INTO audit_events'))).toEqual([]);
  });
});

describe('connection-wide checks on every /mcp request (validity, client IP, time window)', () => {
  const officeHours = { preset: 'read_only', time_windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'UTC' }] };
  const fromOffice = { preset: 'read_only', ip_allow: ['198.51.100.0/24'] };
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, string, RegExp]> = [
    ['from an address outside ip_allow', { scope: fromOffice }, { 'cf-connecting-ip': '203.0.113.9' }, 'ip_not_allowed', /does not accept calls from 203\.0\.113\.9/],
    ['with only X-Forwarded-For', { scope: fromOffice }, { 'x-forwarded-for': '198.51.100.7' }, 'ip_not_allowed', /client address is unknown/],
    ['outside its time window', { scope: officeHours }, { 'cf-connecting-ip': '198.51.100.7' }, 'outside_time_window', /calls are allowed Mon-Fri 08:00-18:00 UTC/],
    ['before not_before', { scope: { preset: 'read_only' }, not_before: '2026-03-07T00:00:00.000Z', valid_for_days: 3 }, {}, 'not_yet_valid', /not valid before 2026-03-07T00:00:00\.000Z/],
  ];
  const saturdayNoon = '2026-03-07T12:00:00.000Z';
  const fridayNoon = '2026-03-06T12:00:00.000Z';

  it.each(cases)('refuses initialize %s with 403 and the reason a tool call gives, and records no session', async (_label, body, headers, code, message) => {
    setClock(code === 'outside_time_window' ? saturdayNoon : fridayNoon);
    const { key, connection } = await createConnection(body);
    const response = await post(key, initializeMessage, headers);
    expect(response.status).toBe(403);
    const refusal = (await response.json()) as RpcError;
    expect(refusal).toMatchObject({ id: 1, error: { code: -32000, data: { type: 'denied', code } } });
    expect(refusal.error.message).toMatch(/^Denied: /);
    expect(refusal.error.message).toMatch(message);
    const sessions = await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ?').bind(connection.id).first<{ n: number }>();
    expect(sessions!.n).toBe(0);
  });

  it.each(cases)('refuses tools/list, ping, notifications, GET and DELETE of an open session %s', async (_label, body, headers, code) => {
    setClock(fridayNoon);
    const allowedHeaders: Record<string, string> = code === 'ip_not_allowed' ? { 'cf-connecting-ip': '198.51.100.7' } : {};
    const { key, connection } = await createConnection(code === 'not_yet_valid' ? { scope: { preset: 'read_only' } } : body);
    const sessionId = await openSession(key, allowedHeaders);
    if (code === 'outside_time_window') setClock(saturdayNoon);
    if (code === 'not_yet_valid') {
      const patched = await SELF.fetch(`${GATEWAY}/admin/api/connections/${connection.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ not_before: body.not_before }),
      });
      expect(patched.status).toBe(200);
    }
    const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
    const requests: Array<[string, () => Promise<Response>]> = [
      ['tools/list', () => post(key, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session)],
      ['ping', () => post(key, { jsonrpc: '2.0', id: 3, method: 'ping' }, session)],
      ['a notification', () => post(key, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)],
      ['GET', () => SELF.fetch(`${GATEWAY}/mcp`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...session } })],
      ['DELETE', () => SELF.fetch(`${GATEWAY}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${key}`, ...session } })],
    ];
    for (const [what, send] of requests) {
      const response = await send();
      expect(response.status, what).toBe(403);
      expect(((await response.json()) as RpcError).error.data, what).toEqual({ type: 'denied', code });
    }
    const open = await env.DB.prepare('SELECT ended_at FROM mcp_sessions WHERE id = ?').bind(sessionId).first();
    expect(open).toEqual({ ended_at: null });
  });

  it('keeps refusing a tools/call as a tool error with the same reason, and the client gets the reason through the SDK', async () => {
    setClock(fridayNoon);
    const { key } = await createConnection({ scope: fromOffice });
    const inside = await connectClient(key, { headers: { 'CF-Connecting-IP': '198.51.100.7' } });
    expectAllowed(await callTool(inside, 'count_records', { model: 'res.partner' }));
    const outside = await connectClient(key, { headers: { 'CF-Connecting-IP': '198.51.100.7' } });
    // Same key, a session opened from the office, then a call from elsewhere on it.
    const sessionId = (outside.transport as unknown as { sessionId: string }).sessionId;
    const call = await post(key, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'count_records', arguments: { model: 'res.partner' } } }, {
      'mcp-session-id': sessionId,
      'cf-connecting-ip': '203.0.113.9',
    });
    const result = ((await call.json()) as { result: Parameters<typeof expectRefused>[0] }).result;
    expectRefused(result, 'ip_not_allowed', 'does not accept calls from 203.0.113.9');
    await expect(connectClient(key, { headers: { 'CF-Connecting-IP': '203.0.113.9' } })).rejects.toThrow(/this connection does not accept calls from 203\.0\.113\.9/);
  });
});

describe('rate_limit also bounds sessions and tools/list (the session budget: twice rate_limit, counted apart from calls)', () => {
  const limited = { preset: 'read_only', rate_limit: { requests: 1, per_seconds: 60 } };
  const startedAt = Date.parse('2026-03-04T10:00:00.000Z');

  it('lets a key limited to one call a minute open one session, list its tools and make its call, and refuses a second session', async () => {
    setClock(startedAt);
    const { key, connection } = await createConnection({ scope: limited });
    const client = await connectClient(key);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    expectRefused(await callTool(client, 'count_records', { model: 'res.partner' }), 'rate_limited');

    const refused = await post(key, initializeMessage);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await refused.json()) as RpcError;
    expect(body).toMatchObject({ id: 1, error: { code: -32000, data: { type: 'denied', code: 'rate_limited' } } });
    expect(body.error.data!.retry_after_seconds).toBe(Number(refused.headers.get('retry-after')));
    expect(body.error.message).toBe(
      `Denied: this connection opened sessions or listed tools 2 times in 60 s, twice its rate limit of 1 requests per 60 s; retry in ${body.error.data!.retry_after_seconds} s`,
    );
    await expect(client.listTools()).rejects.toThrow(/opened sessions or listed tools/);
    const sessions = await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ?').bind(connection.id).first<{ n: number }>();
    expect(sessions!.n).toBe(1);

    // Honest about Retry-After: refused a second before it, allowed at it.
    const retryAfter = body.error.data!.retry_after_seconds!;
    setClock(startedAt + (retryAfter - 1) * 1000);
    expect((await post(key, initializeMessage)).status).toBe(429);
    setClock(startedAt + retryAfter * 1000);
    const later = await connectClient(key);
    expectAllowed(await callTool(later, 'count_records', { model: 'res.partner' }));
  });

  it('stops a key limited to one call a minute from opening 30 sessions: two in the minute, the rest 429', async () => {
    setClock(startedAt);
    const { key, connection } = await createConnection({ scope: limited });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) statuses.push((await post(key, initializeMessage)).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(new Set(statuses.slice(2))).toEqual(new Set([429]));
    const sessions = await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ?').bind(connection.id).first<{ n: number }>();
    expect(sessions!.n).toBe(2);
  });

  it('leaves keys without rate_limit unbounded', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await post(key, initializeMessage)).status).toBe(200);
  });
});

describe('an unexpected failure while a request is handled (500, -32603)', () => {
  const limited = { preset: 'read_only', rate_limit: { requests: 10, per_seconds: 60 } };

  /** The session budget's Durable Object fails: a fault after the body was read, where no refusal is planned. */
  function breakRateLimiter(): void {
    vi.spyOn(env.RATE_LIMITER, 'idFromName').mockImplementation(() => {
      throw new Error('rate limiter unavailable');
    });
  }

  it('answers an initialize with its own id', async () => {
    const { key } = await createConnection({ scope: limited });
    breakRateLimiter();
    const response = await post(key, { ...initializeMessage, id: 'init-7' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 'init-7', error: { code: -32603, message: 'Internal error; the failure was logged.' } });
  });

  it('answers a tools/list in a session with its own id', async () => {
    const { key } = await createConnection({ scope: limited });
    const sessionId = await openSession(key);
    breakRateLimiter();
    const response = await post(key, { jsonrpc: '2.0', id: 42, method: 'tools/list' }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: 42, error: { code: -32603 } });
  });

  it('answers a failure to store the new session with the initialize id', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    vi.spyOn(env.DB, 'batch').mockRejectedValue(new Error('D1 unavailable'));
    const response = await post(key, { ...initializeMessage, id: 8 });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: 8, error: { code: -32603 } });
  });

  it('answers id null when the failure comes before the body is read: the id is not known yet', async () => {
    const { key } = await createConnection({ scope: { preset: 'read_only' } });
    // The same Worker on a D1 that fails every statement: the key's lookup fails before the body is read.
    const unavailable = { prepare: () => { throw new Error('D1 unavailable'); } } as unknown as D1Database;
    const request = new Request(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: JSON_AND_SSE },
      body: JSON.stringify({ ...initializeMessage, id: 'init-9' }),
    });
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, { ...env, DB: unavailable }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32603 } });
  });
});
