import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminRequest, connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { auditEvent, seedEvents } from './audit-helpers';
import { signedIn, visibleText, type ConsoleBrowser } from './console-helpers';
import { setClock } from './scopes-helpers';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

const KEY = /omcp_[a-z2-7]{12}_[A-Za-z0-9]{38}/;

async function page(browser: ConsoleBrowser, path: string): Promise<{ status: number; html: string; text: string; headers: Headers }> {
  const response = await browser.get(path);
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html), headers: response.headers };
}

/** Posts a form the way the page's own form would: with the session's token. */
async function submit(browser: ConsoleBrowser, path: string, fields: Record<string, string | string[]>) {
  // Every rendered create form carries its own submission id; a test's form gets a fresh one unless it names one.
  const submission: Record<string, string> = path === '/admin/connections/new' && !('submission' in fields) ? { submission: crypto.randomUUID().replaceAll('-', '') } : {};
  let response = await browser.post(path, { ...fields, ...submission, _csrf: await browser.csrfToken() });
  const location = response.headers.get('location');
  // A create answers with a redirect to the page that shows the key once; follow it as a browser would.
  if (response.status === 303 && location && /\/created\?submission=/.test(location)) response = await browser.get(location);
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html), location, headers: response.headers };
}

async function apiConnection(id: string) {
  return (await (await adminRequest(`/admin/api/connections/${id}`)).json()) as { status: string; key_public_id: string; has_key: boolean; name: string };
}

async function apiConnectionNames(): Promise<string[]> {
  const body = (await (await adminRequest('/admin/api/connections?limit=200')).json()) as { items: { name: string }[] };
  return body.items.map((item) => item.name);
}

const READ_ONLY_FORM = { name: 'Sales assistant', preset: 'read_only', scope_mode: 'form', expiry_mode: 'never', intent: 'create', 'model.0.pattern': '', 'window.0.start': '' };

describe('console pages for a signed-in admin', () => {
  it('lists connections with their status, key id and scope, and filters them by name and status', async () => {
    const browser = await signedIn();
    const used = await createConnection({ name: 'Nightly stats sync', scope: { preset: 'read_only' } });
    await createConnection({ name: 'Website lead form', scope: { preset: 'custom', operations: ['create'], models: { 'crm.lead': {} } } });
    const client = await connectClient(used.key, { clientName: 'n8n', clientVersion: '1.2.3' });
    await client.listTools();
    await client.close();

    const list = await page(browser, '/admin/connections');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.text).toContain('Website lead form');
    expect(list.text).toContain('Custom: create on 1 model');
    expect(list.text).toContain(used.connection.key_public_id);
    expect(list.html).toMatch(/data-status="awaiting_connection">Awaiting connection/);

    const byName = await page(browser, '/admin/connections?q=nightly');
    expect(byName.text).toContain('Nightly stats sync');
    expect(byName.text).not.toContain('Website lead form');

    const awaiting = await page(browser, '/admin/connections?status=awaiting_connection');
    expect(awaiting.text).toContain('Website lead form');
    expect(awaiting.text).not.toContain('Nightly stats sync');
  });

  it('shows an API refusal of a filter instead of a list', async () => {
    const browser = await signedIn();
    const bad = await page(browser, '/admin/connections?status=sleeping');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The query is invalid.');
  });

  it('escapes what admins and clients typed: a name is text, never markup', async () => {
    const browser = await signedIn();
    const name = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    await createConnection({ name, scope: { preset: 'read_only' } });
    const list = await page(browser, '/admin/connections');
    expect(list.html).not.toContain('<script>alert');
    expect(list.html).not.toContain('<img src=x');
    expect(list.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('runs the wizard: a Read-only connection, its key shown once with the MCP URL and every client snippet', async () => {
    const browser = await signedIn();
    const step1 = await page(browser, '/admin/connections/new');
    expect(step1.text).toContain('Bearer API key');
    const step2 = await page(browser, '/admin/connections/new/details?method=bearer');
    expect(step2.text).toContain('Full access');
    expect(step2.text).toContain('Read only');
    expect(step2.text).toContain('Custom');

    const done = await submit(browser, '/admin/connections/new', READ_ONLY_FORM);
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(done.text).toContain('This key is shown only once.');
    const key = KEY.exec(done.html)![0];
    expect(done.html).toContain('value="https://gateway.test/mcp"');
    for (const client of ['cursor', 'claude_code', 'claude_desktop', 'gemini_cli', 'continue', 'vscode', 'windsurf', 'codex', 'curl', 'header']) {
      expect(done.html).toContain(`id="panel-${client}"`);
    }
    expect(done.html.split(key).length - 1).toBeGreaterThanOrEqual(11);

    const client = await connectClient(key);
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    expect(tools).toContain('read_records');
    expect(tools).not.toContain('create_records');
    await client.close();
  });

  it('builds a custom scope from the form fields', async () => {
    const browser = await signedIn();
    const done = await submit(browser, '/admin/connections/new', {
      ...READ_ONLY_FORM,
      name: 'Website form',
      preset: 'custom',
      operations: ['create'],
      'model.0.pattern': 'crm.lead',
      'model.0.write_fields': 'name, email_from\ndescription',
      'model.0.domain': '[["type", "=", "lead"]]',
      ip_allow: '203.0.113.0/24\n2001:db8::/32',
      'window.0.days': ['mon', 'fri'],
      'window.0.start': '02:00',
      'window.0.end': '03:00',
      'window.0.tz': 'UTC',
      rate_requests: '60',
      rate_per_seconds: '60',
      expiry_mode: 'days',
      valid_for_days: '30',
    });
    expect(done.status).toBe(200);
    const id = /href="\/admin\/connections\/(con_[a-z0-9]+)"/.exec(done.html)![1]!;
    const stored = (await (await adminRequest(`/admin/api/connections/${id}`)).json()) as { scope: unknown; expires_at: string | null };
    expect(stored.scope).toEqual({
      preset: 'custom',
      operations: ['create'],
      models: { 'crm.lead': { write_fields: ['name', 'email_from', 'description'], domain: [['type', '=', 'lead']] } },
      ip_allow: ['203.0.113.0/24', '2001:db8::/32'],
      time_windows: [{ days: ['mon', 'fri'], start: '02:00', end: '03:00', tz: 'UTC' }],
      rate_limit: { requests: 60, per_seconds: 60 },
    });
    expect(stored.expires_at).not.toBeNull();
  });

  it('shows the validation errors next to the fields, in words that name the bad value, and creates nothing', async () => {
    const browser = await signedIn();
    const refused = await submit(browser, '/admin/connections/new', {
      ...READ_ONLY_FORM,
      name: 'Broken scope',
      preset: 'custom',
      operations: ['read'],
      'model.0.pattern': 'sale.order',
      'model.0.read_fields': 'name, bad-field',
      ip_allow: '10.0.0.0/33',
      'window.0.days': ['mon'],
      'window.0.start': '25:00',
      'window.0.end': '03:00',
      'window.0.tz': 'Mars/Olympus',
    });
    expect(refused.status).toBe(400);
    const errorsOf = (field: string) => visibleText(new RegExp(`<ul class="field-errors" id="${field}-errors">([\\s\\S]*?)</ul>`).exec(refused.html)?.[1] ?? '');
    expect(errorsOf('f-model-0-read_fields').trim()).toBe("'bad-field' is not a field name");
    expect(errorsOf('f-ip_allow').trim()).toBe('10.0.0.0/33 is not an IP range');
    expect(errorsOf('f-window-0-start').trim()).toBe('From must be a time such as 09:00, got 25:00');
    expect(errorsOf('f-window-0-tz').trim()).toBe('Mars/Olympus is not a time zone; use an IANA name such as Europe/Brussels');
    expect(refused.html).not.toContain('scope.ip_allow.0');
    expect(refused.html).toMatch(/id="f-ip_allow"[^>]*aria-invalid="true"/);
    // What the admin typed is kept for the next try.
    expect(refused.html).toContain('10.0.0.0/33</textarea>');
    expect(await apiConnectionNames()).not.toContain('Broken scope');
  });

  it('turns the form into scope JSON, and takes raw JSON from experts', async () => {
    const browser = await signedIn();
    const asJson = await submit(browser, '/admin/connections/new', { ...READ_ONLY_FORM, intent: 'to_json', ip_allow: '198.51.100.7' });
    expect(asJson.status).toBe(200);
    const json = /<textarea id="f-scope_json"[^>]*>([\s\S]*?)<\/textarea>/.exec(asJson.html)![1]!;
    expect(JSON.parse(visibleText(json))).toEqual({ preset: 'read_only', ip_allow: ['198.51.100.7'] });
    expect(asJson.html).toMatch(/name="scope_mode" value="json" checked/);

    const invalid = await submit(browser, '/admin/connections/new', { ...READ_ONLY_FORM, name: 'Raw', scope_mode: 'json', scope_json: '{"preset": "read_only",' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(/The scope JSON is not valid JSON/);

    const wrong = await submit(browser, '/admin/connections/new', { ...READ_ONLY_FORM, name: 'Raw', scope_mode: 'json', scope_json: '{"preset": "everything"}' });
    expect(wrong.status).toBe(400);
    const jsonErrors = /<ul class="field-errors" id="f-scope_json-errors">([\s\S]*?)<\/ul>/.exec(wrong.html)?.[1] ?? '';
    expect(visibleText(jsonErrors)).toContain('Preset must be one of full, read_only, custom, got everything (at scope.preset)');

    const created = await submit(browser, '/admin/connections/new', {
      ...READ_ONLY_FORM,
      name: 'Raw',
      scope_mode: 'json',
      scope_json: '{"preset": "custom", "operations": ["read"], "models": {"res.partner": {"read_fields": ["name"]}}}',
    });
    expect(created.status).toBe(200);
  });

  it('shows a connection with its scope, sessions and recent audit events, and confirms each action in words', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Assistant', scope: { preset: 'read_only' } });
    const client = await connectClient(created.key, { clientName: 'Cursor', clientVersion: '2.0.1' });
    await client.listTools();

    const view = await page(browser, `/admin/connections/${created.connection.id}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain('Assistant');
    expect(view.text).toContain('"preset": "read_only"');
    expect(view.text).toContain('Cursor 2.0.1');
    expect(view.text).toContain('The old key will stop working immediately');
    expect(view.text).toContain('The key will stop working immediately');
    expect(view.html).toContain(`action="/admin/connections/${created.connection.id}/rotate"`);
    expect(view.html).toContain(`action="/admin/connections/${created.connection.id}/revoke"`);
    await client.close();
  });

  it('answers an unknown connection with the API’s 404', async () => {
    const browser = await signedIn();
    const missing = await page(browser, '/admin/connections/con_missing');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("No connection 'con_missing'.");
  });

  it('rotates a key once per form: the new key is shown, the old one fails, a stale form rotates nothing', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Rotating', scope: { preset: 'read_only' } });
    const path = `/admin/connections/${created.connection.id}`;

    const rotated = await submit(browser, `${path}/rotate`, { key_public_id: created.connection.key_public_id });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.text).toContain('The old key stopped working immediately');
    const newKey = KEY.exec(rotated.html)![0];
    expect(newKey).not.toBe(created.key);
    await expect(connectClient(created.key)).rejects.toThrow();
    await (await connectClient(newKey)).close();

    const afterRotation = await apiConnection(created.connection.id);
    const stale = await submit(browser, `${path}/rotate`, { key_public_id: created.connection.key_public_id });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('This key was rotated or removed since the page was loaded');
    expect((await apiConnection(created.connection.id)).key_public_id).toBe(afterRotation.key_public_id);
  });

  it('revokes, reactivates and generates a new key through the API', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Lifecycle', scope: { preset: 'read_only' } });
    const path = `/admin/connections/${created.connection.id}`;

    const revoked = await submit(browser, `${path}/revoke`, { reason: 'laptop lost' });
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe(`${path}?done=revoked`);
    expect((await apiConnection(created.connection.id)).status).toBe('revoked');
    await expect(connectClient(created.key)).rejects.toThrow();
    const revokedPage = await page(browser, `${path}?done=revoked`);
    expect(revokedPage.html).toMatch(/class="badge badge-revoked" data-status="revoked">Revoked/);
    expect(revokedPage.text).toContain('Connection revoked');
    expect(revokedPage.text).toContain('Revoke reason laptop lost');
    expect(revokedPage.html).not.toContain(`${path}/rotate"`);
    expect(await apiConnection(created.connection.id)).toMatchObject({ revoke_reason: 'laptop lost' });

    const reactivated = await submit(browser, `${path}/reactivate`, {});
    expect(reactivated.location).toBe(`${path}?done=reactivated`);
    expect(await apiConnection(created.connection.id)).toMatchObject({ status: 'awaiting_connection', has_key: false, revoke_reason: null });
    // Reactivated without a key: the badge says so, not "Awaiting" beside an old last use.
    const reactivatedPage = await page(browser, path);
    expect(reactivatedPage.html).toMatch(/data-status="awaiting_connection">No key yet/);
    expect(reactivatedPage.text).not.toContain('Revoke reason');

    const generated = await submit(browser, `${path}/keys`, {});
    expect(generated.status).toBe(200);
    expect(generated.text).toContain('Key generated.');
    await (await connectClient(KEY.exec(generated.html)![0])).close();

    const again = await submit(browser, `${path}/keys`, {});
    expect(again.status).toBe(409);
  });

  it('shows expiry in the list, on the Done screen and on the connection page, and times relative with the exact time on hover', async () => {
    const browser = await signedIn();
    const expiring = await createConnection({ name: 'Expires tomorrow', scope: { preset: 'read_only' }, valid_for_days: 1 });
    await createConnection({ name: 'Never expires', scope: { preset: 'read_only' } });
    const expiresAt = String(expiring.connection.expires_at);

    const list = await page(browser, '/admin/connections?sort=name');
    expect(list.html).toMatch(/<th scope="col">Status<\/th><th scope="col">Last used<\/th><th scope="col">Expires<\/th>/);
    const row = (name: string) => list.html.slice(list.html.indexOf(name), list.html.indexOf('</tr>', list.html.indexOf(name)));
    expect(row('Expires tomorrow')).toMatch(new RegExp(`<time datetime="${expiresAt}" title="${expiresAt.slice(0, 16).replace('T', ' ')} UTC">in (24|23) hours</time>`));
    expect(visibleText(row('Never expires'))).toContain('Never');
    expect(row('Expires tomorrow')).toMatch(/title="[^"]+ UTC">just now<\/time>/);

    const connection = await page(browser, `/admin/connections/${expiring.connection.id}`);
    expect(connection.text).toMatch(/Expires in (24|23) hours/);

    const done = await submit(browser, '/admin/connections/new', { ...READ_ONLY_FORM, name: 'Done with expiry', expiry_mode: 'days', valid_for_days: '30' });
    expect(done.text).toMatch(/Expires in 30 days \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
  });

  it('reactivates an expired connection with a new validity', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Short-lived', scope: { preset: 'full' }, valid_for_days: 0.00001 });
    const path = `/admin/connections/${created.connection.id}`;
    setClock(Date.now() + 1000);
    const expired = await page(browser, path);
    expect(expired.html).toMatch(/data-status="expired">Expired/);
    expect(expired.text).toContain('Its validity ended. New validity:');

    const reactivated = await submit(browser, `${path}/reactivate`, { validity: 'days', valid_for_days: '7' });
    expect(reactivated.location).toBe(`${path}?done=reactivated`);
    const after = (await (await adminRequest(`/admin/api/connections/${created.connection.id}`)).json()) as { status: string; expires_at: string };
    expect(after.status).toBe('awaiting_connection');
    expect(Date.parse(after.expires_at)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  it('ends an MCP session from the connection page', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Sessions', scope: { preset: 'read_only' } });
    const client = await connectClient(created.key);
    const sessions = (await (await adminRequest(`/admin/api/connections/${created.connection.id}/sessions`)).json()) as { items: { id: string }[] };
    const sessionId = sessions.items[0]!.id;
    const ended = await submit(browser, `/admin/connections/${created.connection.id}/sessions/${sessionId}/end`, {});
    expect(ended.location).toBe(`/admin/connections/${created.connection.id}?done=session_ended`);
    await expect(client.listTools()).rejects.toThrow();
  });

  it('lists audit events with filters and pages, and downloads them as CSV', async () => {
    const browser = await signedIn();
    const connectionId = 'con_console_audit';
    const start = Date.parse('2026-03-02T10:00:00Z');
    await seedEvents([
      ...Array.from({ length: 55 }, (_, index) => auditEvent({ connectionId, connectionName: 'Audited', at: start + index * 1000 })),
      auditEvent({
        connectionId,
        connectionName: 'Audited',
        at: start + 60_000,
        tool: 'create_records',
        model: 'crm.lead',
        outcome: 'denied',
        denialReason: "operation 'create' is not in its scope",
      }),
    ]);
    const filter = `connection_id=${connectionId}`;

    const first = await page(browser, `/admin/audit?${filter}`);
    expect(first.status).toBe(200);
    expect(first.html.match(/data-event-id=/g)).toHaveLength(50);
    expect(first.html).toContain('badge-outcome-denied');
    expect(first.text).toContain("operation 'create' is not in its scope");
    expect(first.html).toContain(`href="/admin/audit/export.csv?${filter}"`);
    const next = /href="(\/admin\/audit\?[^"]*cursor=[^"]+)" rel="next"/.exec(first.html)![1]!.replaceAll('&amp;', '&');
    const second = await page(browser, next);
    expect(second.html.match(/data-event-id=/g)).toHaveLength(6);
    expect(second.html).not.toContain('rel="next"');
    expect(second.text).toContain('First page');

    const denied = await page(browser, `/admin/audit?${filter}&outcome=denied`);
    expect(denied.html.match(/data-event-id=/g)).toHaveLength(1);
    expect(denied.text).toContain('create_records');

    const csv = await browser.get(`/admin/audit/export.csv?${filter}&outcome=denied`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('create_records');

    const badFilter = await page(browser, '/admin/audit?outcome=maybe');
    expect(badFilter.status).toBe(400);
    expect(badFilter.text).toContain('The query is invalid.');
  });

  it('adds an Odoo account only when Odoo accepts it, lists it without its key, and deletes it', async () => {
    const browser = await signedIn();
    const account = { name: 'Sales bot', url: 'https://odoo.test', database: 'odoo', login: 'demo', api: 'json2' };

    const refused = await submit(browser, '/admin/accounts', { ...account, api_key: 'wrong-api-key' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('The account was not added.');
    expect(refused.html).not.toContain('wrong-api-key');

    const invalid = await submit(browser, '/admin/accounts', { ...account, url: 'https://odoo.test/web', api_key: 'demo-api-key' });
    expect(invalid.status).toBe(400);
    expect(visibleText(/id="f-url-errors">([\s\S]*?)<\/ul>/.exec(invalid.html)![1]!)).toContain('url: must be the Odoo base URL without a path');

    const added = await submit(browser, '/admin/accounts', { ...account, api_key: 'demo-api-key' });
    expect(added.location).toBe('/admin/accounts?done=added');
    const list = await page(browser, '/admin/accounts?done=added');
    expect(list.text).toContain('Sales bot');
    expect(list.html).not.toContain('demo-api-key');
    const id = /data-account-id="(oa_[a-z0-9]+)"/.exec(list.html)![1]!;

    const deleted = await submit(browser, `/admin/accounts/${id}/delete`, {});
    expect(deleted.location).toBe('/admin/accounts?done=deleted');
    expect((await page(browser, '/admin/accounts')).text).not.toContain('Sales bot');
  });

  it('reports an account in use instead of deleting it', async () => {
    const browser = await signedIn();
    await createConnection({ name: 'Uses the default account', scope: { preset: 'read_only' } });
    const list = await page(browser, '/admin/accounts');
    const id = /data-account-id="([^"]+)"/.exec(list.html)![1]!;
    const refused = await submit(browser, `/admin/accounts/${id}/delete`, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('cannot be deleted');
  });
});
