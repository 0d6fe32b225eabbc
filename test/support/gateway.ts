import { env, SELF } from 'cloudflare:test';
// The v1 SDK client (@modelcontextprotocol/sdk) stands for the deployed 2025-era clients that open a
// session with initialize; it is kept as a dev dependency for these tests only. The Worker itself
// serves both eras with @modelcontextprotocol/server (v2); 2026-07-28 tests use @modelcontextprotocol/client.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { encryptSecret, importCredentialsKey } from '../../src/crypto/secretbox';
import { TEST_SECRETS } from './secrets';

export const GATEWAY = 'https://gateway.test';
export const ADMIN_AUTH = { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` };

export interface CreatedConnection {
  key: string;
  connection: { id: string; key_public_id: string; status: string; [field: string]: unknown };
  mcp_url: string;
}

export async function adminRequest(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', ADMIN_AUTH.Authorization);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return SELF.fetch(`${GATEWAY}${path}`, { ...init, headers, body });
}

export async function createConnection(body: Record<string, unknown>): Promise<CreatedConnection> {
  const response = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'test', ...body } });
  if (response.status !== 201) throw new Error(`create connection: ${response.status} ${await response.text()}`);
  return response.json();
}

/** An MCP SDK client speaking Streamable HTTP to the Worker under test. */
export async function connectClient(
  key: string,
  options: { headers?: Record<string, string>; clientName?: string; clientVersion?: string } = {},
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${GATEWAY}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}`, ...options.headers } },
    fetch: (url, init) => SELF.fetch(url, init),
  });
  const client = new Client({ name: options.clientName ?? 'gateway-tests', version: options.clientVersion ?? '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Inserts an Odoo account row directly, encrypted like the gateway stores it. */
/** A raw initialize: its status tells whether the key opens /mcp, with no SDK retry logic in between. */
export function rawInitialize(key: string): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    }),
  });
}

export async function seedOdooAccount(account: {
  id: string;
  api: 'json2' | 'jsonrpc';
  apiKey: string;
  login?: string;
  uid?: number | null;
  url?: string;
}): Promise<void> {
  const key = await importCredentialsKey(TEST_SECRETS.CREDENTIALS_KEY);
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO odoo_accounts (id, name, url, database, login, api, api_key_ciphertext, odoo_uid, odoo_user_name, created_at, updated_at)
     VALUES (?, ?, ?, 'odoo', ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      account.id,
      `Account ${account.id}`,
      account.url ?? TEST_SECRETS.ODOO_URL,
      account.login ?? 'admin',
      account.api,
      await encryptSecret(key, account.apiKey, account.id),
      account.uid === undefined ? 2 : account.uid,
      'Mitchell Admin',
      now,
      now,
    )
    .run();
}

export function textOf(result: { content?: unknown }): string {
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return content.map((part) => part.text ?? '').join('\n');
}
