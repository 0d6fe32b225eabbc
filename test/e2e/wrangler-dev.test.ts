import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

let gateway: LocalGateway;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-e2e-'));
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function createConnection(scope: unknown): Promise<{ key: string; mcp_url: string }> {
  const response = await fetch(`${gateway.url}/admin/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', scope }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { key: string; mcp_url: string };
}

async function connect(key: string, url: string): Promise<Client> {
  const client = new Client({ name: 'e2e-client', version: '2.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

describe('the gateway in wrangler dev, over real HTTP', () => {
  it('runs against the demo Odoo when no ODOO_* is set', () => {
    expect(gateway.demoOdoo).toBe(true);
  });

  it('creates a connection, lists and calls tools with the SDK client', async () => {
    const { key, mcp_url } = await createConnection({ preset: 'read_only' });
    expect(mcp_url).toBe(`${gateway.url}/mcp`);
    const client = await connect(key, mcp_url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'aggregate_records',
      'count_records',
      'describe_model',
      'list_models',
      'read_records',
      'search_records',
    ]);
    const found = (await client.callTool({
      name: 'search_records',
      arguments: { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name'], limit: 2 },
    })) as CallToolResult;
    expect(found.isError).toBeFalsy();
    expect((found.structuredContent as { records: unknown[] }).records).toHaveLength(2);

    const refused = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: { name: 'x' } } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(/create/);
    await client.close();
  });

  it('creates records with a full-access key', async () => {
    const { key, mcp_url } = await createConnection({ preset: 'full' });
    const client = await connect(key, mcp_url);
    const created = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: { name: 'From e2e' } } })) as CallToolResult;
    expect(created.isError).toBeFalsy();
    const [id] = (created.structuredContent as { ids: number[] }).ids;
    const read = (await client.callTool({ name: 'read_records', arguments: { model: 'crm.lead', ids: [id], fields: ['name'] } })) as CallToolResult;
    expect(read.structuredContent).toMatchObject({ records: [{ id, name: 'From e2e' }] });
    await client.close();
  });

  it('answers a wrong key with 401 and WWW-Authenticate', async () => {
    const response = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { authorization: 'Bearer omcp_nope', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
