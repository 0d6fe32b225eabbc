import { env, SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, pkcePair } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'https://app.client.example/callback';

type Answer = (request: Request) => Promise<Response>;

/** Client ID Metadata Documents served by URL, in front of the stand-in Odoo; every CIMD fetch is recorded. */
const documents = new Map<string, Answer>();
const fetched: string[] = [];

beforeEach(() => {
  documents.clear();
  fetched.length = 0;
  const odoo = vi.mocked(globalThis.fetch).getMockImplementation()!;
  vi.mocked(globalThis.fetch).mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const answer = documents.get(request.url);
    if (!answer) return odoo(input, init);
    fetched.push(request.url);
    return answer(request);
  });
});

let serial = 0;
/** A fresh document URL per test, so the provider's CIMD cache never answers for another test. */
function documentUrl(host = 'app.client.example'): string {
  serial += 1;
  return `https://${host}/oauth/client-${serial}-${crypto.randomUUID()}.json`;
}

function metadataFor(clientId: string, extra: Record<string, unknown> = {}) {
  return { client_id: clientId, client_name: 'CIMD App', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...extra };
}

function json(value: unknown): Answer {
  return async () => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });
}

function authorizeUrl(clientId: string, challenge: string): URL {
  const url = new URL(`${GATEWAY}/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp` };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

async function signedInJar(): Promise<CookieJar> {
  const jar = new CookieJar();
  await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
  return jar;
}

async function oauthConnections(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE auth = 'oauth'").first<{ n: number }>())!.n;
}

function token(fields: Record<string, string>): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

describe('Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document)', { timeout: 30_000 }, () => {
  it('fetches the document, shows its verified domain on the consent page, and makes a cimd connection', async () => {
    const clientId = documentUrl();
    documents.set(clientId, json(metadataFor(clientId)));
    const pkce = await pkcePair();
    const jar = await signedInJar();
    const page = await jar.get(authorizeUrl(clientId, pkce.challenge).toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('CIMD App');
    expect(html).toMatch(/Published by <strong>app\.client\.example<\/strong>/);
    expect(fetched).toContain(clientId);

    const approval = await approveAsAdmin(new CookieJar(), authorizeUrl(clientId, pkce.challenge));
    expect(approval.status).toBe(302);
    const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
    const exchanged = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` });
    expect(exchanged.status).toBe(200);
    const row = await env.DB.prepare('SELECT oauth_registration, oauth_client_name FROM connections WHERE oauth_client_id = ?').bind(clientId).first();
    expect(row).toEqual({ oauth_registration: 'cimd', oauth_client_name: 'CIMD App' });
  });

  const refusedUrls: Array<[string, string]> = [
    ['not https', 'http://app.client.example/oauth/client.json'],
    ['a private address', 'https://10.1.2.3/oauth/client.json'],
    ['a loopback address', 'https://127.0.0.1/oauth/client.json'],
    ['an IPv6 unique-local address', 'https://[fd00::1]/oauth/client.json'],
    ['the link-local metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['a private name', 'https://metadata.internal/oauth/client.json'],
    ['localhost', 'https://localhost/oauth/client.json'],
    ['localhost with a trailing dot', 'https://localhost./oauth/client.json'],
    ['LOCALHOST with a trailing dot', 'https://LOCALHOST./oauth/client.json'],
    ['a name below localhost with a trailing dot', 'https://foo.localhost./oauth/client.json'],
    ['NAT64 of 127.0.0.1', 'https://[64:ff9b::7f00:1]/oauth/client.json'],
    ['local-use NAT64', 'https://[64:ff9b:1::a00:1]/oauth/client.json'],
    ['6to4 of 127.0.0.1', 'https://[2002:7f00:1::]/oauth/client.json'],
    ['IPv4-mapped 127.0.0.1', 'https://[::ffff:127.0.0.1]/oauth/client.json'],
    ['IPv4-compatible 127.0.0.1', 'https://[::127.0.0.1]/oauth/client.json'],
    ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/oauth/client.json'],
  ];

  it.each(refusedUrls)('refuses a client_id URL that is %s at /authorize and at the token endpoint, without fetching it', async (_label, clientId) => {
    // Keyed as the fetch would name it (the URL parser lower-cases the host), so a fetch would be recorded.
    documents.set(new URL(clientId).href, json(metadataFor(clientId)));
    const before = await oauthConnections();
    const jar = await signedInJar();
    const page = await jar.get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    const html = await page.text();
    expect(html).toContain('invalid_client');
    expect(html).not.toContain('name="handle"');
    const exchanged = await token({ grant_type: 'authorization_code', code: 'x', client_id: clientId, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) });
    expect(exchanged.status).toBe(401);
    expect(await exchanged.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    expect(fetched).toEqual([]);
    expect(await oauthConnections()).toBe(before);
  });

  it('shows and stores a document name without bidi or control characters', async () => {
    const clientId = documentUrl();
    documents.set(clientId, json(metadataFor(clientId, { client_name: 'CIMD\u202E ppA\u2066\u0007' })));
    const pkce = await pkcePair();
    const html = await (await (await signedInJar()).get(authorizeUrl(clientId, pkce.challenge).toString())).text();
    expect(html).toContain('Authorize CIMD ppA');
    expect(html).not.toMatch(/[\u202E\u2066]/);
    const approval = await approveAsAdmin(new CookieJar(), authorizeUrl(clientId, pkce.challenge));
    expect(approval.status).toBe(302);
    const row = await env.DB.prepare('SELECT oauth_client_name FROM connections WHERE oauth_client_id = ?').bind(clientId).first();
    expect(row).toEqual({ oauth_client_name: 'CIMD ppA' });
  });

  it('refuses a request for a dangerous redirect scheme a document lists, on the error page and without fetching', async () => {
    const clientId = documentUrl();
    documents.set(clientId, json(metadataFor(clientId, { redirect_uris: [REDIRECT, 'about:blank'] })));
    const url = authorizeUrl(clientId, (await pkcePair()).challenge);
    url.searchParams.set('redirect_uri', 'about:blank');
    const before = await oauthConnections();
    const page = await (await signedInJar()).get(url.toString());
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toContain('invalid_request');
    expect(fetched).toEqual([]);
    expect(await oauthConnections()).toBe(before);
  });

  it('refuses a document that offers only private_key_jwt, which this gateway does not accept', async () => {
    const clientId = documentUrl();
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = { ...((await crypto.subtle.exportKey('jwk', keys.publicKey)) as JsonWebKey), kid: 'k1', alg: 'ES256', use: 'sig' };
    documents.set(clientId, json(metadataFor(clientId, { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [jwk] } })));
    const before = await oauthConnections();
    const page = await (await signedInJar()).get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    const html = await page.text();
    expect(html).toContain('offers only private_key_jwt');
    expect(html).not.toContain('name="handle"');
    expect(await oauthConnections()).toBe(before);
  });

  it('refuses a document over the 5 KB limit with invalid_client, and nothing is created', async () => {
    const clientId = documentUrl();
    documents.set(clientId, json(metadataFor(clientId, { client_name: 'x'.repeat(6 * 1024) })));
    const before = await oauthConnections();
    const page = await (await signedInJar()).get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('could not be fetched or is not valid (invalid_client)');
    expect(html).not.toContain('xxxxxxxx');
    expect(html).not.toContain('name="handle"');
    expect(fetched).toEqual([clientId]);
    expect(await oauthConnections()).toBe(before);
  });

  it('refuses a document that answers slower than the 10 s limit with invalid_client', async () => {
    const clientId = documentUrl();
    let started: () => void = () => {};
    const fetchStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    documents.set(clientId, (request) => {
      started();
      return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    });
    const before = await oauthConnections();
    const jar = await signedInJar();
    const warnings = vi.spyOn(console, 'warn');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = jar.get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
      await fetchStarted;
      // The provider's own timer: 10 s after the fetch began, it aborts.
      vi.advanceTimersByTime(9_999);
      vi.advanceTimersByTime(1);
      const page = await pending;
      // The body was produced under the faked timer's context, which workerd will not let this test read; the log says why it failed.
      expect([page.status, page.headers.get('location')]).toEqual([400, null]);
      expect(warnings.mock.calls.flat().join('\n')).toMatch(/"reason":"cimd_fetch".*timed out after 10000ms/);
    } finally {
      vi.useRealTimers();
    }
    expect(await oauthConnections()).toBe(before);
  });

  it('refuses a document whose client_id is not its own URL', async () => {
    const clientId = documentUrl();
    documents.set(clientId, json(metadataFor('https://other.example/oauth/client.json')));
    const page = await (await signedInJar()).get(authorizeUrl(clientId, (await pkcePair()).challenge).toString());
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('invalid_client');
  });
});
