import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

/**
 * The console in Chromium against `wrangler dev`, signed in through Cloudflare Access (a JWT signed
 * here, its key set served on loopback) and through a named admin token.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TEAM = 'gateway-tests.cloudflareaccess.com';
const AUD = 'e2e-aud-tag';

let gateway: LocalGateway;
let stateDir: string;
let certs: Server;
let browser: Browser;
let signingKey: CryptoKey;

async function accessJwt(email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email, type: 'app' })
    .setProtectedHeader({ alg: 'ES256', kid: 'e2e-1' })
    .setAudience(AUD)
    .setIssuer(`https://${TEAM}`)
    .setSubject(`sub-${email}`)
    .setIssuedAt(now - 10)
    .setNotBefore(now - 10)
    .setExpirationTime(now + 600)
    .sign(signingKey);
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  signingKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'e2e-1', alg: 'ES256', use: 'sig' };
  certs = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => certs.listen(0, '127.0.0.1', resolve));
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-admins-'));
  gateway = await startLocalGateway({
    port: await freePort(),
    stateDir,
    quiet: true,
    vars: {
      ACCESS_TEAM_DOMAIN: TEAM,
      ACCESS_AUD: AUD,
      ACCESS_CERTS_URL: `http://127.0.0.1:${(certs.address() as AddressInfo).port}/cdn-cgi/access/certs`,
      ACCESS_ADMINS: 'operator:ana@example.com',
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await new Promise<void>((resolve) => (certs ? certs.close(() => resolve()) : resolve()));
  await rm(stateDir, { recursive: true, force: true });
});

describe('the console signed in by admins as people', () => {
  it('opens through Cloudflare Access with no token form, showing who is signed in and their role', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Cf-Access-Jwt-Assertion': await accessJwt('Ana@Example.com') } });
    const page = await context.newPage();
    await page.goto(`${gateway.url}/admin/connections`);
    expect(new URL(page.url()).pathname).toBe('/admin/connections');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.signed-in-as').textContent()).toMatch(/ana@example\.com\s*·\s*operator/);
    expect(await page.getByRole('link', { name: 'Connect a new tool' }).count()).toBe(1);
    await context.close();
  });

  it('refuses an Access email with no role, saying so', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Cf-Access-Jwt-Assertion': await accessJwt('eve@example.com') } });
    const page = await context.newPage();
    const response = await page.goto(`${gateway.url}/admin/connections`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    expect(response!.status()).toBe(403);
    await page.getByText('eve@example.com has no admin role').waitFor();
    await context.close();
  });

  it('signs in with a named viewer token and hides what a viewer cannot do', async () => {
    const created = await fetch(`${gateway.url}/admin/api/admin-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'auditor', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gateway.url}/admin/sign-in`);
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${gateway.url}/admin/connections`);
    expect(await page.locator('.signed-in-as').textContent()).toContain(`auditor (${id})`);
    expect(await page.locator('.signed-in-as').textContent()).toContain('viewer');
    expect(await page.getByRole('link', { name: 'Connect a new tool' }).count()).toBe(0);
    await context.close();
  });
});
