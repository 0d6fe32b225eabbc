import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { newEventId, type AuditEvent } from '../../src/audit/event';
import { storeAuditEvents } from '../../src/audit/store';
import { openDatabase } from '../../src/db/client';
import { connections } from '../../src/db/schema';
import { ADMIN_API_ROUTES, buildOpenApiDocument } from '../../src/admin/api-routes';
import { adminRequest, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

type OpenApiDocument = {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

async function fetchDocument(): Promise<{ response: Response; document: OpenApiDocument }> {
  const response = await SELF.fetch(`${GATEWAY}/admin/api/openapi.json`);
  return { response, document: (await response.clone().json()) as OpenApiDocument };
}

/** `/admin/api/connections/:id/sessions/:sid` and `/connections/{id}/sessions/{sid}` both become `/connections/{}/sessions/{}`. */
function shapeOf(path: string): string {
  return path
    .replace(/^\/admin\/api/, '')
    .replace(/:[^/]+/g, '{}')
    .replace(/\{[^}]+\}/g, '{}');
}

describe('GET /admin/api/openapi.json', () => {
  it('is served without the admin token, as JSON', async () => {
    const { response, document } = await fetchDocument();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: `${GATEWAY}/admin/api` }]);
    expect(document.paths['/openapi.json']!.get!.security).toEqual([]);
  });

  it('is the document validated against the OpenAPI 3.1 schema in test/unit/admin/openapi.test.ts', async () => {
    const { document } = await fetchDocument();
    expect(document).toEqual(buildOpenApiDocument(GATEWAY));
  });

  it('refers only to components it defines', async () => {
    const { document } = await fetchDocument();
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(document.components.schemas, ref).toHaveProperty(ref);
  });

  it('documents every /admin/api route the app serves', () => {
    const served = app.routes
      .filter((route) => route.path.startsWith('/admin/api/') && route.method !== 'ALL')
      .map((route) => `${route.method.toLowerCase()} ${shapeOf(route.path)}`);
    const documented = new Set(ADMIN_API_ROUTES.map((route) => `${route.method} ${shapeOf(route.path)}`));

    expect(served).toEqual(expect.arrayContaining(['post /odoo-accounts', 'delete /odoo-accounts/{}', 'post /connections', 'get /openapi.json']));
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
    // And the other way: every declared route is served (declaring a route is what registers it).
    expect(ADMIN_API_ROUTES.map((route) => `${route.method} ${shapeOf(route.path)}`).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('lists each documented route under its path and method in the served document', async () => {
    const { document } = await fetchDocument();
    for (const route of ADMIN_API_ROUTES) expect(document.paths[route.path], route.path).toHaveProperty(route.method);
  });

  it('protects every route but itself with the admin token', async () => {
    const { document } = await fetchDocument();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path === '/openapi.json') continue;
        expect(operation.security, `${method} ${path}`).toBeUndefined();
        expect(operation.responses, `${method} ${path}`).toHaveProperty('401');
      }
    }
  });
});

describe('the document matches what the routes answer', () => {
  function auditEventFor(connectionId: string): AuditEvent {
    return {
      id: '',
      at: Date.now(),
      kind: 'mcp',
      connectionId,
      connectionName: 'Lifecycle',
      keyPublicId: null,
      odooUid: 2,
      odooLogin: 'admin',
      clientIp: '203.0.113.7',
      userAgent: 'tests',
      mcpClientName: 'tests',
      mcpClientVersion: '1.0.0',
      sessionId: null,
      tool: 'search_records',
      model: 'res.partner',
      method: 'search_read',
      recordIds: [1, 2],
      outcome: 'denied',
      denialCode: 'model_denied',
      denialReason: 'not allowed',
      odooError: null,
      latencyMs: 3,
      detail: { note: 'documented' },
    };
  }

  function documentedSchema(method: string, path: string, status: number) {
    const route = ADMIN_API_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
    const schema = route?.responses[status]?.schema;
    if (!schema) throw new Error(`no documented ${status} answer for ${method} ${path}`);
    return schema;
  }

  async function expectDocumented(method: string, path: string, status: number, response: Response): Promise<any> {
    expect(response.status, `${method} ${path}`).toBe(status);
    const body = await response.json();
    const parsed = documentedSchema(method, path, status).safeParse(body);
    expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
    // zod drops keys it does not know: an answer with an undocumented field would not survive the parse unchanged.
    expect(parsed.data, `${method} ${path}`).toEqual(body);
    return body;
  }

  it('for the Odoo accounts and the connection created with one', async () => {
    const account = await expectDocumented(
      'post',
      '/odoo-accounts',
      201,
      await adminRequest('/admin/api/odoo-accounts', {
        method: 'POST',
        json: { name: 'Documented', url: 'https://odoo.test', database: 'odoo', login: 'demo', api_key: 'demo-api-key', api: 'jsonrpc' },
      }),
    );
    await expectDocumented('get', '/odoo-accounts', 200, await adminRequest('/admin/api/odoo-accounts'));
    await expectDocumented('get', '/odoo-accounts/{id}', 200, await adminRequest(`/admin/api/odoo-accounts/${account.id}`));

    const created = await expectDocumented(
      'post',
      '/connections',
      201,
      await adminRequest('/admin/api/connections', {
        method: 'POST',
        json: { name: 'Documented', odoo_account_id: account.id, scope: { preset: 'read_only' } },
      }),
    );
    expect(Object.keys(created.snippets)).toHaveLength(11);
    await expectDocumented('get', '/connections/{id}', 200, await adminRequest(`/admin/api/connections/${created.connection.id}`));
  });

  it('for an OAuth connection, in the list and on its page', async () => {
    // A key connection first, so the default Odoo account's row exists for the OAuth one to act as.
    const keyed = await (await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'Beside OAuth', scope: { preset: 'read_only' } } })).json<{ connection: { odoo_account_id: string } }>();
    const at = Date.now();
    const id = `con_oauth${crypto.randomUUID().replaceAll('-', '')}`;
    await openDatabase(env.DB).insert(connections).values({
      id, name: 'Documented OAuth', odooAccountId: keyed.connection.odoo_account_id, scope: { preset: 'read_only' }, auth: 'oauth', keyPublicId: 'oauth_documented', keyHash: null, keyCreatedAt: at,
      oauthClientId: 'https://app.example/client.json', oauthClientName: 'Example', oauthRegistration: 'cimd', oauthRedirectUris: ['https://app.example/cb'], lastTokenAt: at, createdAt: at, updatedAt: at,
    });
    const list = await expectDocumented('get', '/connections', 200, await adminRequest('/admin/api/connections?q=Documented%20OAuth'));
    expect(list.items).toEqual([expect.objectContaining({ id, auth: 'oauth', oauth: { client_id: 'https://app.example/client.json', client_name: 'Example', registration: 'cimd', redirect_uris: ['https://app.example/cb'], last_token_at: new Date(at).toISOString() } })]);
    const page = await expectDocumented('get', '/connections/{id}', 200, await adminRequest(`/admin/api/connections/${id}`));
    expect(page.oauth.registration).toBe('cimd');
  });

  it('for the connection lifecycle, its sessions and its audit trail', async () => {
    const created = await (
      await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'Lifecycle', scope: { preset: 'read_only' } } })
    ).json<{ connection: { id: string } }>();
    const id = created.connection.id;
    const post = (path: string, json?: unknown) => adminRequest(path, { method: 'POST', ...(json === undefined ? {} : { json }) });

    await expectDocumented('get', '/connections', 200, await adminRequest('/admin/api/connections?limit=5'));
    await expectDocumented('patch', '/connections/{id}', 200, await adminRequest(`/admin/api/connections/${id}`, { method: 'PATCH', json: { name: 'Renamed' } }));
    await expectDocumented('post', '/connections/{id}/rotate', 200, await post(`/admin/api/connections/${id}/rotate`));
    await expectDocumented('get', '/connections/{id}/sessions', 200, await adminRequest(`/admin/api/connections/${id}/sessions`));
    await expectDocumented('post', '/connections/{id}/revoke', 200, await post(`/admin/api/connections/${id}/revoke`, { reason: 'documented' }));
    await expectDocumented('post', '/connections/{id}/reactivate', 200, await post(`/admin/api/connections/${id}/reactivate`));
    await expectDocumented('post', '/connections/{id}/keys', 201, await post(`/admin/api/connections/${id}/keys`));
    // Stored directly, so the pages below hold an event whatever the queue consumer has done yet.
    await storeAuditEvents(openDatabase(env.DB), [{ ...auditEventFor(id), id: newEventId(Date.now()) }]);
    const forConnection = await expectDocumented('get', '/connections/{id}/audit', 200, await adminRequest(`/admin/api/connections/${id}/audit`));
    expect(forConnection.items.length).toBeGreaterThan(0);
    const all = await expectDocumented('get', '/audit', 200, await adminRequest(`/admin/api/audit?connection_id=${id}&limit=10`));
    expect(all.items.length).toBeGreaterThan(0);

    const csv = await adminRequest('/admin/api/audit.csv?kind=admin');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    await csv.body?.cancel();
  });
});
