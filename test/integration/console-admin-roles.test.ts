import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { expectJson, watchAuditQueue } from '../support/connections-api';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { ConsoleBrowser } from './console-helpers';

useStandinOdoo();

async function tokenFor(name: string, role: string): Promise<{ id: string; token: string }> {
  return expectJson(await adminRequest('/admin/api/admin-tokens', { method: 'POST', json: { name, role } }), 201);
}

describe('the console signed in with a named admin token', () => {
  it('shows a viewer who is signed in, hides the changes, and the server refuses them anyway', async () => {
    const viewer = await tokenFor('auditor', 'viewer');
    const target = await createConnection({ name: 'console viewer target', scope: { preset: 'read_only' } });
    const browser = new ConsoleBrowser();
    expect((await browser.signIn(viewer.token)).status).toBe(303);

    const list = await (await browser.get('/admin/connections')).text();
    expect(list).toContain(`Signed in as <strong>auditor (${viewer.id})</strong> · viewer`);
    expect(list).not.toContain('Connect a new tool');
    const page = await (await browser.get(`/admin/connections/${target.connection.id}`)).text();
    expect(page).toContain('id="read-only-role"');
    expect(page).not.toContain('Rotate key');
    expect(page).toContain('Created by');
    const accounts = await (await browser.get('/admin/accounts')).text();
    expect(accounts).toContain('id="accounts-owner-only"');
    expect(accounts).not.toContain('Check and add');

    const audit = watchAuditQueue();
    const csrf = await browser.csrfToken();
    const response = await browser.post(`/admin/connections/${target.connection.id}/revoke`, { _csrf: csrf, reason: 'viewer tried' });
    expect(response.status).not.toBe(303);
    const row = await env.DB.prepare('SELECT state FROM connections WHERE id = ?').bind(target.connection.id).first<{ state: string }>();
    expect(row!.state).toBe('active');
    expect(audit.adminActions().some((event) => event.method === 'admin.refused' && event.detail.actor.id === viewer.id)).toBe(true);
  });

  it('lets an operator act, attributed to the token, and a revoked token ends its console session on the next request', async () => {
    const operator = await tokenFor('ops', 'operator');
    const target = await createConnection({ name: 'console operator target', scope: { preset: 'read_only' } });
    const browser = new ConsoleBrowser();
    expect((await browser.signIn(operator.token)).status).toBe(303);
    const page = await (await browser.get(`/admin/connections/${target.connection.id}`)).text();
    expect(page).toContain('Rotate key');
    const response = await browser.post(`/admin/connections/${target.connection.id}/revoke`, { _csrf: await browser.csrfToken(), reason: 'done' });
    expect(response.status).toBe(303);
    const revoked = await expectJson(await adminRequest(`/admin/api/connections/${target.connection.id}`), 200);
    expect(revoked.revoked_by).toEqual({ kind: 'token', id: operator.id, name: 'ops' });
    expect(await (await browser.get(`/admin/connections/${target.connection.id}`)).text()).toContain(`Revoked by`);

    await expectJson(await adminRequest(`/admin/api/admin-tokens/${operator.id}/revoke`, { method: 'POST' }), 200);
    const after = await browser.get('/admin/connections');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  });

  it('refuses a revoked token at sign-in, and counts it as a failed sign-in', async () => {
    const gone = await tokenFor('gone', 'owner');
    await expectJson(await adminRequest(`/admin/api/admin-tokens/${gone.id}/revoke`, { method: 'POST' }), 200);
    const response = await new ConsoleBrowser().signIn(gone.token);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('That admin token was revoked.');
  });
});
