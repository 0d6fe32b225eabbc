import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

/**
 * OAuth as Claude.ai, VS Code or Cursor does it, against `wrangler dev`: the
 * MCP SDK client's own OAuth support (discovery from the 401, dynamic
 * registration, PKCE, token, refresh), the consent page in Chromium, and the
 * app's redirect caught by a server on loopback.
 */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const READ_TOOLS = ['aggregate_records', 'count_records', 'describe_model', 'list_models', 'read_records', 'search_records'];

let gateway: LocalGateway;
let stateDir: string;
let browser: Browser;
let callbackServer: Server;
let callbackUrl: string;
/** Script errors and CSP refusals the browser saw on the gateway's pages: there must be none. */
const browserProblems: string[] = [];
/** Codes the app's redirect delivered to the loopback server. */
const codes = new Set<string>();

/** What a desktop client keeps on disk, in memory: its registration, tokens and PKCE verifier. */
class AppProvider implements OAuthClientProvider {
  authorizationUrl: URL | null = null;
  private client: OAuthClientInformationMixed | undefined;
  private stored: OAuthTokens | undefined;
  private verifier = '';
  constructor(private readonly name: string) {}
  get redirectUrl() {
    return callbackUrl;
  }
  get clientMetadata() {
    return { client_name: this.name, redirect_uris: [callbackUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

function transportFor(provider: AppProvider) {
  return new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { authProvider: provider });
}

/** The first connect gets the 401, discovers, registers and asks for authorization, as an app does before it opens the browser. */
async function startAuthorization(provider: AppProvider): Promise<StreamableHTTPClientTransport> {
  const transport = transportFor(provider);
  await expect(new Client({ name: 'oauth-e2e', version: '1.0.0' }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).not.toBeNull();
  return transport;
}

/** The code the browser's redirect brought back to the app, after the consent page was approved. */
async function codeAfter(page: Page, provider: AppProvider): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(callbackUrl), { timeout: 10_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\nbrowser: ${browserProblems.join('\n')}`);
  });
  const landed = new URL(page.url());
  expect(landed.searchParams.get('iss')).toBe(gateway.url);
  expect(landed.searchParams.get('state')).toBe(provider.authorizationUrl!.searchParams.get('state'));
  const code = landed.searchParams.get('code')!;
  expect(codes.has(code)).toBe(true);
  return code;
}

async function watched(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => browserProblems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    // The spent invitation's 404 is expected; a refusal by the page's CSP is not.
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) browserProblems.push(message.text());
  });
  return page;
}

async function connected(provider: AppProvider): Promise<Client> {
  const client = new Client({ name: 'oauth-e2e', version: '1.0.0' });
  await client.connect(transportFor(provider));
  return client;
}

function admin(route: string, init: { method?: string; json?: unknown } = {}) {
  return fetch(`${gateway.url}/admin/api${route}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${gateway.adminToken}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

/** Polls until the check passes: the audit reaches D1 through the queue, in the background. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function latestOAuthConnection(clientName: string): Promise<Record<string, any>> {
  const list = (await (await admin('/connections?sort=created&limit=200')).json()) as { items: Record<string, any>[] };
  return list.items.find((item) => item.oauth?.client_name === clientName)!;
}

function mcpPing(accessToken: string): Promise<Response> {
  return fetch(`${gateway.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'ping', version: '1' } } }),
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-e2e-oauth-'));
  callbackServer = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const code = url.searchParams.get('code');
    if (code) codes.add(code);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Back in the app</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as { port: number }).port}/callback`;
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  expect(browserProblems).toEqual([]);
  await browser?.close();
  await gateway?.stop();
  await new Promise((resolve) => callbackServer?.close(resolve));
  await rm(stateDir, { recursive: true, force: true });
});

describe('OAuth through the MCP SDK client against wrangler dev', () => {
  it('discovers, registers, is approved read-only by a console admin in Chromium, is audited, refreshes, and gets a 401 once revoked', { timeout: 120_000 }, async () => {
    const provider = new AppProvider('E2E OAuth app');
    const first = await startAuthorization(provider);
    expect(provider.authorizationUrl!.searchParams.get('resource')).toBe(`${gateway.url}/mcp`);
    expect(provider.authorizationUrl!.searchParams.get('code_challenge_method')).toBe('S256');
    expect((provider.clientInformation() as { client_id: string }).client_id).toMatch(/\S/);

    const context = await browser.newContext();
    const page = await watched(context);
    await page.goto(`${gateway.url}/admin/sign-in`);
    await page.getByLabel('Admin token').fill(gateway.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/connections');
    await page.goto(provider.authorizationUrl!.href);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Authorize E2E OAuth app');
    expect(await page.textContent('body')).toContain('This sends access to an app on this computer');
    await page.getByLabel('Connection name').fill('E2E OAuth (read only)');
    await page.locator('input[name="preset"][value="read_only"]').check();
    await page.getByRole('button', { name: 'Approve', exact: true }).last().click();
    const code = await codeAfter(page, provider);
    await context.close();

    await first.finishAuth(code);
    const client = await connected(provider);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(READ_TOOLS);

    const connection = await latestOAuthConnection('E2E OAuth app');
    expect(connection).toMatchObject({ name: 'E2E OAuth (read only)', auth: 'oauth', scope_summary: 'Read only', oauth: { registration: 'dcr', redirect_uris: [callbackUrl] } });
    const counted = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(counted.isError).toBeFalsy();
    const event = await eventually(async () => {
      const page = (await (await admin(`/connections/${connection.id}/audit?limit=20`)).json()) as { items: Record<string, any>[] };
      return page.items.find((item) => item.tool === 'count_records');
    }, 'the audited call');
    expect(event).toMatchObject({ connection_id: connection.id, outcome: 'allowed', key_public_id: connection.key_public_id });

    // Refresh, as the app does when the hour is up: a new pair, and the old refresh token is spent.
    const before = provider.tokens()!;
    const refreshed = await fetch(`${gateway.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token!, client_id: (provider.clientInformation() as { client_id: string }).client_id }),
    });
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as OAuthTokens;
    expect(tokens.refresh_token).not.toBe(before.refresh_token);
    provider.saveTokens(tokens);
    const again = await connected(provider);
    expect((await again.listTools()).tools).toHaveLength(READ_TOOLS.length);

    const revoked = await admin(`/connections/${connection.id}/revoke`, { method: 'POST', json: {} });
    expect(revoked.status).toBe(200);
    const after = await mcpPing(tokens.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/mcp"`);
    await expect(again.listTools()).rejects.toThrow();
  });

  it('lets a person with an invitation, not signed in, connect with exactly its scope, once; a Bearer key works beside it on the same /mcp', { timeout: 120_000 }, async () => {
    const created = await admin('/invitations', { method: 'POST', json: { name: 'Invited E2E', scope: { preset: 'custom', operations: ['query'], models: { 'crm.lead': {} } } } });
    expect(created.status).toBe(201);
    const invitation = (await created.json()) as { url: string; expires_at: string };
    expect(invitation.url.startsWith(`${gateway.url}/invite/omcpi_`)).toBe(true);

    const provider = new AppProvider('E2E invited app');
    const first = await startAuthorization(provider);
    const context = await browser.newContext();
    const page = await watched(context);
    await page.goto(invitation.url);
    expect(await page.textContent('body')).toContain('add a custom connector with this URL');
    await page.goto(provider.authorizationUrl!.href);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Connect E2E invited app');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const code = await codeAfter(page, provider);

    await first.finishAuth(code);
    const client = await connected(provider);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['count_records']);
    const refused = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(refused.isError).toBe(true);
    const connection = await latestOAuthConnection('E2E invited app');
    expect(connection).toMatchObject({ name: 'Invited E2E', auth: 'oauth' });

    // The invitation is spent: the same link now opens nothing.
    const reused = await page.goto(invitation.url);
    expect(reused!.status()).toBe(404);
    await context.close();

    const keyed = (await (await admin('/connections', { method: 'POST', json: { name: 'E2E key beside OAuth', scope: { preset: 'full' } } })).json()) as { key: string };
    const keyClient = new Client({ name: 'key-e2e', version: '1.0.0' });
    await keyClient.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${keyed.key}` } } }));
    expect((await keyClient.listTools()).tools.length).toBeGreaterThan(6);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['count_records']);
  });
});
