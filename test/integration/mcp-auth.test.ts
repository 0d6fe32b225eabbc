import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../src/keys/format';
import { createConnection, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { TEST_SECRETS } from '../support/secrets';

const odoo = useStandinOdoo();

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
});

async function callWith(authorization: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (authorization !== null) headers.authorization = authorization;
  return SELF.fetch(`${GATEWAY}/mcp`, { method: 'POST', headers, body: initialize });
}

async function sessionCount(): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions').first<{ n: number }>())!.n;
}

describe('Bearer key authentication on /mcp', () => {
  const cases: Array<[string, () => Promise<string | null>]> = [
    ['no Authorization header', async () => null],
    ['a Basic scheme', async () => `Basic ${btoa('user:pass')}`],
    ['a Bearer with no key', async () => 'Bearer '],
    ['a malformed key', async () => 'Bearer not-a-key'],
    ['a key with a wrong checksum', async () => `Bearer ${generateKey().key.slice(0, -1)}0`],
    ['an unknown well-formed key', async () => `Bearer ${generateKey().key}`],
    ['the admin token', async () => `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`],
    [
      'a revoked key',
      async () => {
        const { key, connection } = await createConnection({ scope: { preset: 'full' } });
        await env.DB.prepare("UPDATE connections SET state = 'revoked', key_hash = NULL WHERE id = ?").bind(connection.id).run();
        return `Bearer ${key}`;
      },
    ],
    [
      'an expired key',
      async () => {
        const { key, connection } = await createConnection({ scope: { preset: 'full' } });
        await env.DB.prepare('UPDATE connections SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, connection.id).run();
        return `Bearer ${key}`;
      },
    ],
    [
      'a key whose hash does not match the stored one',
      async () => {
        const { key, connection } = await createConnection({ scope: { preset: 'full' } });
        await env.DB.prepare("UPDATE connections SET key_hash = '00' WHERE id = ?").bind(connection.id).run();
        return `Bearer ${key}`;
      },
    ],
  ];

  it.each(cases)('answers %s with the same 401 and runs nothing', async (_label, authorization) => {
    const header = await authorization();
    const before = await sessionCount();
    const odooCallsBefore = odoo.requests.length;
    const response = await callWith(header);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer resource_metadata="https://gateway.test/.well-known/oauth-protected-resource/mcp"');
    expect(await response.json()).toEqual({
      error: {
        code: 'unauthorized',
        message: 'A valid API key is required: send Authorization: Bearer <key>.',
        details: null,
        request_id: response.headers.get('x-request-id'),
      },
    });
    expect(await sessionCount()).toBe(before);
    expect(odoo.requests.length).toBe(odooCallsBefore);
  });

  it('accepts the key that was just issued', async () => {
    const { key } = await createConnection({ scope: { preset: 'full' } });
    const response = await callWith(`Bearer ${key}`);
    expect(response.status).toBe(200);
  });
});
