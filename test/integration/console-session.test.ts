import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_ACTOR } from '../../src/admins/actor';
import { createSession, SESSION_COOKIE } from '../../src/console/session';
import { openDatabase } from '../../src/db/client';
import { importPepper } from '../../src/keys/hash';
import { adminRequest, GATEWAY } from '../support/gateway';
import { TEST_SECRETS } from '../support/secrets';
import { ConsoleBrowser, signedIn } from './console-helpers';

const HOUR = 3_600_000;
const ROTATED_ADMIN_TOKEN = 'rotated-admin-token-0123456789abcdefghijkl';

/** A session row created directly, as a sign-in at `at` under `adminToken` would have. */
async function cookieFor(adminToken: string, at: number): Promise<string> {
  const pepper = await importPepper(TEST_SECRETS.KEY_PEPPER);
  const { cookieValue } = await createSession(openDatabase(env.DB), { adminToken, pepper }, at, BOOTSTRAP_ACTOR);
  return `${SESSION_COOKIE}=${cookieValue}`;
}

async function sessionRows(): Promise<Array<{ id: string; token_hash: string; ended_at: number | null; ended_reason: string | null }>> {
  const { results } = await env.DB.prepare('SELECT id, token_hash, ended_at, ended_reason FROM console_sessions ORDER BY rowid').all<{
    id: string;
    token_hash: string;
    ended_at: number | null;
    ended_reason: string | null;
  }>();
  return results;
}

async function opensConsole(browser: ConsoleBrowser): Promise<boolean> {
  const response = await browser.get('/admin/connections');
  if (response.status === 200) return true;
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  return false;
}

function copyOf(browser: ConsoleBrowser, options: { adminToken?: string } = {}): ConsoleBrowser {
  const copy = new ConsoleBrowser(options);
  copy.cookie = browser.cookie;
  return copy;
}

describe('console sign-in', () => {
  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    const response = await new ConsoleBrowser().get('/admin/connections?status=idle');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent('/admin/connections?status=idle')}`);
  });

  it.each(['/admin', '/admin/connections/new', '/admin/connections/con_x', '/admin/audit', '/admin/accounts', '/admin/audit/export.csv'])(
    'protects %s',
    async (path) => {
      const response = await new ConsoleBrowser().get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    },
  );

  it('serves the sign-in page with the security headers', async () => {
    const response = await new ConsoleBrowser().get('/admin/sign-in');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<label for="token">Admin token</label>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const browser = new ConsoleBrowser();
    const response = await browser.signIn('not-the-admin-token-0123456789abcdef');
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('That is not the admin token.');
  });

  it('signs in with the admin token: a random, HttpOnly, Secure, SameSite=Strict cookie that is not the token', async () => {
    const browser = new ConsoleBrowser();
    const response = await browser.post('/admin/sign-in', { token: TEST_SECRETS.ADMIN_TOKEN, next: '/admin/audit' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/audit');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=v2\\.[A-Za-z0-9_-]{43};`));
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Max-Age=28800']) expect(setCookie).toContain(flag);
    expect(setCookie).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
    expect((await browser.get('/admin/connections')).status).toBe(200);
  });

  it.each([
    ['another site', 'https://evil.example', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/x', ''],
    ['the API', '/admin/api/connections', ''],
  ])('never redirects after sign-in to %s', async (_label, next) => {
    const browser = new ConsoleBrowser();
    const response = await browser.post('/admin/sign-in', { token: TEST_SECRETS.ADMIN_TOKEN, next });
    expect(response.headers.get('location')).toBe('/admin/connections');
  });

  it('refuses a sign-in form posted from another origin or with no Origin at all', async () => {
    for (const origin of ['https://evil.example', null]) {
      const browser = new ConsoleBrowser();
      const response = await browser.post('/admin/sign-in', { token: TEST_SECRETS.ADMIN_TOKEN }, { origin });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });
});

describe('console session cookie', () => {
  it.each([
    ['expired', async () => cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now() - 9 * HOUR)],
    ['signed with another admin token', async () => cookieFor('another-admin-token-0123456789abcdefghij', Date.now())],
    ['that is well formed but was never issued', async () => `${SESSION_COOKIE}=v2.${'A'.repeat(43)}`],
    ['in the signed format of earlier versions', async () => `${SESSION_COOKIE}=v1.${'A'.repeat(24)}.${Date.now() + HOUR}.${'A'.repeat(43)}`],
    ['holding the admin token itself', async () => `${SESSION_COOKIE}=${TEST_SECRETS.ADMIN_TOKEN}`],
    ['holding the stored hash instead of the token', async () => {
      await cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now());
      return `${SESSION_COOKIE}=v2.${(await sessionRows()).at(-1)!.token_hash}`;
    }],
    ['garbage', async () => `${SESSION_COOKIE}=v1.x.y.z`],
  ])('does not accept a cookie %s', async (_label, makeCookie) => {
    const response = await new ConsoleBrowser().get('/admin/connections', { cookie: await makeCookie() });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  });

  it('accepts a fresh session of this deployment', async () => {
    const response = await new ConsoleBrowser().get('/admin/connections', { cookie: await cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now()) });
    expect(response.status).toBe(200);
  });

  it('never opens the admin API: the API still wants the admin token', async () => {
    const browser = await signedIn();
    const response = await SELF.fetch(`${GATEWAY}/admin/api/connections`, { headers: { cookie: browser.cookie! } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });

  it('leaves /admin/api to the API: an unknown API path is a JSON 404, not a console redirect', async () => {
    const response = await adminRequest('/admin/api/no-such-route');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('console CSRF protection', () => {
  const createForm = { name: 'From a forged form', preset: 'read_only', scope_mode: 'form', expiry_mode: 'never', intent: 'create', 'model.0.pattern': '' };

  async function connectionNames(): Promise<string[]> {
    const response = await adminRequest('/admin/api/connections?limit=200');
    const body = (await response.json()) as { items: { name: string }[] };
    return body.items.map((item) => item.name);
  }

  it('refuses a state-changing form without the session token, and changes nothing', async () => {
    const browser = await signedIn();
    const response = await browser.post('/admin/connections/new', createForm);
    expect(response.status).toBe(403);
    expect(await connectionNames()).not.toContain('From a forged form');
  });

  it("refuses another session's token", async () => {
    const victim = await signedIn();
    const attacker = await signedIn();
    const response = await victim.post('/admin/connections/new', { ...createForm, _csrf: await attacker.csrfToken() });
    expect(response.status).toBe(403);
    expect(await connectionNames()).not.toContain('From a forged form');
  });

  it('refuses the right token from another origin', async () => {
    const browser = await signedIn();
    const response = await browser.post('/admin/connections/new', { ...createForm, _csrf: await browser.csrfToken() }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await connectionNames()).not.toContain('From a forged form');
  });

  it('refuses sign-out without the token, and signs out with it', async () => {
    const browser = await signedIn();
    const cookie = browser.cookie;
    expect((await browser.post('/admin/sign-out', {})).status).toBe(403);
    expect(browser.cookie).toBe(cookie);

    const response = await browser.post('/admin/sign-out', { _csrf: await browser.csrfToken() });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in?signed_out=1');
    const cleared = response.headers.get('set-cookie')!;
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toContain('Max-Age=0');
    expect((await browser.get('/admin/connections')).status).toBe(303);
  });
});

describe('console sessions are kept server-side', () => {
  it('stores only a hash of the cookie token', async () => {
    const browser = await signedIn();
    const token = browser.cookie!.split('=')[1]!.replace(/^v2\./, '');
    const row = (await sessionRows()).at(-1)!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await env.DB.prepare('SELECT * FROM console_sessions').all());
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
  });

  it('sign-out ends the session: a copy of the cookie taken before stops working', async () => {
    const browser = await signedIn();
    const copied = copyOf(browser);
    expect(await opensConsole(copied)).toBe(true);

    const response = await browser.post('/admin/sign-out', { _csrf: await browser.csrfToken() });
    expect(response.status).toBe(303);

    expect(await opensConsole(copied)).toBe(false);
    expect((await copied.get('/admin/sign-in')).status).toBe(200);
    const again = await copied.post('/admin/sign-out', { _csrf: 'x' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    expect((await sessionRows()).at(-1)).toMatchObject({ ended_reason: 'signed_out', ended_at: expect.any(Number) });
  });

  it('sign-out ends only its own session', async () => {
    const leaving = await signedIn();
    const staying = await signedIn();
    await leaving.post('/admin/sign-out', { _csrf: await leaving.csrfToken() });
    expect(await opensConsole(staying)).toBe(true);
  });

  it('changing the admin token ends every session, for good', async () => {
    const first = await signedIn();
    const second = await signedIn();
    expect(await opensConsole(first)).toBe(true);

    // The same Worker and D1 with ADMIN_TOKEN rotated: the old sessions open nothing.
    expect(await opensConsole(copyOf(first, { adminToken: ROTATED_ADMIN_TOKEN }))).toBe(false);
    const rotated = await signedIn({ adminToken: ROTATED_ADMIN_TOKEN });
    expect(await opensConsole(rotated)).toBe(true);
    expect(await opensConsole(copyOf(second, { adminToken: ROTATED_ADMIN_TOKEN }))).toBe(false);

    // Putting the old token back does not bring them back, and the new session is not valid under the old token.
    expect(await opensConsole(first)).toBe(false);
    expect(await opensConsole(second)).toBe(false);
    expect(await opensConsole(copyOf(rotated, { adminToken: TEST_SECRETS.ADMIN_TOKEN }))).toBe(false);
    const reasons = (await sessionRows()).map((row) => row.ended_reason);
    expect(reasons.filter((reason) => reason === 'admin_token_changed').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses an expired session although its row was never ended', async () => {
    const cookie = await cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now() - 8 * HOUR - 1000);
    expect((await sessionRows()).at(-1)!.ended_at).toBeNull();
    const response = await new ConsoleBrowser().get('/admin/connections', { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  });

  it('removes sessions that expired more than a day ago at the next sign-in', async () => {
    await cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now() - 40 * HOUR);
    await cookieFor(TEST_SECRETS.ADMIN_TOKEN, Date.now() - 9 * HOUR);
    const [stale, recent] = (await sessionRows()).slice(-2).map((row) => row.id);
    await signedIn({ adminToken: TEST_SECRETS.ADMIN_TOKEN });
    const ids = (await sessionRows()).map((row) => row.id);
    expect(ids).not.toContain(stale);
    expect(ids).toContain(recent);
  });
});
