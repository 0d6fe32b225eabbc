import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminRequest, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, pkcePair, registerClient, storedClientCount } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40113/callback';
const CURSOR = 'cursor://anysphere.cursor-retrieval/oauth/callback';
const ADMIN_TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;

function token(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
}

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): URL {
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp`, ...extra };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

async function signedInJar(): Promise<CookieJar> {
  const jar = new CookieJar();
  await jar.post(`${GATEWAY}/admin/sign-in`, { token: ADMIN_TOKEN, next: '/admin/connections' });
  return jar;
}

/** What a refusal must leave as it was: connections, grants, tokens, registrations. */
async function footprint() {
  const connections = (await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE auth = 'oauth'").first<{ n: number }>())!.n;
  const grants = (await env.OAUTH_KV.list({ prefix: 'grant:' })).keys.length;
  const tokens = (await env.OAUTH_KV.list({ prefix: 'token:' })).keys.length;
  return { connections, grants, tokens, clients: await storedClientCount() };
}

async function tokensFor(name = 'Hardening client', redirect = REDIRECT) {
  const { body } = await registerClient({ redirect_uris: [redirect], client_name: name });
  const clientId = body.client_id as string;
  const pkce = await pkcePair();
  const approval = await approveAsAdmin(new CookieJar(), authorizeUrl(clientId, pkce.challenge, { redirect_uri: redirect }));
  expect(approval.status).toBe(302);
  const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
  const response = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirect, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` });
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as { access_token: string; refresh_token: string };
  return { clientId, tokens, connectionId: tokens.refresh_token.split(':')[0]! };
}

function mcp(accessToken: string, body: unknown, sessionId?: string): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(sessionId ? { 'mcp-session-id': sessionId } : {}) },
    body: JSON.stringify(body),
  });
}

async function connectionRow(id: string) {
  return env.DB.prepare('SELECT state, revoke_reason, revoked_by FROM connections WHERE id = ?').bind(id).first<{ state: string; revoke_reason: string | null; revoked_by: string | null }>();
}

const LONG = 'a'.repeat(300);
const LONG_TOKEN = `con_${LONG}:${LONG}:${'s'.repeat(43)}`;

describe('values too long for the provider (KV keys are at most 512 bytes)', { timeout: 30_000 }, () => {
  it.each([
    ['a code', { grant_type: 'authorization_code', code: LONG_TOKEN, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43), resource: `${GATEWAY}/mcp` }],
    ['a refresh token', { grant_type: 'refresh_token', refresh_token: LONG_TOKEN }],
    ['a refresh token of multi-byte characters', { grant_type: 'refresh_token', refresh_token: `${'é'.repeat(120)}:${'é'.repeat(120)}:x` }],
  ])('answers %s with invalid_grant and changes nothing', async (_label, fields) => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const before = await footprint();
    const response = await token({ ...fields, client_id: body.client_id as string });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await footprint()).toEqual(before);
  });

  it('answers a long client_id at the token endpoint, in the form or in Basic auth, with invalid_client', async () => {
    const before = await footprint();
    const inForm = await token({ grant_type: 'refresh_token', refresh_token: 'a:b:c', client_id: LONG.repeat(2) });
    expect(inForm.status).toBe(401);
    expect(await inForm.json()).toMatchObject({ error: 'invalid_client' });
    const basic = await token({ grant_type: 'refresh_token', refresh_token: 'a:b:c' }, { authorization: `Basic ${btoa(`${LONG.repeat(2)}:secret`)}` });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await basic.json()).toMatchObject({ error: 'invalid_client' });
    const cimd = await token({ grant_type: 'refresh_token', refresh_token: 'a:b:c', client_id: `https://app.client.example/${LONG.repeat(2)}` });
    expect(cimd.status).toBe(401);
    expect(await footprint()).toEqual(before);
  });

  it('answers RFC 7009 revocation of a long token with 200, as any invalid token, after authenticating the client', async () => {
    const { clientId, tokens, connectionId } = await tokensFor();
    const before = await footprint();
    const revoked = await token({ token: LONG_TOKEN, token_type_hint: 'refresh_token', client_id: clientId });
    expect(revoked.status).toBe(200);
    // Client authentication still comes first (RFC 7009 §2.1): an unknown client is invalid_client, long token or not.
    const unknown = await token({ token: LONG_TOKEN, client_id: 'no-such-client' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
    expect(await footprint()).toEqual(before);
    expect(await connectionRow(connectionId)).toMatchObject({ state: 'active' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
  });

  it('answers a long client_id at /authorize with an error page (invalid_request), never a redirect', async () => {
    const before = await footprint();
    const jar = await signedInJar();
    for (const clientId of [LONG.repeat(2), `https://app.client.example/${LONG.repeat(2)}`]) {
      const page = await jar.get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      const html = await page.text();
      expect(html).toContain('invalid_request');
      expect(html).not.toContain('name="handle"');
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('RFC 7009: a client revoking its own tokens', { timeout: 30_000 }, () => {
  it('revoking the refresh token ends the grant, and the connection is revoked as client_revoked, sessions ended, audited', async () => {
    const { clientId, tokens, connectionId } = await tokensFor('Revoking client');
    const init = await mcp(tokens.access_token, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'revoker', version: '1' } } });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id');
    const openSessions = () => env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ? AND ended_at IS NULL').bind(connectionId).first<{ n: number }>();
    expect(sessionId).toBeTruthy();
    expect((await openSessions())!.n).toBe(1);

    const revoked = await token({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: clientId });
    expect(revoked.status).toBe(200);
    expect(await connectionRow(connectionId)).toEqual({ state: 'revoked', revoke_reason: 'client_revoked', revoked_by: null });
    expect((await openSessions())!.n).toBe(0);
    expect((await env.OAUTH_KV.list({ prefix: `grant:${connectionId}:` })).keys).toEqual([]);
    expect((await mcp(tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'ping' }, sessionId!)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(400);
    const shown = (await (await adminRequest(`/admin/api/connections/${connectionId}`)).json()) as { status: string; revoke_reason: string };
    expect(shown).toMatchObject({ status: 'revoked', revoke_reason: 'client_revoked' });
    const audit = await env.DB.prepare("SELECT detail FROM audit_events WHERE connection_id = ? AND method = 'connection.revoke'").bind(connectionId).all<{ detail: string }>();
    expect(audit.results.map((row) => JSON.parse(row.detail))).toEqual([expect.objectContaining({ actor: 'oauth_client', reason: 'client_revoked', client_id: clientId, connection_revoked: true })]);
    // Revoking it again is a revocation of an invalid token: 200, and nothing more happens.
    expect((await token({ token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE connection_id = ? AND method = 'connection.revoke'").bind(connectionId).first<{ n: number }>())!.n).toBe(1);
  });

  it('revoking a refresh token without a hint ends the grant too', async () => {
    const { clientId, tokens, connectionId } = await tokensFor('Hintless client');
    expect((await token({ token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
    expect(await connectionRow(connectionId)).toMatchObject({ state: 'revoked', revoke_reason: 'client_revoked' });
  });

  it('revoking only the access token leaves the grant, so the connection stays and refreshes', async () => {
    const { clientId, tokens, connectionId } = await tokensFor('Access revoker');
    const revoked = await token({ token: tokens.access_token, token_type_hint: 'access_token', client_id: clientId });
    expect(revoked.status).toBe(200);
    expect((await mcp(tokens.access_token, { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(401);
    expect(await connectionRow(connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    expect(refreshed.status).toBe(200);
  });

  it("another client cannot end a connection by revoking its refresh token (200, nothing changes)", async () => {
    const { clientId, tokens, connectionId } = await tokensFor('Victim client');
    const { body: other } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Other client' });
    expect((await token({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: other.client_id as string })).status).toBe(200);
    expect(await connectionRow(connectionId)).toMatchObject({ state: 'active' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
  });
});

describe('RFC 8414: token endpoint authentication methods', { timeout: 30_000 }, () => {
  it('advertises exactly the methods registration and the token endpoint accept', async () => {
    const metadata = (await (await SELF.fetch(`${GATEWAY}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    const methods = metadata.token_endpoint_auth_methods_supported as string[];
    expect(methods).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(metadata).not.toHaveProperty('token_endpoint_auth_signing_alg_values_supported');
    for (const method of methods) {
      const { response } = await registerClient({ redirect_uris: [REDIRECT], token_endpoint_auth_method: method });
      expect(response.status).toBe(201);
    }
    const { response } = await registerClient({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [] } });
    expect(response.status).toBe(400);
  });

  it('refuses a client assertion (private_key_jwt) at the token endpoint with invalid_client', async () => {
    const { clientId, tokens } = await tokensFor('Assertion client');
    const response = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'eyJhbGciOiJFUzI1NiJ9.e30.sig',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
  });
});

describe('RFC 7636 §4.2: the code_challenge', { timeout: 30_000 }, () => {
  it.each([
    ['3 characters', 'abc'],
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a character outside the unreserved set', `${'a'.repeat(42)}+`],
    ['a padded base64 digest', `${'a'.repeat(43)}=`],
  ])('refuses %s with an invalid_request redirect carrying state and iss, and creates nothing', async (_label, challenge) => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const before = await footprint();
    const response = await (await signedInJar()).get(authorizeUrl(body.client_id as string, challenge).toString());
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toBeNull();
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('RFC 7636');
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.get('iss')).toBe(GATEWAY);
    expect(location.searchParams.has('code')).toBe(false);
    expect(await footprint()).toEqual(before);
  });

  it('takes 43 and 128 characters of the unreserved set', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const jar = await signedInJar();
    for (const challenge of [`${'A-._~'.repeat(8)}abc`, 'z'.repeat(128)]) {
      const page = await jar.get(authorizeUrl(body.client_id as string, challenge).toString());
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('name="handle"');
    }
  });
});

describe('client names', { timeout: 30_000 }, () => {
  const SPOOFED = 'Cla\u202Eude\u200F \u2066App\u2069\u0007\u061C\u200E\u202A\u202B\u202C\u202D\u2067\u2068 \u0000Desk\u001Ftop\u007F\u0085';

  it('are registered, shown on the consent page, stored and listed without bidi or control characters', async () => {
    const { response, body } = await registerClient({ redirect_uris: [REDIRECT], client_name: SPOOFED });
    expect(response.status).toBe(201);
    expect(body.client_name).toBe('Claude App Desktop');
    const pkce = await pkcePair();
    const page = await (await signedInJar()).get(authorizeUrl(body.client_id as string, pkce.challenge).toString());
    const html = await page.text();
    expect(html).toContain('Authorize Claude App Desktop');
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
    expect([...html].filter((char) => char.charCodeAt(0) < 9 || char === '\u007F')).toEqual([]);
    const approval = await approveAsAdmin(new CookieJar(), authorizeUrl(body.client_id as string, pkce.challenge));
    expect(approval.status).toBe(302);
    const row = await env.DB.prepare('SELECT id, oauth_client_name FROM connections WHERE oauth_client_id = ?').bind(body.client_id).first<{ id: string; oauth_client_name: string }>();
    expect(row!.oauth_client_name).toBe('Claude App Desktop');
    // A row stored before names were cleaned is shown cleaned by the admin API (and so the console).
    await env.DB.prepare('UPDATE connections SET oauth_client_name = ? WHERE id = ?').bind(SPOOFED, row!.id).run();
    const shown = (await (await adminRequest(`/admin/api/connections/${row!.id}`)).json()) as { oauth: { client_name: string } };
    expect(shown.oauth.client_name).toBe('Claude App Desktop');
  });

  it.each([
    ['bidi and control characters', '\u202E\u200F\u0007'],
    ['Hangul fillers', '\u3164\u3164'],
    ['a Braille blank, a combining grapheme joiner and variation selectors', '\u2800\u034F\uFE0F\u115F\u1160\uFFA0'],
    ['format characters of other scripts', '\u{1D173}\u06DD\u070F\u{1BCA0}\u17B4\u180B'],
    ['the empty string', ''],
  ])('a name of nothing but %s is no name', async (_label, name) => {
    const { response, body } = await registerClient({ redirect_uris: [REDIRECT], client_name: name });
    expect(response.status).toBe(201);
    expect(body).not.toHaveProperty('client_name');
  });
});

describe('RFC 8252 §7.1 private-use redirect schemes', { timeout: 30_000 }, () => {
  it.each([[CURSOR], ['com.example.app:/oauth2redirect'], ['vscode://vscode.github-authentication/did-authenticate']])('registers %s', async (uri) => {
    const { response, body } = await registerClient({ redirect_uris: [uri], client_name: 'Native app' });
    expect(response.status).toBe(201);
    expect(body.redirect_uris).toEqual([uri]);
  });

  it.each([
    ['javascript:alert(document.domain)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['vbscript:msgbox(1)'],
    ['blob:https://app.example/0b1c'],
    ['about:blank'],
    ['view-source:https://app.example/'],
    ['intent://callback#Intent;scheme=x;end'],
    ['http://client.example/callback'],
    ['search-ms:query=invoice&crumb=location:%5C%5Cevil.example@SSL%5CDavWWWRoot'],
    ['ms-msdt:/id PCWDiagnostic /skip force'],
    ['microsoft-edge:https://evil.example/phish'],
    ['ms-word:ofe|u|https://evil.example/doc'],
    ['smb://evil.example/share'],
    ['web+callback:x'],
    ['magnet:?xt=urn:btih:0'],
    ['x-javascript:alert(1)'],
    ['feed:javascript:alert(1)'],
    ['shell:startup'],
  ])('refuses %s and stores nothing', async (uri) => {
    const before = await storedClientCount();
    const { response, body } = await registerClient({ redirect_uris: [CURSOR, uri] });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_redirect_uri' });
    expect(await storedClientCount()).toBe(before);
  });

  it('names the redirect host with its port on the consent page', async () => {
    const withPort = 'https://app.example:8443/oauth/callback';
    const { body } = await registerClient({ redirect_uris: [withPort], client_name: 'Ported app' });
    const pkce = await pkcePair();
    const page = await (await signedInJar()).get(authorizeUrl(body.client_id as string, pkce.challenge, { redirect_uri: withPort }).toString());
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Access will be sent to <strong>app.example:8443</strong>.');
  });

  it("says on the consent page that access goes to an app's own scheme, allows it in form-action, and redirects there with the code", async () => {
    const { body } = await registerClient({ redirect_uris: [CURSOR], client_name: 'Cursor' });
    const pkce = await pkcePair();
    const url = authorizeUrl(body.client_id as string, pkce.challenge, { redirect_uri: CURSOR });
    const page = await (await signedInJar()).get(url.toString());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' cursor:;");
    const html = await page.text();
    expect(html).toContain('Access will be sent to the app that opens <strong>cursor:</strong> links on this device, not to a website.');
    expect(html).not.toContain('This sends access to an app on this computer');
    const approval = await approveAsAdmin(new CookieJar(), url);
    expect(approval.status).toBe(302);
    const location = new URL(approval.headers.get('location')!);
    expect(`${location.protocol}//${location.host}${location.pathname}`).toBe(CURSOR);
    const code = location.searchParams.get('code')!;
    const exchanged = await token({ grant_type: 'authorization_code', code, client_id: body.client_id as string, redirect_uri: CURSOR, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` });
    expect(exchanged.status).toBe(200);
  });
});
