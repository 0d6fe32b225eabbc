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
 * The approval flow as an admin goes through it in Chromium, against `wrangler dev`, with a real MCP
 * client waiting. Screenshots go to docs/ with CONSOLE_SCREENSHOTS=1, else to the state folder.
 */
const DOCS = path.resolve(import.meta.dirname, '../../docs');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let gateway: LocalGateway;
let stateDir: string;
let screenshots: string;
let context: BrowserContext;
let page: Page;
let client: Client;
let connectionId = '';
const browserProblems: string[] = [];

async function admin(pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gateway.url}/admin/api${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

async function heldCall(ids: number[]): Promise<string> {
  const result = (await client.callTool({ name: 'delete_records', arguments: { model: 'crm.lead', ids } })) as CallToolResult;
  expect(result.isError).toBe(true);
  const structured = result.structuredContent as { status: string; approval_id: string };
  expect(structured.status).toBe('approval_required');
  return structured.approval_id;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `console-${name}.png`), fullPage: true });
}

async function confirmAction(button: string, expectedText: RegExp, note?: string, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toMatch(expectedText);
  if (note !== undefined) await dialog.getByLabel(/Note for the client/).fill(note);
  if (screenshot) await shot(screenshot);
  await dialog.getByRole('button', { name: button, exact: true }).click();
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-approvals-'));
  screenshots = process.env.CONSOLE_SCREENSHOTS === '1' ? DOCS : path.join(stateDir, 'screenshots');
  await mkdir(screenshots, { recursive: true });
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
  context = await chromium.launchPersistentContext(path.join(stateDir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 860 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => browserProblems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) browserProblems.push(message.text());
  });
  const created = await admin('/connections', {
    method: 'POST',
    body: JSON.stringify({ name: 'Lead cleaner', scope: { preset: 'full', approvals: [{ models: ['crm.lead'], operations: ['delete'] }] } }),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { key: string; connection: { id: string } };
  connectionId = body.connection.id;
  client = new Client({ name: 'approvals-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${body.key}` } } }));
}, 180_000);

afterAll(async () => {
  await client?.close();
  await context?.close();
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('approvals in the console, in Chromium', () => {
  let approvedId = '';

  it('signs in and shows the pending count in the navigation', async () => {
    approvedId = await heldCall([1]);
    await page.goto(`${gateway.url}/admin`);
    await page.getByLabel('Admin token').fill(gateway.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${gateway.url}/admin/connections`);
    expect(await page.locator('[data-pending-approvals]').getAttribute('data-pending-approvals')).toBe('1');
  });

  it('lists the pending call; its page shows the arguments and what it would change', async () => {
    await page.getByRole('link', { name: /^Approvals/ }).click();
    await page.waitForURL(/\/admin\/approvals$/);
    const row = page.locator(`tr[data-approval-id="${approvedId}"]`);
    expect(await row.textContent()).toContain('Lead cleaner');
    await shot('approvals');
    await row.getByRole('link').first().click();
    await page.waitForURL(`${gateway.url}/admin/approvals/${approvedId}`);
    expect(await page.locator('.would-change').textContent()).toBe('Deletes crm.lead records 1; this cannot be undone.');
    expect(await page.locator('pre.json').first().textContent()).toContain('"crm.lead"');
    await shot('approval');
  });

  it('a form without the CSRF token is refused and runs nothing', async () => {
    const forged = await page.request.post(`${gateway.url}/admin/approvals/${approvedId}/approve`, { form: { note: 'forged' }, headers: { origin: gateway.url } });
    expect(forged.status()).toBe(403);
    const detail = (await (await admin(`/approvals/${approvedId}`)).json()) as { status: string };
    expect(detail.status).toBe('pending');
  });

  it('approves after a confirmation: the call runs once and the client gets its result', async () => {
    await confirmAction('Approve and run', /runs once, now, exactly as shown/, 'checked', 'approval-confirm');
    await page.getByText('Approved: the call ran once').waitFor();
    await shot('approval-executed');
    expect(await page.locator('.page-head .badge').textContent()).toBe('Executed');
    expect(await page.locator('.approval-result').textContent()).toContain('"deleted": true');
    const status = (await client.callTool({ name: 'approval_status', arguments: { approval_id: approvedId } })) as CallToolResult;
    expect(status.structuredContent).toMatchObject({ status: 'executed', note: 'checked' });
  });

  it('denies after a confirmation, with a note the client reads', async () => {
    const deniedId = await heldCall([2]);
    await page.goto(`${gateway.url}/admin/approvals/${deniedId}`);
    await confirmAction('Deny', /never runs/, 'ask the sales team first');
    await page.getByText('Denied: the call will never run').waitFor();
    expect(await page.locator('.approval-note').textContent()).toBe('ask the sales team first');
    const repeated = (await client.callTool({ name: 'delete_records', arguments: { model: 'crm.lead', ids: [2] } })) as CallToolResult;
    expect((repeated.content as Array<{ text: string }>)[0]!.text).toContain('ask the sales team first');
  });

  it("the connection page lists the connection's approvals, and the count is gone", async () => {
    await page.goto(`${gateway.url}/admin/connections/${connectionId}`);
    const section = page.locator('section[aria-labelledby="approvals-title"]');
    await section.waitFor();
    expect(await section.locator('tbody tr').count()).toBe(2);
    expect(await section.textContent()).toContain('Executed');
    expect(await section.textContent()).toContain('Denied');
    expect(await page.locator('[data-pending-approvals]').count()).toBe(0);
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(browserProblems).toEqual([]);
  });
});
