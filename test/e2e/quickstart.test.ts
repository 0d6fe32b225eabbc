import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-gateway';

/**
 * `npm start` twice on the same local state: the second start reuses the
 * Quickstart connection and rotates its key instead of adding another
 * full-access connection.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';

interface Started {
  child: ChildProcess;
  url: string;
  adminToken: string;
  key: string;
  output: string;
}

let stateDir: string;
let port: number;
let running: Started | undefined;

async function npmStart(): Promise<Started> {
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), GATEWAY_STATE_DIR: stateDir };
  for (const name of ['ODOO_URL', 'ODOO_DB', 'ODOO_LOGIN', 'ODOO_API_KEY', 'ODOO_API']) delete environment[name];
  const child = spawn('npm', ['start'], { cwd: ROOT, env: environment, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 120 s:\n${output}`)), 120_000);
    const check = () => {
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  const key = /Quickstart key \([^)]*\): (omcp_\S+)/.exec(output)?.[1];
  const adminToken = /Admin token: (\S+)/.exec(output)?.[1];
  if (!key || !adminToken) throw new Error(`npm start printed no key or admin token:\n${output}`);
  return { child, url: `http://127.0.0.1:${port}`, adminToken, key, output };
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  process.kill(-started.child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-started.child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function initialize(url: string, key: string): Promise<number> {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'quickstart-e2e', version: '1' } } }),
  });
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-quickstart-'));
  port = await freePort();
});

afterAll(async () => {
  if (running) await stop(running);
  await rm(stateDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('reuses one Quickstart connection across two starts and rotates its key', async () => {
    const first = await npmStart();
    running = first;
    expect(first.output).not.toContain('no longer works');
    expect(await initialize(first.url, first.key)).toBe(200);
    await stop(first);

    const second = await npmStart();
    running = second;
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.key).not.toBe(first.key);
    expect(second.output).toContain('the key of the last start no longer works');
    expect(await initialize(second.url, first.key)).toBe(401);
    expect(await initialize(second.url, second.key)).toBe(200);

    const listed = await fetch(`${second.url}/admin/api/connections?q=Quickstart`, { headers: { authorization: `Bearer ${second.adminToken}` } });
    const items = ((await listed.json()) as { items: Array<{ name: string; status: string }> }).items;
    expect(items.map((item) => item.name)).toEqual(['Quickstart']);

    // What an admin sees: one Quickstart row in the console's list.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${second.url}/admin/sign-in`);
      await page.getByLabel('Admin token').fill(second.adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${second.url}/admin/connections`);
      expect(await page.locator('#connections tbody tr[data-connection-id]', { hasText: 'Quickstart' }).count()).toBe(1);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
