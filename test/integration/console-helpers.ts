import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { GATEWAY } from '../support/gateway';
import { TEST_SECRETS } from '../support/secrets';

/**
 * A browser-like client for the console: keeps the session cookie, sends Origin on posts, never follows redirects.
 * With `adminToken`, it talks to the same Worker and D1 deployed with that ADMIN_TOKEN instead (a rotated secret).
 */
export class ConsoleBrowser {
  cookie: string | null = null;

  constructor(private readonly options: { adminToken?: string } = {}) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(`${GATEWAY}${path}`, { redirect: 'manual', headers: { ...this.cookieHeader(), ...headers } });
  }

  async post(path: string, fields: Record<string, string | string[]>, options: { origin?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader(), ...options.headers };
    const origin = options.origin === undefined ? GATEWAY : options.origin;
    if (origin !== null) headers.origin = origin;
    const response = await this.fetch(`${GATEWAY}${path}`, { method: 'POST', redirect: 'manual', headers, body });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = /Max-Age=0/i.test(setCookie) ? null : setCookie.split(';')[0]!;
    return response;
  }

  async signIn(token = TEST_SECRETS.ADMIN_TOKEN): Promise<Response> {
    return this.post('/admin/sign-in', { token, next: '/admin/connections' });
  }

  /** The session's CSRF token, read from a page the way a browser form carries it. */
  async csrfToken(path = '/admin/connections'): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match) throw new Error(`no CSRF token on ${path}`);
    return match[1]!;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    if (this.options.adminToken === undefined) return SELF.fetch(url, init);
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(url, init), environmentWithAdminToken(this.options.adminToken), ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }
}

const environments = new Map<string, typeof env>();

/** The test bindings with another ADMIN_TOKEN; one object per token, as a deployment keeps one env. */
function environmentWithAdminToken(adminToken: string): typeof env {
  let environment = environments.get(adminToken);
  if (!environment) {
    environment = { ...env, ADMIN_TOKEN: adminToken };
    environments.set(adminToken, environment);
  }
  return environment;
}

export async function signedIn(options: { adminToken?: string } = {}): Promise<ConsoleBrowser> {
  const browser = new ConsoleBrowser(options);
  const response = await browser.signIn(options.adminToken);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  return browser;
}

/** Text with tags removed and entities decoded, for asserting what a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<\/?(code|span|strong|em|a|time)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');
}

export interface ConsolePage {
  status: number;
  html: string;
  text: string;
  headers: Headers;
  location: string | null;
}

async function asPage(response: Response): Promise<ConsolePage> {
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html), headers: response.headers, location: response.headers.get('location') };
}

export async function consolePage(browser: ConsoleBrowser, path: string): Promise<ConsolePage> {
  return asPage(await browser.get(path));
}

/** Posts a form the way the page's own form would: with the session's token, and for a create a fresh submission id; follows the create's redirect. */
export async function submitForm(browser: ConsoleBrowser, path: string, fields: Record<string, string | string[]>): Promise<ConsolePage> {
  const submission: Record<string, string> = path === '/admin/connections/new' && !('submission' in fields) ? { submission: crypto.randomUUID().replaceAll('-', '') } : {};
  let response = await browser.post(path, { ...fields, ...submission, _csrf: await browser.csrfToken() });
  const location = response.headers.get('location');
  if (response.status === 303 && location && /\/created\?submission=/.test(location)) response = await browser.get(location);
  return asPage(response);
}

/** The visible text of one field's error list, or '' when the field has none. */
export function fieldErrors(html: string, fieldId: string): string {
  return visibleText(new RegExp(`<ul class="field-errors" id="${fieldId}-errors">([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '').trim();
}

export const READ_ONLY_FORM = { name: 'Sales assistant', preset: 'read_only', scope_mode: 'form', expiry_mode: 'never', intent: 'create', 'model.0.pattern': '', 'window.0.start': '' };
