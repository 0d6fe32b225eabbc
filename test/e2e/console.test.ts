import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

/**
 * The console in Debian's Chromium against `wrangler dev`, the way an admin
 * uses it. Screenshots go to docs/ with CONSOLE_SCREENSHOTS=1 (to refresh
 * the README's pictures), else next to the test's temporary state.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DOCS = path.resolve(import.meta.dirname, '../../docs');

let gateway: LocalGateway;
let stateDir: string;
let screenshots: string;
let context: BrowserContext;
let page: Page;
/** Script errors and CSP refusals seen by the browser: the console must cause none. */
const browserProblems: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `console-${name}.png`), fullPage: true });
}

async function mcpClient(key: string): Promise<Client> {
  const client = new Client({ name: 'console-e2e', version: '3.1.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

/** Reloads until the check passes: last-used and audit writes happen in the background. */
async function eventually(check: () => Promise<boolean>, what: string, attempts = 40): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function statusInList(name: string): Promise<string | null> {
  await page.goto(`${gateway.url}/admin/connections?q=${encodeURIComponent(name)}`);
  return page.locator('#connections tbody tr', { hasText: name }).locator('.badge').first().textContent();
}

/** Opens a confirmation, checks what it says, confirms. */
async function confirmAction(button: string, expectedText: RegExp, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toMatch(expectedText);
  if (screenshot) await shot(screenshot);
  await dialog.getByRole('button', { name: button, exact: true }).click();
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-console-'));
  screenshots = process.env.CONSOLE_SCREENSHOTS === '1' ? DOCS : path.join(stateDir, 'screenshots');
  await mkdir(screenshots, { recursive: true });
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
  context = await chromium.launchPersistentContext(path.join(stateDir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => browserProblems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) browserProblems.push(message.text());
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('the admin console in Chromium', () => {
  const name = 'Sales assistant (Cursor)';
  let connectionUrl = '';
  let firstKey = '';
  let secondKey = '';

  it('sends a visitor to sign in and signs in with the admin token into a Secure, HttpOnly, SameSite=Strict session', async () => {
    await page.goto(`${gateway.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    const icon = await page.request.get(new URL((await page.locator('link[rel="icon"]').getAttribute('href'))!, gateway.url).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/svg+xml');
    await shot('sign-in');
    await page.getByLabel('Admin token').fill(gateway.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${gateway.url}/admin/connections`);
    const cookies = await context.cookies(gateway.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: '__Host-omcp_console', httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(cookies[0]!.value).not.toContain(gateway.adminToken);
  });

  it('creates a Read-only connection with the wizard and shows the key once, with a copy button', async () => {
    await page.getByRole('link', { name: 'Connect a new tool' }).click();
    expect(await page.getByRole('radio', { name: /Bearer API key/ }).isChecked()).toBe(true);
    await shot('wizard-1-method');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await shot('wizard-2-scope');

    // A form with mistakes in the body and in the scope: every one comes back at once, in words, next to its field.
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('radio', { name: /Custom/ }).check();
    await page.getByRole('checkbox', { name: /^read/ }).first().check();
    await page.getByText('Models, IP addresses, time windows and rate limit').click();
    await page.getByLabel('Model or pattern').fill('crm.lead');
    await page.getByLabel('Fields it may read').fill('name, email-from');
    await page.getByLabel('Allowed client IPs').fill('192.168.1.300/24');
    await page.getByRole('radio', { name: /Valid for a number of days/ }).check();
    await page.getByLabel('Number of days', { exact: true }).fill('-1');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByText('Nothing was created: 4 fields need a change.').waitFor();
    expect(await page.locator('#f-name-errors').textContent()).toBe('Name must not be empty.');
    expect(await page.locator('#f-valid_for_days-errors').textContent()).toBe('Number of days must be more than 0, got -1');
    expect(await page.locator('#f-ip_allow-errors').textContent()).toBe('192.168.1.300/24 is not an IP range');
    expect(await page.locator('#f-model-0-read_fields-errors').textContent()).toContain("'email-from' is not a field name");
    for (const label of ['Name', 'Number of days', 'Allowed client IPs']) expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-valid_for_days-errors').isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).not.toMatch(/Too small|scope\.ip_allow/);
    await shot('wizard-2-errors');

    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('radio', { name: /No expiry/ }).check();
    await page.getByLabel('Allowed client IPs').fill('');
    await page.getByLabel('Model or pattern').fill('');
    await page.getByLabel('Fields it may read').fill('');
    await page.getByRole('radio', { name: /Read only/ }).check();
    await page.getByRole('button', { name: 'Create connection' }).click();

    await page.getByRole('heading', { name: 'Connection created' }).waitFor();
    expect(await page.getByText('This key is shown only once.').isVisible()).toBe(true);
    expect(await page.getByLabel('MCP URL').inputValue()).toBe(`${gateway.url}/mcp`);
    const shown = await page.getByLabel('API key').inputValue();
    expect(shown).toMatch(/^omcp_[a-z2-7]{12}_[A-Za-z0-9]{38}$/);
    await page.locator('[data-copy="api-key"]').click();
    firstKey = await page.evaluate(() => navigator.clipboard.readText());
    expect(firstKey).toBe(shown);

    // Each client's snippet is a tab holding the URL and the key.
    await page.getByRole('tab', { name: 'Claude Code' }).click();
    const claudeCode = page.getByRole('tabpanel', { name: 'Claude Code' });
    expect(await claudeCode.isVisible()).toBe(true);
    expect(await claudeCode.textContent()).toContain(firstKey);
    expect(await page.getByRole('tabpanel', { name: 'Cursor' }).isVisible()).toBe(false);
    await page.getByRole('tab', { name: 'Cursor' }).click();
    await shot('wizard-3-done');
    expect(await page.getByRole('link', { name: 'Go to the connection' }).isVisible()).toBe(true);

    // Reloading or revisiting the Done screen creates nothing: the key was shown once, the form is used up.
    const doneUrl = page.url();
    expect(new URL(doneUrl).pathname).toMatch(/^\/admin\/connections\/con_[^/]+\/created$/);
    await page.reload();
    await page.getByText('was shown once and is not stored').waitFor();
    expect(await page.getByRole('heading', { name: 'Connection created' }).count()).toBe(0);
    expect(await page.content()).not.toContain(firstKey);
    await page.goto(doneUrl);
    await page.getByText('was shown once and is not stored').waitFor();
    expect(await page.content()).not.toContain(firstKey);
    const listed = await fetch(`${gateway.url}/admin/api/connections?q=${encodeURIComponent(name)}`, { headers: { Authorization: `Bearer ${gateway.adminToken}` } });
    expect(((await listed.json()) as { items: Array<{ name: string }> }).items.filter((item) => item.name === name)).toHaveLength(1);

    connectionUrl = page.url().replace(/\?.*$/, '');
    expect(await page.locator('h1').textContent()).toBe(name);
    expect(await page.locator('.page-head .badge').textContent()).toBe('Awaiting connection');
  });

  it('lets an MCP client use the copied key, and the connection turns Connected', async () => {
    const client = await mcpClient(firstKey);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('search_records');
    expect(tools.map((tool) => tool.name)).not.toContain('create_records');
    const found = (await client.callTool({ name: 'search_records', arguments: { model: 'res.partner', fields: ['name'], limit: 2 } })) as CallToolResult;
    expect(found.isError).toBeFalsy();
    const refused = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: { name: 'x' } } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    await client.close();

    await eventually(async () => (await statusInList(name)) === 'Connected', 'the list to show Connected');
    const row = page.locator('#connections tbody tr', { hasText: name });
    expect(await row.textContent()).toContain('console-e2e 3.1.0');
  });

  it('shows the connection with its session and recent audit events', async () => {
    await eventually(async () => {
      await page.goto(connectionUrl);
      return (await page.locator('table.audit tbody tr', { hasText: 'search_records' }).count()) > 0;
    }, 'the connection page to list the call');
    expect(await page.locator('.page-head .badge').textContent()).toBe('Connected');
    expect(await page.getByRole('region', { name: 'MCP sessions' }).textContent()).toContain('console-e2e 3.1.0');
    await shot('connection');
  });

  it('rotates the key after a confirmation: the old key stops working, the new one works', async () => {
    await page.goto(connectionUrl);
    await confirmAction('Rotate key', /The old key will stop working immediately/, 'rotate-confirm');
    await page.getByRole('heading', { name: `New key for ${name}` }).waitFor();
    secondKey = await page.getByLabel('API key').inputValue();
    expect(secondKey).not.toBe(firstKey);

    await expect(mcpClient(firstKey)).rejects.toThrow();
    const client = await mcpClient(secondKey);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('revokes after a confirmation, and the badge turns red', async () => {
    await page.goto(connectionUrl);
    await confirmAction('Revoke', /stop working immediately/);
    await page.waitForURL(/done=revoked/);
    const badge = page.locator('.page-head .badge');
    expect(await badge.textContent()).toBe('Revoked');
    expect(await badge.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(164, 22, 26)');
    await expect(mcpClient(secondKey)).rejects.toThrow();

    expect(await statusInList(name)).toBe('Revoked');
    expect(await page.locator('#connections tbody tr', { hasText: name }).locator('.badge-revoked').count()).toBe(1);
  });

  it('shows the calls on the audit page, allowed and denied, and offers them as CSV', async () => {
    const rows = page.locator('table.audit tbody tr');
    await eventually(async () => {
      await page.goto(`${gateway.url}/admin/audit`);
      const text = (await rows.allTextContents()).join('\n');
      return text.includes('search_records') && text.includes('create_records') && text.includes('connection.revoke');
    }, 'the audit page to show the calls and the revocation');
    const allowed = rows.filter({ hasText: 'search_records' }).first();
    expect(await allowed.textContent()).toContain(name);
    expect(await allowed.locator('.badge').textContent()).toBe('allowed');
    expect(await rows.filter({ hasText: 'create_records' }).first().locator('.badge').textContent()).toBe('denied');
    await shot('audit');

    await page.getByLabel('Tool').fill('create_records');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tool=create_records/);
    expect((await rows.allTextContents()).every((text) => text.includes('create_records'))).toBe(true);

    // The connection is picked by its name, offered while typing; the CSV follows the filters.
    await page.getByLabel('Tool').fill('');
    await page.getByLabel('Connection', { exact: true }).fill(name);
    expect(await page.locator('#audit-connection-names option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toContain(name);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/connection=/);
    expect(await rows.count()).toBeGreaterThan(0);
    expect((await rows.allTextContents()).every((text) => text.includes(name))).toBe(true);
    await page.getByLabel('Connection', { exact: true }).fill('No such connection');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Nothing is listed: no connection fits the connection filter.').waitFor();
    expect(await page.locator('#audit-connection-errors').textContent()).toBe('No connection is named “No such connection”, and no name contains it.');
    expect(await rows.count()).toBe(0);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(`${gateway.url}/admin/audit`);
    expect(await page.getByLabel('Connection', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('Tool').fill('create_records');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tool=create_records/);
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await page.request.get(`${gateway.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toContain('create_records');
    expect(text).not.toContain('search_records');
  });

  it('adds an Odoo account after Odoo accepted its credentials, and refuses bad ones', async () => {
    await page.goto(`${gateway.url}/admin/accounts`);
    const fill = async (apiKey: string) => {
      await page.getByLabel('Name', { exact: true }).fill('Sales bot');
      await page.getByLabel('Odoo URL').fill(gateway.odoo.url);
      await page.getByLabel('Database').fill(gateway.odoo.database);
      await page.getByLabel('Login').fill(gateway.odoo.login);
      await page.getByLabel('API key').fill(apiKey);
      await page.getByRole('button', { name: 'Check and add' }).click();
    };
    await fill('not-the-right-key');
    await page.getByText('The account was not added.').waitFor();
    expect(await page.locator('#accounts tbody tr', { hasText: 'Sales bot' }).count()).toBe(0);

    await fill(gateway.odoo.apiKey);
    await page.waitForURL(/done=added/);
    expect(await page.locator('#accounts tbody tr', { hasText: 'Sales bot' }).count()).toBe(1);
    await shot('accounts');
  });

  it('lists every connection with its status, longest idle first', async () => {
    const create = (body: Record<string, unknown>) =>
      fetch(`${gateway.url}/admin/api/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await create({ name: 'Website lead form', scope: { preset: 'custom', operations: ['create'], models: { 'crm.lead': { write_fields: ['name', 'email_from'] } } } })).status).toBe(201);
    expect((await create({ name: 'One-off import', scope: { preset: 'full' }, valid_for_days: 0.00001 })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await page.goto(`${gateway.url}/admin/connections`);
    const badges = Object.fromEntries(
      await Promise.all(
        ['Website lead form', 'One-off import', name].map(async (row) => [row, await page.locator('#connections tbody tr', { hasText: row }).locator('.badge').textContent()]),
      ),
    );
    expect(badges).toEqual({ 'Website lead form': 'Awaiting connection', 'One-off import': 'Expired', [name]: 'Revoked' });
    expect(await page.locator('#connections tr.group th').allTextContents()).toEqual(['Never used', 'Used in the last hour']);
    await shot('connections');

    await page.getByLabel('Status').selectOption('revoked');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=revoked/);
    expect(await page.locator('#connections tbody tr[data-connection-id]').count()).toBe(1);
  });

  it('at phone width (390 px) the list and the audit log do not scroll sideways, and status and last use stay in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/admin/connections', '/admin/audit']) {
        await page.goto(`${gateway.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      }
      await page.goto(`${gateway.url}/admin/connections`);
      const rows = page.locator('#connections tbody tr[data-connection-id]');
      expect(await rows.count()).toBeGreaterThanOrEqual(3);
      for (const row of await rows.all()) {
        for (const cell of [row.locator('.badge').first(), row.locator('td[data-label="Last used"]')]) {
          expect(await cell.isVisible()).toBe(true);
          const box = (await cell.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(390);
        }
      }
      expect(await rows.filter({ hasText: name }).locator('td[data-label="Status"]').textContent()).toContain('Revoked');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('switching the scope to raw JSON carries over what the form says; the connection page describes a custom scope in words', async () => {
    await page.goto(`${gateway.url}/admin/connections/new/details`);
    await page.getByRole('radio', { name: /Custom/ }).check();
    await page.getByRole('checkbox', { name: /^read/ }).first().check();
    await page.getByText('Models, IP addresses, time windows and rate limit').click();
    await page.getByLabel('Model or pattern').fill('crm.lead');
    await page.getByLabel('Fields it may read').fill('name, email_from');
    await page.getByRole('radio', { name: /raw JSON/ }).check();
    await page.waitForFunction(() => (document.querySelector('textarea[name="scope_json"]') as HTMLTextAreaElement | null)?.value.includes('crm.lead'));
    expect(JSON.parse(await page.getByLabel('Scope JSON').inputValue())).toEqual({ preset: 'custom', operations: ['read'], models: { 'crm.lead': { read_fields: ['name', 'email_from'] } } });
    expect(await page.getByRole('radio', { name: /raw JSON/ }).isChecked()).toBe(true);

    const listed = await fetch(`${gateway.url}/admin/api/connections?q=${encodeURIComponent('Website lead form')}`, { headers: { Authorization: `Bearer ${gateway.adminToken}` } });
    const [lead] = ((await listed.json()) as { items: Array<{ id: string }> }).items;
    await page.goto(`${gateway.url}/admin/connections/${lead!.id}`);
    expect(await page.locator('ul.scope-words li').allTextContents()).toEqual([
      'Custom: create.',
      'Only the models listed below; any other model is refused.',
      'crm.lead: create; writes only name and email_from.',
      'From any IP address.',
      'At any time.',
    ]);
  });

  it('creates with Enter in the Name field; going Back to the Done screen from the connection page creates nothing and shows no key', async () => {
    const backName = 'Back button check';
    await page.goto(`${gateway.url}/admin/connections/new/details`);
    await page.getByRole('radio', { name: /Read only/ }).check();
    // Enter in the Name field creates (it does not open the JSON editor).
    await page.getByLabel('Name', { exact: true }).fill(backName);
    await page.getByLabel('Name', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Connection created' }).waitFor();
    const key = await page.getByLabel('API key').inputValue();
    await page.getByRole('link', { name: 'Go to the connection' }).click();
    await page.waitForURL(/\/admin\/connections\/con_[^/?]+$/);

    await page.goBack();
    await page.waitForURL(/done=key_shown/);
    await page.getByText('was shown once and is not stored').waitFor();
    expect(await page.getByRole('heading', { name: 'Connection created' }).count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    const listed = await fetch(`${gateway.url}/admin/api/connections?q=${encodeURIComponent(backName)}`, { headers: { Authorization: `Bearer ${gateway.adminToken}` } });
    expect(((await listed.json()) as { items: Array<{ name: string }> }).items.filter((item) => item.name === backName)).toHaveLength(1);
  });

  describe('editing and usage', () => {
    const editName = 'Edit check';
    let editId = '';

    it('edits a scope in the console: JSON and form carry it both ways, the confirmation says what changes, and the next call of an open session is refused', async () => {
      const created = await fetch(`${gateway.url}/admin/api/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: editName, scope: { preset: 'read_only' } }),
      });
      const { key, connection } = (await created.json()) as { key: string; connection: { id: string } };
      editId = connection.id;
      const client = await mcpClient(key);
      const before = (await client.callTool({ name: 'search_records', arguments: { model: 'res.partner', fields: ['name'], limit: 1 } })) as CallToolResult;
      expect(before.isError).toBeFalsy();

      await page.goto(`${gateway.url}/admin/connections/${editId}`);
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.waitForURL(/\/edit$/);
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(editName);
      expect(await page.getByRole('radio', { name: /Read only/ }).isChecked()).toBe(true);

      await page.getByRole('radio', { name: /Custom/ }).check();
      await page.getByRole('checkbox', { name: /^query/ }).first().check();
      await page.getByRole('checkbox', { name: /^read/ }).first().check();
      await page.getByText('Models, IP addresses, time windows and rate limit').click();
      await page.getByLabel('Model or pattern').fill('crm.lead');
      await page.getByRole('radio', { name: /raw JSON/ }).check();
      await page.waitForFunction(() => (document.querySelector('textarea[name="scope_json"]') as HTMLTextAreaElement | null)?.value.includes('crm.lead'));
      expect(JSON.parse(await page.getByLabel('Scope JSON').inputValue())).toEqual({ preset: 'custom', operations: ['query', 'read'], models: { 'crm.lead': {} } });
      await page.getByRole('radio', { name: /the form/ }).check();
      await page.waitForFunction(() => (document.querySelector('input[name="model.0.pattern"]') as HTMLInputElement | null)?.value === 'crm.lead');
      expect(await page.getByRole('radio', { name: /Custom/ }).isChecked()).toBe(true);
      await shot('edit');

      await page.getByRole('button', { name: 'Review changes' }).last().click();
      await page.getByRole('heading', { name: `Save these changes to ${editName}?` }).waitFor();
      const scopeRow = page.locator('tr[data-change="scope"]');
      expect(await scopeRow.locator('del').allTextContents()).toContain('Read only: search, read, describe and aggregate.');
      expect(await scopeRow.locator('ins').allTextContents()).toEqual(['Custom: query and read.', 'Only the models listed below; any other model is refused.', 'crm.lead: query and read.']);
      await shot('edit-confirm');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(/done=updated/);
      await page.getByText('Connection saved: the change holds from its next MCP request.').waitFor();

      const after = (await client.callTool({ name: 'search_records', arguments: { model: 'res.partner', fields: ['name'], limit: 1 } })) as CallToolResult;
      expect(after.isError).toBe(true);
      expect(JSON.stringify(after.content)).toMatch(/res\.partner/);
      await client.close();
    });

    it('draws the connection’s calls from exactly its audit rows, on its page and as a sparkline in the list', async () => {
      type Row = { at: string; outcome: 'allowed' | 'denied' | 'error' };
      let rows: Row[] = [];
      await eventually(async () => {
        const answer = await fetch(`${gateway.url}/admin/api/connections/${editId}/audit?kind=mcp&limit=500`, { headers: { authorization: `Bearer ${gateway.adminToken}` } });
        rows = ((await answer.json()) as { items: Row[] }).items;
        return rows.length >= 2;
      }, 'both calls in the audit trail');
      const expected = new Map<string, number>();
      const totals = { allowed: 0, denied: 0, error: 0 };
      for (const row of rows) {
        const hour = new Date(Math.floor(Date.parse(row.at) / 3_600_000) * 3_600_000).toISOString();
        expected.set(`${hour} ${row.outcome}`, (expected.get(`${hour} ${row.outcome}`) ?? 0) + 1);
        totals[row.outcome] += 1;
      }

      await page.goto(`${gateway.url}/admin/connections/${editId}`);
      const drawn = await page.locator('svg.usage-chart g.bucket rect').evaluateAll((rects) =>
        rects.map((rect) => [`${rect.parentElement!.getAttribute('data-start')} ${rect.getAttribute('data-outcome')}`, Number(rect.getAttribute('data-calls'))] as const),
      );
      expect(new Map(drawn)).toEqual(expected);
      const calls = totals.allowed + totals.denied + totals.error;
      const words = `${calls} calls: ${totals.allowed} allowed, ${totals.denied} denied, ${totals.error} Odoo error${totals.error === 1 ? '' : 's'}`;
      expect(await page.locator('#usage-chart-desc').textContent()).toContain(`Last 7 days: ${words}.`);
      expect(await page.locator('.usage-summary').textContent()).toContain(words);
      expect(await page.locator('li[data-tool="search_records"]').textContent()).toContain(`${calls} calls`);
      await page.getByRole('region', { name: 'Usage, last 7 days' }).screenshot({ path: path.join(screenshots, 'console-usage.png') });

      await page.goto(`${gateway.url}/admin/connections?q=${encodeURIComponent(editName)}`);
      const sparkline = page.locator(`tr[data-connection-id="${editId}"] svg.sparkline`);
      expect(await sparkline.getAttribute('aria-label')).toBe(`Last 7 days: ${words}`);
    });
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(browserProblems).toEqual([]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await context.cookies(gateway.url)).toEqual([]);
    await page.goto(`${gateway.url}/admin/connections`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  });

  it('slows sign-in after 10 wrong tokens a minute from one address: the 11th try is refused, even with the right token', async () => {
    const attempt = async (token: string) => {
      await page.goto(`${gateway.url}/admin/sign-in`);
      await page.getByLabel('Admin token').fill(token);
      const [answer] = await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      await page.waitForLoadState();
      return answer;
    };
    for (let tries = 0; tries < 10; tries += 1) {
      expect((await attempt(`wrong-token-${tries}`)).status()).toBe(401);
      await page.getByText('That is not the admin token.').waitFor();
    }
    const throttled = await attempt(gateway.adminToken);
    expect(throttled.status()).toBe(429);
    expect(Number(await throttled.headerValue('retry-after'))).toBeGreaterThan(0);
    await page.getByText(/Too many failed sign-ins from this address\. Try again in \d+ seconds\./).waitFor();
    expect(await context.cookies(gateway.url)).toEqual([]);
  });
});
