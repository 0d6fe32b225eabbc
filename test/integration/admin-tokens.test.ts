import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { expectJson, watchAuditQueue } from '../support/connections-api';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function newToken(json: Record<string, unknown>): Promise<{ id: string; name: string; role: string; token: string; expires_at: string | null }> {
  return expectJson(await adminRequest('/admin/api/admin-tokens', { method: 'POST', json }), 201);
}

describe('named admin tokens', () => {
  it('are shown once, recognisable, stored as a hash, and listed with their last use', async () => {
    const created = await newToken({ name: 'ci script', role: 'viewer' });
    expect(created).toMatchObject({ id: expect.stringMatching(/^adt_/), name: 'ci script', role: 'viewer', expires_at: null });
    expect(created.token).toMatch(/^oadm_[a-z2-7]{12}_[0-9A-Za-z]{38}$/);
    const row = await env.DB.prepare('SELECT * FROM admin_tokens WHERE id = ?').bind(created.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(created.token.slice(18));
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    await expectJson(await adminRequest('/admin/api/connections', { headers: as(created.token) }), 200);
    const list = await expectJson(await adminRequest('/admin/api/admin-tokens'), 200);
    const listed = list.items.find((item: { id: string }) => item.id === created.id);
    expect(listed).toMatchObject({ status: 'active', role: 'viewer', created_by: { kind: 'bootstrap' } });
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(list).toHaveProperty('next_cursor');
  });

  it('stop working on the very next request after revocation', async () => {
    const created = await newToken({ name: 'to revoke', role: 'operator' });
    await expectJson(await adminRequest('/admin/api/connections', { headers: as(created.token) }), 200);
    const revoked = await expectJson(await adminRequest(`/admin/api/admin-tokens/${created.id}/revoke`, { method: 'POST' }), 200);
    expect(revoked).toMatchObject({ status: 'revoked', revoked_by: { kind: 'bootstrap' } });
    const refused = await adminRequest('/admin/api/connections', { headers: as(created.token) });
    expect(refused.status).toBe(401);
    expect((await refused.json()) as unknown).toMatchObject({ error: { code: 'unauthorized', message: 'This admin token was revoked.' } });
    expect((await adminRequest(`/admin/api/admin-tokens/${created.id}/revoke`, { method: 'POST' })).status).toBe(409);
  });

  it('stop working once expired', async () => {
    const created = await newToken({ name: 'short lived', role: 'owner', expires_at: new Date(Date.now() + 60_000).toISOString() });
    await env.DB.prepare('UPDATE admin_tokens SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, created.id).run();
    const refused = await adminRequest('/admin/api/connections', { headers: as(created.token) });
    expect(refused.status).toBe(401);
    expect((await refused.json()) as unknown).toMatchObject({ error: { message: 'This admin token has expired.' } });
  });

  it.each([
    ['no name', { role: 'viewer' }, 'name'],
    ['an unknown role', { name: 'x', role: 'admin' }, 'role'],
    ['an expiry in the past', { name: 'x', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
    ['an expiry that is not a time', { name: 'x', role: 'viewer', expires_at: 'tomorrow' }, 'expires_at'],
    ['an unknown field', { name: 'x', role: 'viewer', scope: 'all' }, 'scope'],
  ])('refuses %s precisely', async (_label, json, path) => {
    const response = await adminRequest('/admin/api/admin-tokens', { method: 'POST', json });
    const body = await expectJson(response, 400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it('refuses a malformed token and an oadm_ token with a bad checksum', async () => {
    const created = await newToken({ name: 'typo', role: 'viewer' });
    const typo = `${created.token.slice(0, -1)}${created.token.endsWith('a') ? 'b' : 'a'}`;
    expect((await adminRequest('/admin/api/connections', { headers: as(typo) })).status).toBe(401);
  });
});

describe('attribution end to end', () => {
  it('two operators rotate and revoke: the audit, the filter and the connection name each', async () => {
    const ana = await newToken({ name: 'ana', role: 'operator' });
    const bo = await newToken({ name: 'bo', role: 'operator' });
    const audit = watchAuditQueue();
    const created = await expectJson(
      await adminRequest('/admin/api/connections', { method: 'POST', headers: as(ana.token), json: { name: 'website form', scope: { preset: 'read_only' } } }),
      201,
    );
    const id = created.connection.id;
    expect(created.connection.created_by).toEqual({ kind: 'token', id: ana.id, name: 'ana' });
    await expectJson(await adminRequest(`/admin/api/connections/${id}/rotate`, { method: 'POST', headers: as(ana.token) }), 200);
    const revoked = await expectJson(await adminRequest(`/admin/api/connections/${id}/revoke`, { method: 'POST', headers: as(bo.token), json: { reason: 'leaked' } }), 200);
    expect(revoked).toMatchObject({ created_by: { id: ana.id, name: 'ana' }, revoked_by: { kind: 'token', id: bo.id, name: 'bo' } });

    const actions = audit.adminActions().filter((event) => event.connectionId === id);
    expect(actions.map((event) => [event.method, event.detail.actor.name])).toEqual([
      ['connection.create', 'ana'],
      ['connection.rotate', 'ana'],
      ['connection.revoke', 'bo'],
    ]);

    // The stored trail, filtered by actor.
    const byBo: { items: Array<{ method: string; connection_id: string }> } = await vi.waitFor(async () => {
      const page = await expectJson(await adminRequest(`/admin/api/audit?actor=${bo.id}`), 200);
      if (page.items.length === 0) throw new Error('the revoke event has not landed yet');
      return page;
    });
    expect(byBo.items.map((item) => [item.method, item.connection_id])).toEqual([['connection.revoke', id]]);
    const byAna = await expectJson(await adminRequest(`/admin/api/audit?actor=${ana.id}&connection_id=${id}`), 200);
    expect(byAna.items.map((item: { method: string }) => item.method).sort()).toEqual(['connection.create', 'connection.rotate']);
  });

  it('a bootstrap-token action names the bootstrap token', async () => {
    const audit = watchAuditQueue();
    const created = await createConnection({ name: 'by bootstrap', scope: { preset: 'read_only' } });
    expect(created.connection.created_by).toEqual({ kind: 'bootstrap', id: 'admin-token', name: 'ADMIN_TOKEN' });
    expect(audit.adminActions()[0].detail.actor).toEqual({ kind: 'bootstrap', id: 'admin-token', name: 'ADMIN_TOKEN' });
  });
});
