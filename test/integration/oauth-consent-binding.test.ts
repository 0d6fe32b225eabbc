import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { CookieJar, hiddenField, pkcePair, READ_ONLY_CONSENT, registerClient } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40115/callback';
const ADMIN_TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): URL {
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp`, ...extra };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** Where the consent form posts: the authorization request without the invitation. */
function formTarget(url: URL): string {
  const target = new URL(url);
  target.searchParams.delete('invitation');
  return target.toString();
}

async function createInvitation(name: string, scope: Record<string, unknown>): Promise<{ id: string; code: string }> {
  const created = await SELF.fetch(`${GATEWAY}/admin/api/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scope }),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { id: string; url: string };
  return { id: body.id, code: body.url.split('/invite/')[1]! };
}

async function invitationRow(id: string) {
  return env.DB.prepare('SELECT used_at, connection_id FROM oauth_invitations WHERE id = ?').bind(id).first<{ used_at: number | null; connection_id: string | null }>();
}

async function oauthConnections(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE auth = 'oauth'").first<{ n: number }>())!.n;
}

/** A consent page opened with invitation A in the browser; B is another open invitation with a wider scope. */
async function consentWithTwoInvitations() {
  const a = await createInvitation('Invitation A', { preset: 'read_only' });
  const b = await createInvitation('Invitation B', { preset: 'full' });
  const { body } = await registerClient({ redirect_uris: [REDIRECT] });
  const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge, { invitation: a.code });
  const jar = new CookieJar();
  const page = await jar.get(url.toString());
  expect(page.status).toBe(200);
  const html = await page.text();
  return { a, b, url, jar, handle: hiddenField(html, 'handle'), clientId: body.client_id as string };
}

describe('the invitation consent form grants the invitation it showed', { timeout: 30_000 }, () => {
  it('refuses the form posted with another invitation, changes nothing, and the shown one still connects', async () => {
    const { a, b, url, jar, handle } = await consentWithTwoInvitations();
    const before = await oauthConnections();

    const swapped = await jar.post(formTarget(url), { handle, invitation: b.code, decision: 'approve' });
    expect(swapped.status).toBe(403);
    expect(swapped.headers.get('location')).toBeNull();
    expect(await swapped.text()).toContain('another invitation');
    expect(await oauthConnections()).toBe(before);
    expect(await invitationRow(a.id)).toEqual({ used_at: null, connection_id: null });
    expect(await invitationRow(b.id)).toEqual({ used_at: null, connection_id: null });

    // The handle was not consumed: the form as shown still connects, with A's scope, and B stays open.
    const approval = await jar.post(formTarget(url), { handle, invitation: a.code, decision: 'approve' });
    expect(approval.status).toBe(302);
    expect(new URL(approval.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const connectionId = (await invitationRow(a.id))!.connection_id!;
    const row = await env.DB.prepare('SELECT scope FROM connections WHERE id = ?').bind(connectionId).first<{ scope: string }>();
    expect(JSON.parse(row!.scope)).toEqual({ preset: 'read_only' });
    expect(await invitationRow(b.id)).toEqual({ used_at: null, connection_id: null });
  });

  it('refuses the consent handle without its invitation tag, or with the tag of another consent', async () => {
    const { a, b, url, jar, handle } = await consentWithTwoInvitations();
    const [bare] = handle.split('.');
    // A second consent in the same browser, shown for B: its tag is for its own handle only.
    const pageB = await jar.get(authorizeUrl(new URL(url).searchParams.get('client_id')!, (await pkcePair()).challenge, { invitation: b.code }).toString());
    const tagB = hiddenField(await pageB.text(), 'handle').split('.')[1]!;
    const before = await oauthConnections();
    for (const posted of [bare!, `${bare}.`, `${bare}.${tagB}`, `${bare}.${'0'.repeat(64)}`]) {
      for (const code of [a.code, b.code]) {
        const response = await jar.post(formTarget(url), { handle: posted, invitation: code, decision: 'approve' });
        expect(response.status).toBe(403);
        expect(response.headers.get('location')).toBeNull();
      }
    }
    expect(await oauthConnections()).toBe(before);
    expect(await invitationRow(a.id)).toEqual({ used_at: null, connection_id: null });
    expect(await invitationRow(b.id)).toEqual({ used_at: null, connection_id: null });
    expect((await jar.post(formTarget(url), { handle, invitation: a.code, decision: 'approve' })).status).toBe(302);
  });

  it('lets the invited person deny with the form as shown', async () => {
    const { a, url, jar, handle } = await consentWithTwoInvitations();
    const denied = await jar.post(formTarget(url), { handle, invitation: a.code, decision: 'deny' });
    expect(denied.status).toBe(302);
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    expect(await invitationRow(a.id)).toEqual({ used_at: null, connection_id: null });
  });
});

describe('the admin consent with an unknown Odoo account', { timeout: 30_000 }, () => {
  it('shows the consent page again with the problem (400), creates nothing, and then approves', async () => {
    const { body } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Account client' });
    const url = authorizeUrl(body.client_id as string, (await pkcePair()).challenge);
    const jar = new CookieJar();
    expect((await jar.post(`${GATEWAY}/admin/sign-in`, { token: ADMIN_TOKEN, next: '/admin/connections' })).status).toBe(303);
    const page = await jar.get(url.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    const before = await oauthConnections();

    const refused = await jar.post(url.toString(), { handle: hiddenField(html, 'handle'), _csrf: hiddenField(html, '_csrf'), ...READ_ONLY_CONSENT, odoo_account_id: 'acc_does_not_exist' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    const again = await refused.text();
    expect(again).toContain('The Odoo account is unknown');
    expect(again).toContain('name="handle"');
    expect(await oauthConnections()).toBe(before);

    // Nothing was consumed: the page shown again approves with a known account (the default).
    const approval = await jar.post(url.toString(), { handle: hiddenField(again, 'handle'), _csrf: hiddenField(again, '_csrf'), ...READ_ONLY_CONSENT });
    expect(approval.status).toBe(302);
    expect(await oauthConnections()).toBe(before + 1);
  });
});
