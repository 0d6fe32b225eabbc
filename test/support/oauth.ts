import { env, SELF } from 'cloudflare:test';
import { GATEWAY } from './gateway';

let registrations = 0;

/** Registers a client through DCR; each call comes from its own address unless one is given, so tests stay under the per-address limit. */
export async function registerClient(metadata: Record<string, unknown>, ip = `198.51.100.${(registrations++ % 250) + 1}`): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await SELF.fetch(`${GATEWAY}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

export async function storedClientCount(): Promise<number> {
  return (await env.OAUTH_KV.list({ prefix: 'client:' })).keys.length;
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An MCP SDK OAuth client provider kept in memory: what a desktop client stores on disk. */
export class MemoryOAuthProvider {
  authorizationUrl: URL | null = null;
  private client: unknown;
  private stored: unknown;
  private verifier = '';
  constructor(readonly redirectUrl = 'http://127.0.0.1:33418/callback') {}
  get clientMetadata() {
    return {
      client_name: 'Flow test client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client as never;
  }
  saveClientInformation(info: unknown) {
    this.client = info;
  }
  tokens() {
    return this.stored as never;
  }
  saveTokens(tokens: unknown) {
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

/** A browser's cookie jar, just enough for the console session and the consent cookie. */
export class CookieJar {
  private cookies = new Map<string, string>();
  header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }
  take(response: Response): Response {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Max-Age=0/i.test(cookie)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return response;
  }
  async get(url: string): Promise<Response> {
    return this.take(await SELF.fetch(url, { redirect: 'manual', headers: this.header() }));
  }
  async post(url: string, fields: Record<string, string>, origin: string | null = GATEWAY): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...this.header() };
    if (origin) headers.origin = origin;
    return this.take(await SELF.fetch(url, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(fields) }));
  }
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1]!.replace(/&amp;/g, '&');
}

/** The admin console form for a read-only scope, as the consent page posts it. */
export const READ_ONLY_CONSENT = { name: 'Claude (OAuth)', odoo_account_id: '', preset: 'read_only', 'model.0.pattern': '', 'window.0.start': '', decision: 'approve' };

/** Signs in to the console, opens the authorization URL and approves it; answers the response to the approval. */
export async function approveAsAdmin(jar: CookieJar, authorizationUrl: URL, fields: Record<string, string> = READ_ONLY_CONSENT): Promise<Response> {
  const signIn = await jar.post(`${GATEWAY}/admin/sign-in`, { token: (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN, next: '/admin/connections' });
  if (signIn.status !== 303) throw new Error(`sign-in failed: ${signIn.status}`);
  const page = await jar.get(authorizationUrl.toString());
  if (page.status !== 200) throw new Error(`consent page: ${page.status} ${await page.text()}`);
  const html = await page.text();
  const action = /<form method="post" action="(\/authorize[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  return jar.post(`${GATEWAY}${action}`, { handle: hiddenField(html, 'handle'), _csrf: hiddenField(html, '_csrf'), ...fields });
}
