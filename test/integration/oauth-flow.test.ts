import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { adminRequest, connectClient, createConnection, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, MemoryOAuthProvider } from '../support/oauth';
import { waitForRows } from './audit-helpers';

useStandinOdoo();

function transportFor(provider: MemoryOAuthProvider) {
  return new StreamableHTTPClientTransport(new URL(`${GATEWAY}/mcp`), { authProvider: provider as never, fetch: (url, init) => SELF.fetch(url, init) });
}

/** Discovery from the 401, DCR, consent by a signed-in admin, code exchange: the SDK's own OAuth path. */
async function authorizeThroughSdk(provider = new MemoryOAuthProvider()): Promise<{ provider: MemoryOAuthProvider; client: Client; connectionId: string }> {
  const first = transportFor(provider);
  await expect(new Client({ name: 'oauth-flow', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).not.toBeNull();
  const approval = await approveAsAdmin(new CookieJar(), provider.authorizationUrl!);
  expect([approval.status, approval.headers.get('location')]).toEqual([302, expect.any(String)]);
  const callback = new URL(approval.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(provider.redirectUrl);
  expect(callback.searchParams.get('iss')).toBe(GATEWAY);
  expect(callback.searchParams.get('state')).toBe(provider.authorizationUrl!.searchParams.get('state'));
  await first.finishAuth(callback.searchParams.get('code')!);
  const client = new Client({ name: 'oauth-flow', version: '1.0.0' });
  await client.connect(transportFor(provider));
  const row = await env.DB.prepare("SELECT id FROM connections WHERE auth = 'oauth' ORDER BY created_at DESC LIMIT 1").first<{ id: string }>();
  return { provider, client, connectionId: row!.id };
}

describe('the OAuth flow through the MCP SDK client', { timeout: 40_000 }, () => {
  it('discovers, registers, is approved by an admin, lists read tools, is audited, refreshes, and gets a 401 after revocation', async () => {
    const { provider, client, connectionId } = await authorizeThroughSdk();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['aggregate_records', 'count_records', 'describe_model', 'list_models', 'read_records', 'search_records']);

    const connection = (await (await adminRequest(`/admin/api/connections/${connectionId}`)).json()) as Record<string, any>;
    expect(connection).toMatchObject({ auth: 'oauth', name: 'Claude (OAuth)', has_key: false, oauth: { client_name: 'Flow test client', registration: 'dcr', redirect_uris: [provider.redirectUrl] } });
    expect(connection.oauth.last_token_at).not.toBeNull();

    await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    const rows = await waitForRows((found) => found.length >= 1, "tool = 'count_records' AND connection_id = ?", connectionId);
    expect(rows[0]).toMatchObject({ connection_id: connectionId, outcome: 'allowed', key_public_id: connection.key_public_id });

    // Refresh: a new access token, and the refresh token rotates.
    const before = provider.tokens() as { access_token: string; refresh_token: string };
    const refreshed = await SELF.fetch(`${GATEWAY}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token, client_id: (provider.clientInformation() as { client_id: string }).client_id }),
    });
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).not.toBe(before.refresh_token);
    const fresh = await connectClient(tokens.access_token);
    expect((await fresh.listTools()).tools.length).toBe(6);

    const revoked = await adminRequest(`/admin/api/connections/${connectionId}/revoke`, { method: 'POST', json: {} });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { status: string }).status).toBe('revoked');
    await expect(fresh.listTools()).rejects.toThrow();
    const after = await SELF.fetch(`${GATEWAY}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${GATEWAY}/.well-known/oauth-protected-resource/mcp"`);
    const refreshAfterRevoke = await SELF.fetch(`${GATEWAY}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: (provider.clientInformation() as { client_id: string }).client_id }),
    });
    expect(refreshAfterRevoke.status).toBe(400);
    expect(await refreshAfterRevoke.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves a Bearer key and an OAuth token on the same /mcp, each as its own connection', async () => {
    const { client: oauthClient, connectionId } = await authorizeThroughSdk();
    const { key, connection } = await createConnection({ scope: { preset: 'full' } });
    const keyClient = await connectClient(key);
    expect((await keyClient.listTools()).tools.length).toBeGreaterThan(6);
    expect((await oauthClient.listTools()).tools.length).toBe(6);
    await keyClient.callTool({ name: 'count_records', arguments: { model: 'crm.lead' } });
    await oauthClient.callTool({ name: 'count_records', arguments: { model: 'crm.lead' } });
    const rows = await waitForRows((found) => found.length >= 2, "tool = 'count_records' AND model = 'crm.lead' AND connection_id IN (?, ?)", connection.id, connectionId);
    expect(new Set(rows.map((row) => row.connection_id))).toEqual(new Set([connection.id, connectionId]));
  });
});
