import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as StatelessClient, StreamableHTTPClientTransport as StatelessTransport } from '@modelcontextprotocol/client';
import { Client as SessionClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as SessionTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

/** Both MCP eras against one gateway in wrangler dev: the SDK v2 client (2026-07-28, stateless) and the v1 client (2025-11-25, sessions). */

let gateway: LocalGateway;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-e2e-eras-'));
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

const admin = (route: string) => fetch(`${gateway.url}${route}`, { headers: { authorization: `Bearer ${gateway.adminToken}` } });

interface Exchange {
  requestHeaders: Headers;
  responseHeaders: Headers;
}

/** A fetch that keeps every request's and response's headers, to show what crossed the wire. */
function recordingFetch(exchanges: Exchange[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    exchanges.push({ requestHeaders: new Headers(init?.headers), responseHeaders: response.headers });
    return response;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('one gateway, both MCP eras', () => {
  it('serves the v2 client statelessly and the v1 client in a session, and audits both with their client names', { timeout: 60_000 }, async () => {
    const created = await fetch(`${gateway.url}/admin/api/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'both eras', scope: { preset: 'read_only' } }),
    });
    expect(created.status).toBe(201);
    const { key, connection } = (await created.json()) as { key: string; connection: { id: string } };
    const url = new URL(`${gateway.url}/mcp`);

    const exchanges: Exchange[] = [];
    const modern = new StatelessClient({ name: 'v2-e2e-client', version: '2.4.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await modern.connect(new StatelessTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } }, fetch: recordingFetch(exchanges) }));
    expect(modern.getProtocolEra()).toBe('modern');
    const discovered = await modern.discover();
    expect(discovered.supportedVersions).toContain('2026-07-28');
    expect(discovered.capabilities.tools).toBeDefined();
    const names = (await modern.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('search_records');
    expect(names).not.toContain('create_records');
    const allowed = (await modern.callTool({ name: 'count_records', arguments: { model: 'res.partner' } })) as Json;
    expect(allowed.isError).toBeFalsy();
    const refused = (await modern.callTool({ name: 'delete_records', arguments: { model: 'res.partner', ids: [1] } })) as Json;
    expect(refused).toMatchObject({ isError: true, structuredContent: { error: { type: 'denied', code: 'operation_not_allowed' } } });
    await modern.close();

    expect(exchanges.length).toBeGreaterThanOrEqual(4);
    for (const exchange of exchanges) {
      expect(exchange.requestHeaders.get('mcp-session-id')).toBeNull();
      expect(exchange.responseHeaders.get('mcp-session-id')).toBeNull();
      expect(exchange.requestHeaders.get('mcp-protocol-version')).toBe('2026-07-28');
    }

    const legacy = new SessionClient({ name: 'v1-e2e-client', version: '1.32.2' });
    await legacy.connect(new SessionTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    expect((await legacy.callTool({ name: 'count_records', arguments: { model: 'res.partner' } })).isError).toBeFalsy();
    await legacy.close();

    const sessions = (await (await admin(`/admin/api/connections/${connection.id}/sessions`)).json()) as Json;
    expect(sessions.items.map((session: Json) => session.client?.name ?? session.client_name)).toEqual(['v1-e2e-client']);

    const deadline = Date.now() + 30_000;
    let events: Json[] = [];
    while (Date.now() < deadline) {
      events = ((await (await admin(`/admin/api/audit?connection_id=${connection.id}&kind=mcp`)).json()) as Json).items;
      if (events.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const summary = events.map((event) => [event.mcp_client_name, event.tool, event.outcome, event.session_id === null]).sort();
    expect(summary).toEqual([
      ['v1-e2e-client', 'count_records', 'allowed', false],
      ['v2-e2e-client', 'count_records', 'allowed', true],
      ['v2-e2e-client', 'delete_records', 'denied', true],
    ]);
  });
});
