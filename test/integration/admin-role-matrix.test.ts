import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { ADMIN_ROLES, roleAllows, type AdminRole } from '../../src/admins/actor';
import { declaredRole } from '../../src/admin/route-roles';
import { expectJson, watchAuditQueue } from '../support/connections-api';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

/** Every /admin/api route the app serves, from Hono's own registry: a route added anywhere shows up here. */
const SERVED = [...new Map(app.routes.filter((route) => route.path.startsWith('/admin/api/') && route.method !== 'ALL').map((route) => [`${route.method} ${route.path}`, route])).values()];

const tokens = {} as Record<AdminRole, string>;
let connectionId: string;

beforeEach(async () => {
  if (connectionId) return;
  for (const role of ADMIN_ROLES) {
    const created = await expectJson(await adminRequest('/admin/api/admin-tokens', { method: 'POST', json: { name: `matrix ${role}`, role } }), 201);
    tokens[role] = created.token;
  }
  connectionId = (await createConnection({ name: 'matrix target', scope: { preset: 'read_only' } })).connection.id;
});

function pathFor(path: string, id: string): string {
  return path.replace(/:sid\b/, 'ses_missing').replace(/:id\b/, id);
}

async function call(role: AdminRole, method: string, path: string): Promise<Response> {
  return adminRequest(path, {
    method,
    headers: { authorization: `Bearer ${tokens[role]}` },
    ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
  });
}

async function snapshot(): Promise<string> {
  const tables = ['connections', 'mcp_sessions', 'odoo_accounts', 'admin_tokens', 'oauth_invitations'];
  const results = await env.DB.batch(tables.map((table) => env.DB.prepare(`SELECT * FROM ${table} ORDER BY rowid`)));
  return JSON.stringify(results.map((result) => result.results));
}

describe('the role matrix over every admin route', () => {
  it('finds the routes (the matrix is not empty)', () => {
    expect(SERVED.length).toBeGreaterThanOrEqual(23);
  });

  it.each(SERVED.map((route) => [`${route.method} ${route.path}`]))('%s declares a role', (label) => {
    const [method, path] = label.split(' ') as [string, string];
    expect(declaredRole(method, path), `${label} declares no role: declare the route with defineRoute (src/admin/define-route.ts) in src/admin/api-routes.ts`).toBeDefined();
  });

  it('never lets a viewer write, and keeps admin tokens and Odoo account changes to owners', () => {
    for (const route of SERVED) {
      const role = declaredRole(route.method, route.path);
      if (role === 'public') continue;
      if (route.method !== 'GET') expect(role, `${route.method} ${route.path}`).not.toBe('viewer');
      if (route.path.includes('/admin-tokens') || (route.path.includes('/odoo-accounts') && route.method !== 'GET')) expect(role, route.path).toBe('owner');
    }
  });

  it.each(ADMIN_ROLES.map((role) => [role]))('%s gets exactly the routes its role reaches, and a refusal changes nothing and is audited', async (role) => {
    const audit = watchAuditQueue();
    for (const route of SERVED) {
      const needed = declaredRole(route.method, route.path);
      if (needed === 'public' || needed === undefined) continue;
      const label = `${role} → ${route.method} ${route.path}`;
      const before = await snapshot();
      // A refused call uses the real connection, so "nothing changed" means something; an allowed one a missing id (no side effects).
      const allowed = roleAllows(role, needed);
      const response = await call(role, route.method, pathFor(route.path, allowed ? 'con_missing' : connectionId));
      if (allowed) {
        expect([401, 403, 500], `${label}: ${response.status} ${await response.clone().text()}`).not.toContain(response.status);
      } else {
        expect(response.status, label).toBe(403);
        const body = (await response.json()) as { error: { code: string; message: string; details: { required_role: string; role: string } } };
        expect(body.error, label).toMatchObject({ code: 'forbidden', details: { required_role: needed, role } });
        expect(body.error.message, label).toContain(needed);
        expect(await snapshot(), label).toBe(before);
      }
      if (!response.bodyUsed) await response.text();
    }
    const refused = audit.adminActions().filter((event) => event.method === 'admin.refused');
    const expectedRefusals = SERVED.filter((route) => {
      const needed = declaredRole(route.method, route.path);
      return needed !== 'public' && needed !== undefined && !roleAllows(role, needed);
    });
    expect(refused).toHaveLength(expectedRefusals.length);
    for (const event of refused) {
      expect(event).toMatchObject({ outcome: 'denied', denialCode: 'role_insufficient', detail: { actor: { kind: 'token', name: `matrix ${role}` }, role } });
    }
    if (role === 'viewer') expect(expectedRefusals.length).toBeGreaterThanOrEqual(12);
    if (role === 'owner') expect(expectedRefusals).toHaveLength(0);
  });
});
