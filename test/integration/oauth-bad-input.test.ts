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

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): URL {
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp`, ...extra };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
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
    const response = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: (await pkcePair()).verifier });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed code with invalid_grant', async () => {
    const { clientId, code, pkce } = await codeFor();
    const fields = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier };
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

  it('refuses a refresh token reused after rotation with invalid_grant', async () => {
    const { clientId, code, pkce } = await codeFor();
    const first = (await (await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier })).json()) as { refresh_token: string };
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

  it('shows a person without a session or invitation the sign-in page, not a consent form', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT] });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge);
    url.searchParams.set('omcp_hop', '1');
    const response = await SELF.fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('name="handle"');
  });
});

describe('invitations', { timeout: 30_000 }, () => {
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
