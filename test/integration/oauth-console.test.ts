import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminRequest, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, pkcePair, registerClient } from '../support/oauth';
import { signedIn, visibleText } from './console-helpers';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40222/callback';

/** An OAuth connection made the way an app makes one: DCR, an admin's approval, the code exchanged. */
async function oauthConnection(clientName: string): Promise<string> {
  const { body } = await registerClient({ redirect_uris: [REDIRECT], client_name: clientName });
  const pkce = await pkcePair();
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: body.client_id as string, redirect_uri: REDIRECT, code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 's', resource: `${GATEWAY}/mcp` };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const approval = await approveAsAdmin(new CookieJar(), url);
  expect(approval.status).toBe(302);
  const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
  const exchanged = await SELF.fetch(`${GATEWAY}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: body.client_id as string, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` }),
  });
  expect(exchanged.status).toBe(200);
  const row = await env.DB.prepare('SELECT id FROM connections WHERE oauth_client_id = ?').bind(body.client_id as string).first<{ id: string }>();
  return row!.id;
}

describe('OAuth connections in the admin API list and the console', { timeout: 30_000 }, () => {
  it('lists client id, name, registration method, redirect URIs and last token use, in the API and on both console pages', async () => {
    const id = await oauthConnection('Console Listed App');
    const list = (await (await adminRequest('/admin/api/connections?q=Claude&limit=200')).json()) as { items: Record<string, any>[] };
    const item = list.items.find((row) => row.id === id)!;
    expect(item).toMatchObject({ auth: 'oauth', oauth: { client_name: 'Console Listed App', registration: 'dcr', redirect_uris: [REDIRECT] } });
    expect(item.oauth.client_id).toMatch(/\S/);
    expect(Date.parse(item.oauth.last_token_at)).toBeGreaterThan(Date.now() - 60_000);
    const keyRow = (await (await adminRequest('/admin/api/connections?limit=200')).json()) as { items: Record<string, any>[] };
    expect(keyRow.items.filter((row) => row.auth === 'key').every((row) => row.oauth === null)).toBe(true);

    const browser = await signedIn();
    const listHtml = await (await browser.get('/admin/connections?sort=created')).text();
    const row = new RegExp(`<tr data-connection-id="${id}">([\\s\\S]*?)</tr>`).exec(listHtml)![1]!;
    const rowText = visibleText(row);
    expect(rowText).toContain('OAuth');
    expect(rowText).toContain('Console Listed App');
    expect(rowText).toContain('DCR');
    expect(rowText).toContain('127.0.0.1:40222');
    expect(rowText).toMatch(/last token just now/);

    const page = await (await browser.get(`/admin/connections/${id}`)).text();
    const text = visibleText(page);
    expect(text).toContain(item.oauth.client_id);
    expect(text).toContain('DCR (dynamic registration)');
    expect(text).toContain(REDIRECT);
    expect(text).toMatch(/Last token use\s+just now/);
    // A grant has no key to rotate or generate; reactivation is a new authorization.
    expect(page).not.toContain('Rotate key');
    expect(page).not.toContain('Generate key');
  });
});

describe('the invitation form in the console', { timeout: 30_000 }, () => {
  async function invitationCount(): Promise<number> {
    return (await env.DB.prepare('SELECT COUNT(*) AS n FROM oauth_invitations').first<{ n: number }>())!.n;
  }

  it('creates an invitation with the scope presets and shows its link once; the stored row holds only a hash', async () => {
    const browser = await signedIn();
    const form = await browser.get('/admin/connections/invitations/new');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('name="preset"');
    expect(html).toContain('value="read_only"');
    expect(html).toContain('name="valid_for_hours" type="number" value="24"');
    const before = await invitationCount();
    const created = await browser.post('/admin/connections/invitations/new', {
      _csrf: await browser.csrfToken(),
      name: 'Anna’s Claude',
      odoo_account_id: '',
      scope_mode: 'form',
      preset: 'read_only',
      valid_for_hours: '48',
      connection_valid_for_days: '30',
      intent: 'create',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const page = await created.text();
    expect(page).toContain('This link is shown only once.');
    const url = /value="(https?:\/\/[^"]+\/invite\/(omcpi_[0-9A-Za-z]{32}))"/.exec(page)!;
    expect(url[1]!.startsWith(`${GATEWAY}/invite/`)).toBe(true);
    expect(await invitationCount()).toBe(before + 1);
    const row = await env.DB.prepare("SELECT * FROM oauth_invitations WHERE name = 'Anna’s Claude'").first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(url[2]!);
    expect(JSON.parse(row!.scope as string)).toEqual({ preset: 'read_only' });
    expect((row!.expires_at as number) - (row!.created_at as number)).toBe(48 * 3600_000);
    expect((row!.connection_expires_at as number) - (row!.created_at as number)).toBe(30 * 86400_000);
    // The link opens the invitation page; nothing on the console shows the code again.
    expect((await SELF.fetch(url[1]!)).status).toBe(200);
    expect(await (await browser.get('/admin/connections')).text()).not.toContain(url[2]!);
  });

  it.each([
    ['no name', { name: '', preset: 'read_only', valid_for_hours: '24' }, /connection a name/],
    ['a validity over 720 hours', { name: 'Too long', preset: 'read_only', valid_for_hours: '1000' }, /valid_for_hours|720/],
    ['invalid scope JSON', { name: 'Bad JSON', scope_mode: 'json', scope_json: '{"preset": "nope"}', valid_for_hours: '24' }, /preset|scope/i],
  ])('refuses %s next to the field and creates nothing', async (_label, fields, problem) => {
    const browser = await signedIn();
    const before = await invitationCount();
    const response = await browser.post('/admin/connections/invitations/new', { _csrf: await browser.csrfToken(), scope_mode: 'form', intent: 'create', ...fields });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Nothing was created');
    expect(visibleText(html)).toMatch(problem);
    expect(html).not.toMatch(/omcpi_/);
    expect(await invitationCount()).toBe(before);
  });

  it('refuses a form without the session token', async () => {
    const browser = await signedIn();
    const before = await invitationCount();
    const response = await browser.post('/admin/connections/invitations/new', { _csrf: 'forged', name: 'Forged', preset: 'read_only', scope_mode: 'form', intent: 'create' });
    expect(response.status).toBe(403);
    expect(await invitationCount()).toBe(before);
  });
});

describe('the Done screen', { timeout: 30_000 }, () => {
  it('shows the OAuth path beside the key snippets: the URL, no key', async () => {
    const browser = await signedIn();
    const details = await (await browser.get('/admin/connections/new/details?method=bearer')).text();
    const submission = /name="submission" value="([^"]+)"/.exec(details)![1]!;
    const posted = await browser.post('/admin/connections/new', { name: 'Done with OAuth path', preset: 'read_only', scope_mode: 'form', expiry_mode: 'never', intent: 'create', submission, _csrf: await browser.csrfToken() });
    const done = await (await browser.get(posted.headers.get('location')!)).text();
    expect(done).toContain('Claude.ai / ChatGPT: add a custom connector with this URL');
    const section = /<section class="card" aria-labelledby="oauth-path-title"[\s\S]*?<\/section>/.exec(done)![0];
    expect(section).toContain(`${GATEWAY}/mcp`);
    expect(section).not.toMatch(/omcp_/);
    const tab = /<pre id="snippet-oauth_connector"[\s\S]*?<\/pre>/.exec(done)![0];
    expect(tab).toContain(`${GATEWAY}/mcp`);
    expect(tab).not.toMatch(/omcp_/);
  });
});
