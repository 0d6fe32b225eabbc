import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { decryptSecret, importCredentialsKey } from '../../src/crypto/secretbox';
import { adminRequest, connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { TEST_SECRETS } from '../support/secrets';

const odoo = useStandinOdoo();

const ODOO_URL = TEST_SECRETS.ODOO_URL;
const SECRETS = ['admin-api-key', 'demo-api-key', 'wrong-api-key', 'api_key_ciphertext'];

/** Every admin answer this file received, to prove no secret ever left the gateway. */
let wire: string[] = [];

afterEach(() => {
  for (const text of wire) for (const secret of SECRETS) expect(text).not.toContain(secret);
  for (const text of wire) expect(text).not.toMatch(/"v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+"/);
  wire = [];
});

async function admin(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await adminRequest(path, init);
  const text = await response.text();
  wire.push(text);
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

interface AccountInput {
  name?: string;
  url?: string;
  database?: string;
  login?: string;
  api_key?: string;
  api?: 'json2' | 'jsonrpc';
}

function createAccount(input: AccountInput = {}) {
  return admin('/admin/api/odoo-accounts', {
    method: 'POST',
    json: { name: 'Demo user', url: ODOO_URL, database: 'odoo', login: 'demo', api_key: 'demo-api-key', ...input },
  });
}

async function storedRow(id: string) {
  return env.DB.prepare('SELECT * FROM odoo_accounts WHERE id = ?').bind(id).first<Record<string, unknown>>();
}

describe('POST /admin/api/odoo-accounts', () => {
  it.each([
    ['json2', 'admin', 'admin-api-key', 2, 'Mitchell Admin'],
    ['jsonrpc', 'demo', 'demo-api-key', 5, null],
  ] as const)('checks %s credentials against Odoo, then stores the key encrypted and answers without it', async (api, login, apiKey, uid, userName) => {
    const { status, body } = await createAccount({ name: `As ${login}`, api, login, api_key: apiKey });

    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^oa_[0-9a-f]{32}$/),
      name: `As ${login}`,
      url: ODOO_URL,
      database: 'odoo',
      login,
      api,
      odoo_uid: uid,
      odoo_user_name: userName,
      is_default: false,
      connections: 0,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    expect(odoo.requests.length).toBeGreaterThan(0);

    const row = (await storedRow(body.id))!;
    expect(row.api_key_ciphertext).not.toContain(apiKey);
    expect(row.odoo_uid).toBe(uid);
    const credentials = await importCredentialsKey(TEST_SECRETS.CREDENTIALS_KEY);
    expect(await decryptSecret(credentials, row.api_key_ciphertext as string, body.id)).toBe(apiKey);
    await expect(decryptSecret(credentials, row.api_key_ciphertext as string, 'another-row')).rejects.toThrow();
  });

  it('defaults to json2 and keeps only the origin of a URL given with a trailing slash', async () => {
    const { status, body } = await createAccount({ url: `${ODOO_URL}/` });
    expect(status).toBe(201);
    expect(body).toMatchObject({ api: 'json2', url: ODOO_URL, odoo_uid: 5, odoo_user_name: 'Marc Demo' });
    expect(new URL(odoo.requests[0]!.url).pathname).toBe('/json/2/res.users/search_read');
  });

  it.each([
    ['json2', 'wrong-api-key', 'demo'],
    ['jsonrpc', 'wrong-api-key', 'demo'],
    ['jsonrpc', 'demo-api-key', 'admin'],
  ] as const)('answers 422 when Odoo refuses the %s credentials (key %s, login %s) and stores nothing', async (api, apiKey, login) => {
    const name = `refused ${crypto.randomUUID()}`;
    const { status, body } = await createAccount({ name, api, api_key: apiKey, login });

    expect(status).toBe(422);
    expect(body.error.code).toBe('odoo_credentials_refused');
    expect(body.error.message).toMatch(/^Odoo refused the credentials, nothing was saved: .+\. Check the login, the API key and the database\.$/);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM odoo_accounts WHERE name = ?').bind(name).first('n')).toBe(0);
  });

  it.each(['unreachable', 'hang', 'html_502'] as const)('answers 502 when Odoo cannot be asked (%s) and stores nothing', async (fault) => {
    odoo.fault = fault;
    const name = `unreachable ${crypto.randomUUID()}`;
    const { status, body } = await createAccount({ name });

    expect(status).toBe(502);
    expect(body.error.code).toBe('odoo_unreachable');
    expect(body.error.message).toMatch(/^Odoo could not check the credentials, nothing was saved: /);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM odoo_accounts WHERE name = ?').bind(name).first('n')).toBe(0);
  });

  it.each([
    ['a URL with credentials', { url: 'https://admin:secret@odoo.test' }, 'url', /user name or password/],
    ['a URL with a path', { url: 'https://odoo.test/web#action=1' }, 'url', /query string or fragment/],
    ['a URL with a trailing path', { url: 'https://odoo.test/odoo' }, 'url', /without a path \(remove '\/odoo'\)/],
    ['a URL with a query', { url: 'https://odoo.test/?db=odoo' }, 'url', /query string/],
    ['a non-HTTP URL', { url: 'ftp://odoo.test' }, 'url', /http or https/],
    ['not a URL', { url: 'odoo.test' }, 'url', /absolute URL/],
    ['an unknown API', { api: 'xmlrpc' }, 'api', /json2/],
    ['an empty login', { login: '  ' }, 'login', /empty/],
    ['an API key with spaces', { api_key: 'two words' }, 'api_key', /spaces/],
    ['an unknown field', { password: 'x' }, 'password', /password/],
  ])('answers 400 for %s, without asking Odoo', async (_label, input, path, message) => {
    const { status, body } = await createAccount(input as AccountInput);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(odoo.requests).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, body } = await admin('/admin/api/odoo-accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_json');
  });

  it('needs the admin token', async () => {
    const response = await adminRequest('/admin/api/odoo-accounts', { headers: { authorization: 'Bearer not-the-admin-token' } });
    expect(response.status).toBe(401);
    expect(odoo.requests).toHaveLength(0);
  });
});

describe('GET /admin/api/odoo-accounts', () => {
  it('lists accounts newest first, page by page, without secrets', async () => {
    const created: Array<{ id: string; [field: string]: unknown }> = [];
    for (const name of ['first', 'second', 'third']) created.push((await createAccount({ name: `page ${name}` })).body);

    const seen: Array<{ id: string }> = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await admin(`/admin/api/odoo-accounts?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) expect(Object.keys(item).sort()).toEqual(Object.keys(created[0]!).sort());
      seen.push(...body.items);
      cursor = body.next_cursor;
    } while (cursor);

    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    const mine = ids.filter((id) => created.some((account) => account.id === id));
    expect(mine).toEqual(created.map((account) => account.id).reverse());
  });

  it('answers 400 for a cursor it did not hand out and for a bad limit', async () => {
    expect((await admin('/admin/api/odoo-accounts?cursor=bogus')).body.error.details.issues).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    expect((await admin('/admin/api/odoo-accounts?limit=0')).status).toBe(400);
  });

  it('shows the default account from the ODOO_* variables once a connection has used it', async () => {
    await createConnection({ scope: { preset: 'read_only' } });
    const { body } = await admin('/admin/api/odoo-accounts?limit=200');
    const defaults = body.items.filter((item: { id: string }) => item.id === 'default');
    expect(defaults).toEqual([
      expect.objectContaining({ id: 'default', is_default: true, url: ODOO_URL, login: 'admin', odoo_uid: 2, connections: expect.any(Number) }),
    ]);
    expect(defaults[0].connections).toBeGreaterThanOrEqual(1);
  });

  it('GET /:id answers the account, and 404 for an unknown id', async () => {
    const { body: account } = await createAccount();
    expect(await admin(`/admin/api/odoo-accounts/${account.id}`)).toEqual({ status: 200, body: account });
    const unknown = await admin('/admin/api/odoo-accounts/oa_missing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });
});

describe('connections acting as a stored account', () => {
  it.each(['json2', 'jsonrpc'] as const)('send the %s account key to Odoo on tools/call', async (api) => {
    const { body: account } = await createAccount({ api, login: 'demo', api_key: 'demo-api-key' });
    const { key, connection } = await createConnection({ odoo_account_id: account.id, scope: { preset: 'read_only' } });
    expect(connection).toMatchObject({ odoo_account_id: account.id });
    const client = await connectClient(key);
    const before = odoo.requests.length;

    const result = (await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(odoo.requests.length - before).toBe(1);
    if (api === 'json2') {
      expect(odoo.requests[before]!.headers.get('authorization')).toBe('bearer demo-api-key');
    } else {
      const { params } = odoo.sent[before]!.body as { params: { args: unknown[] } };
      expect(params.args.slice(0, 3)).toEqual(['odoo', 5, 'demo-api-key']);
    }
    await client.close();
  });
});

describe('DELETE /admin/api/odoo-accounts/:id', () => {
  it('deletes an unused account', async () => {
    const { body: account } = await createAccount();
    expect((await admin(`/admin/api/odoo-accounts/${account.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin(`/admin/api/odoo-accounts/${account.id}`)).status).toBe(404);
    expect(await storedRow(account.id)).toBeNull();
  });

  it('refuses with 409 while a connection uses the account, naming how many, and deletes once none does', async () => {
    const { body: account } = await createAccount();
    const { connection } = await createConnection({ odoo_account_id: account.id, scope: { preset: 'read_only' } });
    expect((await admin(`/admin/api/odoo-accounts/${account.id}`)).body.connections).toBe(1);

    const refused = await admin(`/admin/api/odoo-accounts/${account.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', details: { connections: 1, active: 1 } });
    expect(refused.body.error.message).toMatch(/^1 connection \(1 active\) acts as this Odoo account/);
    expect(await storedRow(account.id)).not.toBeNull();

    await env.DB.prepare('DELETE FROM connections WHERE id = ?').bind(connection.id).run();
    expect((await admin(`/admin/api/odoo-accounts/${account.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses to delete the default account while connections use it, and says how to change it', async () => {
    await createConnection({ scope: { preset: 'read_only' } });
    const refused = await admin('/admin/api/odoo-accounts/default', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/default account from the ODOO_\* variables/);
  });

  it('answers 404 for an unknown account', async () => {
    const { status, body } = await admin('/admin/api/odoo-accounts/oa_missing', { method: 'DELETE' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('audit', () => {
  it('records who created and deleted an account, without the API key', async () => {
    const send = vi.spyOn(env.AUDIT_QUEUE, 'send');
    const { body: account } = await createAccount({ name: 'Audited' });
    await admin(`/admin/api/odoo-accounts/${account.id}`, { method: 'DELETE' });

    const events = () => send.mock.calls.map(([event]) => event as { kind: string; method: string; detail: Record<string, unknown> });
    await vi.waitFor(() => expect(events().map((event) => event.method)).toEqual(['odoo_account.create', 'odoo_account.delete']));
    expect(events()[0]).toMatchObject({
      kind: 'admin',
      detail: { actor: { kind: 'bootstrap', id: 'admin-token' }, odoo_account_id: account.id, name: 'Audited', url: ODOO_URL, login: 'demo', api: 'json2', odoo_uid: 5 },
    });
    expect(events()[1]).toMatchObject({ kind: 'admin', detail: { actor: { kind: 'bootstrap', id: 'admin-token' }, odoo_account_id: account.id } });
    expect(JSON.stringify(events())).not.toContain('demo-api-key');
  });
});
