import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, hiddenField, pkcePair, READ_ONLY_CONSENT, registerClient } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40111/callback';

async function oauthConnections(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE auth = 'oauth'").first<{ n: number }>())!.n;
}

async function storedGrants(): Promise<number> {
  return (await env.OAUTH_KV.list({ prefix: 'grant:' })).keys.length;
}

async function storedTokens(connectionId: string): Promise<number> {
  return (await env.OAUTH_KV.list({ prefix: `token:${connectionId}:` })).keys.length;
}

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): URL {
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp`, ...extra };
  for (const [name, value] of Object.entries(params)) if (value !== '') url.searchParams.set(name, value);
  return url;
}

function token(fields: Record<string, string>): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

async function codeFor(extra: Record<string, string> = {}) {
  const { body } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Bad input client' });
  const clientId = body.client_id as string;
  const pkce = await pkcePair();
  const approval = await approveAsAdmin(new CookieJar(), authorizeUrl(clientId, pkce.challenge, extra));
  expect(approval.status).toBe(302);
  const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
  return { clientId, pkce, code };
}

describe('RFC 7636 PKCE and the code grant', { timeout: 30_000 }, () => {
  it('refuses a wrong code verifier with invalid_grant', async () => {
    const { clientId, code } = await codeFor();
    const response = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: (await pkcePair()).verifier, resource: `${GATEWAY}/mcp` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed code with invalid_grant', async () => {
    const { clientId, code, pkce } = await codeFor();
    const fields = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` };
    expect((await token(fields)).status).toBe(200);
    const replay = await token(fields);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code exchanged for another resource with invalid_target', async () => {
    const { clientId, code, pkce } = await codeFor();
    const response = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: 'https://elsewhere.example/mcp' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('refuses a code redeemed by another client with invalid_grant, and the code still works for its own client', async () => {
    const { clientId, code, pkce } = await codeFor();
    const { body: other } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Another client' });
    const stolen = await token({ grant_type: 'authorization_code', code, client_id: other.client_id as string, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` });
    expect(stolen.status).toBe(400);
    const body = (await stolen.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_grant');
    expect(JSON.stringify(body)).not.toContain(clientId);
    expect(body).not.toHaveProperty('access_token');
    expect((await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` })).status).toBe(200);
  });

  it('refuses a code exchange without resource with invalid_target, issues nothing, and leaves the code redeemable', async () => {
    const { clientId, code, pkce } = await codeFor();
    const connection = await env.DB.prepare('SELECT id, last_token_at FROM connections WHERE oauth_client_id = ?').bind(clientId).first<{ id: string; last_token_at: number | null }>();
    expect(connection!.last_token_at).toBeNull();
    const tokensBefore = await storedTokens(connection!.id);
    const fields = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier };
    const response = await token(fields);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: 'invalid_target', error_description: expect.stringContaining(`${GATEWAY}/mcp`) });
    expect(await storedTokens(connection!.id)).toBe(tokensBefore);
    const unchanged = await env.DB.prepare('SELECT last_token_at FROM connections WHERE id = ?').bind(connection!.id).first<{ last_token_at: number | null }>();
    expect(unchanged!.last_token_at).toBeNull();
    // The code was not spent: the same exchange naming the resource gets the token for exactly /mcp.
    const redeemed = await token({ ...fields, resource: `${GATEWAY}/mcp` });
    expect(redeemed.status).toBe(200);
    expect(((await redeemed.json()) as { resource: string }).resource).toBe(`${GATEWAY}/mcp`);
  });

  it('takes a refresh without resource (the grant is bound to /mcp) and refuses a wrong one with invalid_target', async () => {
    const { clientId, code, pkce } = await codeFor();
    const first = (await (await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` })).json()) as { refresh_token: string };
    const wrong = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId, resource: 'https://elsewhere.example/mcp' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_target' });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { resource: string }).resource).toBe(`${GATEWAY}/mcp`);
  });

  it('refuses a refresh token reused after rotation with invalid_grant', async () => {
    const { clientId, code, pkce } = await codeFor();
    const first = (await (await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` })).json()) as { refresh_token: string };
    const second = (await (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId })).json()) as { refresh_token: string; access_token: string };
    // The replacement is used, so the previous refresh token is gone for good.
    expect((await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: clientId })).status).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('the authorization request', { timeout: 30_000 }, () => {
  it.each([
    ['plain PKCE', { code_challenge_method: 'plain' }],
    ['a wrong resource', { resource: 'https://elsewhere.example/mcp' }],
    ['the gateway origin as resource', { resource: GATEWAY }],
    ['a resource below /mcp', { resource: `${GATEWAY}/mcp/tools` }],
    ['a resource with a trailing slash', { resource: `${GATEWAY}/mcp/` }],
    ['a resource with a fragment', { resource: `${GATEWAY}/mcp#x` }],
    ['two resources', { resource: `${GATEWAY}/mcp https://elsewhere.example/mcp` }],
  ])('answers %s with an error redirect carrying iss, and creates nothing', async (_label, extra) => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const before = await oauthConnections();
    const jar = new CookieJar();
    await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
    const response = await jar.get(authorizeUrl(body.client_id as string, (await pkcePair()).challenge, extra).toString());
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toMatch(/^invalid_(request|target)$/);
    expect(location.searchParams.get('iss')).toBe(GATEWAY);
    expect(await oauthConnections()).toBe(before);
  });

  it('refuses a request without resource with an invalid_target redirect before any consent, and creates nothing', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const before = await oauthConnections();
    const grantsBefore = await storedGrants();
    const jar = new CookieJar();
    await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { resource: '' });
    expect(url.searchParams.has('resource')).toBe(false);
    const response = await jar.get(url.toString());
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toBeNull();
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('error_description')).toContain(`${GATEWAY}/mcp`);
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.get('iss')).toBe(GATEWAY);
    expect(location.searchParams.has('code')).toBe(false);
    // With an invitation instead of a session, the same answer and no consent form.
    const { code } = await createInvitation('Invitation without resource');
    const invited = await new CookieJar().get(authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { resource: '', invitation: code }).toString());
    expect(invited.status).toBe(302);
    expect(new URL(invited.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
    // A redirect URI that is not the client's own is never redirected to, resource or not.
    const untrusted = await jar.get(authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { resource: '', redirect_uri: 'https://attacker.example/cb' }).toString());
    expect(untrusted.status).toBe(400);
    expect(untrusted.headers.get('location')).toBeNull();
    expect(await oauthConnections()).toBe(before);
    expect(await storedGrants()).toBe(grantsBefore);
  });

  it('renders an unregistered redirect URI locally and never redirects to it', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const jar = new CookieJar();
    await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
    const response = await jar.get(authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { redirect_uri: 'https://attacker.example/cb' }).toString());
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('invalid_request');
  });

  it('refuses a consent form without the session token (CSRF) and creates nothing', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const before = await oauthConnections();
    const jar = new CookieJar();
    await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge);
    const html = await (await jar.get(url.toString())).text();
    const forged = await jar.post(`${GATEWAY}${url.pathname}${url.search}`, { ...READ_ONLY_CONSENT, handle: hiddenField(html, 'handle'), _csrf: 'forged' });
    expect(forged.status).toBe(403);
    const foreignOrigin = await jar.post(`${GATEWAY}${url.pathname}${url.search}`, { ...READ_ONLY_CONSENT, handle: hiddenField(html, 'handle'), _csrf: hiddenField(html, '_csrf') }, 'https://attacker.example');
    expect(foreignOrigin.status).toBe(403);
    expect(await oauthConnections()).toBe(before);
  });

  it('warns on the consent page when every redirect goes to this computer, and not for an https redirect', async () => {
    const jar = new CookieJar();
    await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
    const local = (await registerClient({ redirect_uris: [REDIRECT, 'http://localhost:40112/cb'], client_name: 'Local app' })).body;
    const localResponse = await jar.get(authorizeUrl(local.client_id as string, (await pkcePair()).challenge).toString());
    // The approval answers with a redirect to the app, which browsers check against form-action: the app's origin, and nothing else.
    expect(localResponse.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:40111;");
    const localPage = await localResponse.text();
    expect(localPage).toContain('This sends access to an app on this computer');
    expect(localPage).toContain('Access will be sent to <strong>127.0.0.1</strong>');

    const remote = (await registerClient({ redirect_uris: ['https://app.example/callback'], client_name: 'Remote app' })).body;
    const remoteUrl = authorizeUrl(remote.client_id as string, (await pkcePair()).challenge, { redirect_uri: 'https://app.example/callback' });
    const remotePage = await (await jar.get(remoteUrl.toString())).text();
    expect(remotePage).toContain('name="handle"');
    expect(remotePage).not.toContain('This sends access to an app on this computer');
  });

  it('shows a person without a session or invitation the sign-in page, not a consent form', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge);
    url.searchParams.set('omcp_hop', '1');
    const response = await SELF.fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('name="handle"');
  });
});

async function createInvitation(name: string): Promise<{ id: string; code: string }> {
  const created = await SELF.fetch(`${GATEWAY}/admin/api/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${(env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scope: { preset: 'read_only' } }),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { id: string; url: string };
  return { id: body.id, code: body.url.split('/invite/')[1]! };
}

describe('invitations', { timeout: 30_000 }, () => {
  it('refuses an expired invitation at the link, at /authorize and at the consent form, and creates nothing', async () => {
    const { id, code } = await createInvitation('Expired invitation');
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { invitation: code });
    // Opened while valid, so the consent form (with its handle) is in the browser; then the invitation runs out.
    const jar = new CookieJar();
    const page = await jar.get(url.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    await env.DB.prepare('UPDATE oauth_invitations SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, id).run();
    const before = await oauthConnections();

    const link = await SELF.fetch(`${GATEWAY}/invite/${code}`);
    expect(link.status).toBe(404);
    expect(link.headers.get('set-cookie')).toBeNull();
    const reopened = await new CookieJar().get(url.toString());
    expect(reopened.status).toBe(403);
    const reopenedHtml = await reopened.text();
    expect(reopenedHtml).toContain('unknown, used or expired');
    expect(reopenedHtml).not.toContain('name="handle"');
    const approval = await jar.post(`${GATEWAY}/authorize?${new URL(url).searchParams.toString().replace(/&?invitation=[^&]*/, '')}`, { handle: hiddenField(html, 'handle'), invitation: code, decision: 'approve' });
    expect(approval.status).toBe(403);
    expect(approval.headers.get('location')).toBeNull();
    expect(await oauthConnections()).toBe(before);
    const row = await env.DB.prepare('SELECT used_at, connection_id FROM oauth_invitations WHERE id = ?').bind(id).first();
    expect(row).toEqual({ used_at: null, connection_id: null });
  });

  it('answers an unknown, a malformed and a used invitation code alike', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const { id, code } = await createInvitation('Used invitation');
    await env.DB.prepare('UPDATE oauth_invitations SET used_at = ? WHERE id = ?').bind(Date.now(), id).run();
    const pages = [];
    for (const candidate of [code, `omcpi_${'A'.repeat(32)}`, 'not-a-code']) {
      const response = await new CookieJar().get(authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { invitation: candidate }).toString());
      pages.push([response.status, (await response.text()).includes('unknown, used or expired')]);
    }
    expect(pages).toEqual([[403, true], [403, true], [403, true]]);
  });

  it('lets a non-admin connect once with exactly the invitation scope; a used invitation opens nothing', async () => {
    const created = await SELF.fetch(`${GATEWAY}/admin/api/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Invited Claude', scope: { preset: 'custom', operations: ['query', 'read'], models: { 'crm.lead': {} } } }),
    });
    expect(created.status).toBe(201);
    const invitation = (await created.json()) as { id: string; url: string; expires_at: string };
    expect(Date.parse(invitation.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    const code = invitation.url.split('/invite/')[1]!;
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { invitation: code });
    const jar = new CookieJar();
    const page = await jar.get(url.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    const approval = await jar.post(`${GATEWAY}/authorize?${new URL(url).searchParams.toString().replace(/&?invitation=[^&]*/, '')}`, { handle: hiddenField(html, 'handle'), invitation: code, decision: 'approve' });
    expect(approval.status).toBe(302);
    const row = await env.DB.prepare("SELECT name, scope FROM connections WHERE auth = 'oauth' AND name = 'Invited Claude'").first<{ name: string; scope: string }>();
    expect(JSON.parse(row!.scope)).toEqual({ preset: 'custom', operations: ['query', 'read'], models: { 'crm.lead': {} } });
    const again = await new CookieJar().get(url.toString());
    expect(again.status).toBe(403);
  });
});
