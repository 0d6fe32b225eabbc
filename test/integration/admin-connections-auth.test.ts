import { env, SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { ADMIN_API_ROUTES } from '../../src/admin/api-routes';
import { recordLastUsed } from '../../src/last-used/marks';
import { watchAuditQueue } from '../support/connections-api';
import { connectClient, createConnection, GATEWAY, type CreatedConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { TEST_SECRETS } from '../support/secrets';

useStandinOdoo();

let target: CreatedConnection;
let sessionId: string;
const approvalId = `apr_${'a'.repeat(32)}`;

// beforeEach, not beforeAll: the stand-in Odoo is installed per test, and creation checks the Odoo account.
beforeEach(async () => {
  if (target) return;
  target = await createConnection({ name: 'auth target', scope: { preset: 'read_only' } });
  const client = await connectClient(target.key);
  sessionId = (await env.DB.prepare('SELECT id FROM mcp_sessions WHERE connection_id = ?').bind(target.connection.id).first<{ id: string }>())!.id;
  await client.close();
  // A pending approval of a harmless call, so approve (which runs it) and deny have something to act on.
  await env.DB.prepare(
    `INSERT INTO approvals (id, connection_id, tool, model, arguments, digest, rule, status, requested_at, expires_at)
     VALUES (?, ?, 'count_records', 'res.partner', '{"domain":[],"model":"res.partner"}', 'd', '{"index":0,"matched":"query on res.partner","rule":{}}', 'pending', ?, ?)`,
  )
    .bind(approvalId, target.connection.id, Date.now(), Date.now() + 3_600_000)
    .run();
});

/** The connection and approval routes, with a body that would succeed with the right token (the last test opens each). */
function routes(): Array<[string, string, unknown?]> {
  const id = target.connection.id;
  return [
    ['GET', '/admin/api/connections'],
    ['POST', '/admin/api/connections', { name: 'should not exist', scope: { preset: 'full' } }],
    ['GET', `/admin/api/connections/${id}`],
    ['PATCH', `/admin/api/connections/${id}`, { name: 'renamed by an intruder' }],
    ['POST', `/admin/api/connections/${id}/rotate`],
    ['POST', `/admin/api/connections/${id}/revoke`],
    ['POST', `/admin/api/connections/${id}/reactivate`],
    ['POST', `/admin/api/connections/${id}/keys`],
    ['GET', `/admin/api/connections/${id}/sessions`],
    ['DELETE', `/admin/api/connections/${id}/sessions/${sessionId}`],
    ['GET', '/admin/api/approvals'],
    ['GET', `/admin/api/approvals/${approvalId}`],
    ['POST', `/admin/api/approvals/${approvalId}/approve`, { note: 'by an intruder' }],
    ['POST', `/admin/api/approvals/${approvalId}/deny`, { note: 'by an intruder' }],
  ];
}

/** A body that would succeed with the right token, for the routes whose body must say something. */
function goodBodies(): Record<string, unknown> {
  return {
    'post /odoo-accounts': { name: 'should not exist', url: 'https://odoo.test', database: 'odoo', login: 'demo', api_key: 'demo-api-key', api: 'jsonrpc' },
    'post /invitations': { name: 'should not exist', scope: { preset: 'read_only' } },
    'post /admin-tokens': { name: 'should not exist', role: 'owner' },
    ...Object.fromEntries(routes().filter(([, , body]) => body !== undefined).map(([method, path, body]) => [`${method.toLowerCase()} ${declaredPathOf(path)}`, body])),
  };
}

/** The concrete path of a connection route above as its declaration writes it: /connections/{id}. */
function declaredPathOf(path: string): string {
  return path
    .replace(/^\/admin\/api/, '')
    .replace(target.connection.id, '{id}')
    .replace(approvalId, '{id}')
    .replace(sessionId, '{sid}');
}

/**
 * Every route the admin API declares (src/admin/api-routes.ts) but the public document:
 * a route added there is in this matrix without anyone listing it here.
 */
function declaredRoutes(): Array<[string, string, unknown?]> {
  const bodies = goodBodies();
  return ADMIN_API_ROUTES.filter((route) => !route.public).map((route) => {
    const path = route.path
      .replace('{sid}', sessionId)
      .replace('{id}', route.path.startsWith('/connections/') ? target.connection.id : route.path.startsWith('/approvals/') ? approvalId : 'missing');
    const body = bodies[`${route.method} ${route.path}`] ?? (route.body ? {} : undefined);
    return [route.method.toUpperCase(), `/admin/api${path}`, body];
  });
}

const badCredentials: Array<[string, () => string | null]> = [
  ['no Authorization header', () => null],
  ['a wrong token of the same length', () => `Bearer ${'x'.repeat(TEST_SECRETS.ADMIN_TOKEN.length)}`],
  ['the admin token with a character more', () => `Bearer ${TEST_SECRETS.ADMIN_TOKEN}x`],
  ['the admin token under the Basic scheme', () => `Basic ${TEST_SECRETS.ADMIN_TOKEN}`],
  ['a valid MCP key', () => `Bearer ${target.key}`],
  ['an empty Bearer', () => 'Bearer '],
];

async function snapshot() {
  const tables = ['connections', 'mcp_sessions', 'approvals', 'odoo_accounts', 'admin_tokens', 'oauth_invitations'];
  const results = await env.DB.batch(tables.map((table) => env.DB.prepare(`SELECT * FROM ${table} ORDER BY rowid`)));
  return JSON.stringify(results.map((result) => result.results));
}

describe('admin authentication on every admin route', () => {
  it('covers every declared route, the connection routes below among them', () => {
    const matrix = declaredRoutes().map(([method, path]) => `${method} ${path}`);
    expect(matrix.length).toBe(ADMIN_API_ROUTES.length - 1);
    expect(matrix).toEqual(expect.arrayContaining(routes().map(([method, path]) => `${method} ${path}`)));
    expect(matrix).toEqual(expect.arrayContaining(['POST /admin/api/odoo-accounts', 'POST /admin/api/admin-tokens', 'GET /admin/api/audit.csv']));
  });

  it.each(badCredentials)('refuses %s with 401 on every route, and no handler runs', async (_label, credential) => {
    const audit = watchAuditQueue();
    // A newer KV last-used: the list handler, if it ran, would copy it into D1 and change the snapshot.
    await recordLastUsed(env.LAST_USED, target.connection.id, Date.now() + 60_000);
    const before = await snapshot();
    for (const [method, path, body] of declaredRoutes()) {
      const headers = new Headers({ 'content-type': 'application/json' });
      const authorization = credential();
      if (authorization !== null) headers.set('authorization', authorization);
      const response = await SELF.fetch(`${GATEWAY}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          code: 'unauthorized',
          message: 'A valid admin credential is required: send Authorization: Bearer <admin token>, or sign in through Cloudflare Access.',
          details: null,
          request_id: response.headers.get('x-request-id'),
        },
      });
    }
    expect(await snapshot()).toBe(before);
    expect(audit.adminActions()).toEqual([]);
  });

  it('the admin token does not open /mcp', async () => {
    const sessionsBefore = await snapshot();
    const response = await SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'admin', version: '1' } },
      }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(await snapshot()).toBe(sessionsBefore);
  });

  it('the admin token opens every route (so the refusals above are about the credential)', async () => {
    const statuses: number[] = [];
    for (const [method, path, body] of routes()) {
      const headers = new Headers({ 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` });
      const response = await SELF.fetch(`${GATEWAY}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      await response.body?.cancel();
      statuses.push(response.status);
    }
    // list, create, get, patch, rotate, revoke, reactivate (now revoked), keys (now keyless), sessions, end session (ended by revoke),
    // approvals list, approval, approve (expired by the revoke above: 409), deny (409).
    expect(statuses).toEqual([200, 201, 200, 200, 200, 200, 200, 201, 200, 409, 200, 200, 409, 409]);
  });
});
