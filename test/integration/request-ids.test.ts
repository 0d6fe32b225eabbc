import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateKey } from '../../src/keys/format';
import { adminRequest, createConnection, GATEWAY, rawInitialize } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.restoreAllMocks();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('every response carries X-Request-Id', () => {
  it.each<[string, () => Promise<Response>, number]>([
    ['the front page', () => SELF.fetch(`${GATEWAY}/`), 200],
    ['an admin API answer', () => adminRequest('/admin/api/connections'), 200],
    ['the OpenAPI document', () => SELF.fetch(`${GATEWAY}/admin/api/openapi.json`), 200],
    ['an unknown route', () => SELF.fetch(`${GATEWAY}/nowhere`), 404],
    ['a console page', () => SELF.fetch(`${GATEWAY}/admin/sign-in`), 200],
    ['the OAuth protected resource metadata', () => SELF.fetch(`${GATEWAY}/.well-known/oauth-protected-resource/mcp`), 200],
    ['an MCP initialize', async () => rawInitialize((await createConnection({ scope: { preset: 'read_only' } })).key), 200],
    ['a JSON-RPC error from /mcp', async () => {
      const { key } = await createConnection({ scope: { preset: 'read_only' } });
      return SELF.fetch(`${GATEWAY}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${key}` }, body: '{"jsonrpc"' });
    }, 400],
    ['a 401 from /mcp', () => rawInitialize(generateKey().key), 401],
  ])('%s', async (_label, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('a fresh one for each request', async () => {
    const [a, b] = await Promise.all([SELF.fetch(`${GATEWAY}/`), SELF.fetch(`${GATEWAY}/`)]);
    expect(a!.headers.get('x-request-id')).not.toBe(b!.headers.get('x-request-id'));
  });

  it("is Cloudflare's Ray ID when the request has one, and never the client's own X-Request-Id", async () => {
    const viaCloudflare = await SELF.fetch(`${GATEWAY}/`, { headers: { 'cf-ray': '8f1c2a3b4d5e6f70-AMS' } });
    expect(viaCloudflare.headers.get('x-request-id')).toBe('8f1c2a3b4d5e6f70-AMS');
    const chosen = await SELF.fetch(`${GATEWAY}/`, { headers: { 'x-request-id': 'pick-me' } });
    expect(chosen.headers.get('x-request-id')).toMatch(UUID);
  });
});

describe('error bodies and log lines carry the same id', () => {
  it.each<[string, () => Promise<Response>, string]>([
    ['a refused admin token', () => adminRequest('/admin/api/connections', { headers: { authorization: 'Bearer wrong' } }), 'unauthorized'],
    ['an unknown connection', () => adminRequest('/admin/api/connections/con_nope'), 'not_found'],
    ['an invalid body', () => adminRequest('/admin/api/connections', { method: 'POST', json: { name: 7 } }), 'validation_failed'],
    ['a refused key on /mcp', () => rawInitialize(generateKey().key), 'unauthorized'],
  ])('%s', async (_label, send, code) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const response = await send();
    const body = (await response.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
    expect(body.error.request_id).toMatch(UUID);
  });

  it('the log line of a refused key names the request it answered', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const response = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${generateKey().key}`, 'cf-ray': '0123456789abcdef-FRA' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    const lines = warned.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'mcp authentication failed', requestId: '0123456789abcdef-FRA' }));
  });
});
