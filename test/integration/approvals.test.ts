import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectionAction, expectJson, runCron, watchAuditQueue, type Json } from '../support/connections-api';
import { adminRequest, textOf } from '../support/gateway';
import { useScopedGateway, type ScopedClient } from './scopes-helpers';

const { connectWithScope } = useScopedGateway();

const SCOPE = {
  preset: 'full',
  approvals: [
    { models: ['crm.lead'], operations: ['delete'] },
    { models: ['sale.order'], methods: ['action_confirm'] },
    { models: ['res.partner'], write_fields: ['email'] },
    { models: ['sale.order.line'], write_fields: ['product_uom_qty'] },
  ],
};

async function call(scoped: ScopedClient, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await scoped.client.callTool({ name, arguments: args })) as CallToolResult;
}

function heldId(result: CallToolResult): string {
  expect(result.isError).toBe(true);
  const structured = result.structuredContent as { status: string; approval_id: string; expires_at: string };
  expect(structured.status).toBe('approval_required');
  expect(structured.approval_id).toMatch(/^apr_[0-9a-f]{32}$/);
  expect(textOf(result)).toContain('Not executed');
  expect(textOf(result)).toContain(structured.approval_id);
  expect(textOf(result)).toContain(structured.expires_at);
  return structured.approval_id;
}

const approve = (id: string, note?: string) => adminRequest(`/admin/api/approvals/${id}/approve`, { method: 'POST', ...(note ? { json: { note } } : {}) });
const deny = (id: string, note?: string) => adminRequest(`/admin/api/approvals/${id}/deny`, { method: 'POST', ...(note ? { json: { note } } : {}) });
const unlinks = (scoped: ScopedClient) => scoped.odoo.methods().filter((method) => method === 'crm.lead.unlink').length;

describe('a call an approval rule matches', () => {
  it('waits, runs once when approved, and answers the repeated call and approval_status from the stored result', async () => {
    const scoped = await connectWithScope(SCOPE);
    const held = await call(scoped, 'delete_records', { model: 'crm.lead', ids: [1] });
    const id = heldId(held);
    expect(unlinks(scoped)).toBe(0);

    const pendingAgain = await call(scoped, 'delete_records', { ids: [1], model: 'crm.lead' });
    expect(heldId(pendingAgain)).toBe(id);

    const detail = await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200);
    expect(detail).toMatchObject({ status: 'pending', tool: 'delete_records', model: 'crm.lead', arguments: { model: 'crm.lead', ids: [1] }, rule: 'delete on crm.lead' });
    expect(detail.would_change).toContain('Deletes crm.lead records 1');
    expect(detail.connection.id).toBe(scoped.connection.id);

    const approved = await expectJson(await approve(id, 'checked with sales'), 200);
    expect(approved).toMatchObject({ status: 'executed', decided_by: 'the bootstrap admin token', note: 'checked with sales' });
    expect(unlinks(scoped)).toBe(1);

    const repeated = await call(scoped, 'delete_records', { model: 'crm.lead', ids: [1] });
    expect(repeated.isError).toBeFalsy();
    expect(repeated.structuredContent).toEqual({ model: 'crm.lead', ids: [1], deleted: true });
    expect(unlinks(scoped)).toBe(1);

    const status = await call(scoped, 'approval_status', { approval_id: id });
    expect(status.structuredContent).toMatchObject({ approval_id: id, status: 'executed', result: { structuredContent: { deleted: true } } });

    // The stored result is handed to the repeated call once; the next identical call asks for approval again.
    const third = await call(scoped, 'delete_records', { model: 'crm.lead', ids: [1] });
    expect(heldId(third)).not.toBe(id);
    expect(unlinks(scoped)).toBe(1);
  });

  it('a denied call answers the denial with the note, to approval_status and to the repeated call', async () => {
    const scoped = await connectWithScope(SCOPE);
    const id = heldId(await call(scoped, 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] }));
    expect(await expectJson(await deny(id, 'not before the customer signs'), 200)).toMatchObject({ status: 'denied', note: 'not before the customer signs' });
    const status = await call(scoped, 'approval_status', { approval_id: id });
    expect(status.structuredContent).toMatchObject({ status: 'denied', note: 'not before the customer signs', result: null });
    const repeated = await call(scoped, 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] });
    expect(repeated.isError).toBe(true);
    expect(textOf(repeated)).toBe(`Not executed: approval ${id} was denied: not before the customer signs.`);
    expect(scoped.odoo.methods()).not.toContain('sale.order.action_confirm');
    const again = await approve(id);
    expect(again.status).toBe(409);
    expect((await again.json<Json>()).error.message).toContain('denied by the bootstrap admin token');
  });

  it('expires after its TTL (the cron marks it), and then cannot be approved', async () => {
    const scoped = await connectWithScope({ ...SCOPE, approval_ttl_hours: 0.25 });
    const id = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [2] }));
    const detail = await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200);
    expect(Date.parse(detail.expires_at) - Date.parse(detail.requested_at)).toBe(15 * 60_000);
    await runCron(Date.parse(detail.expires_at) + 1);
    const row = await env.DB.prepare('SELECT status, decided_by FROM approvals WHERE id = ?').bind(id).first();
    expect(row).toEqual({ status: 'expired', decided_by: 'expiry' });
    const audited = await env.DB.prepare(`SELECT method, detail FROM audit_events WHERE method = 'approval.expire' AND detail LIKE ?`).bind(`%${id}%`).all();
    expect(audited.results).toHaveLength(1);
    expect((await approve(id)).status).toBe(409);
    expect(unlinks(scoped)).toBe(0);
    const status = await call(scoped, 'approval_status', { approval_id: id });
    expect(status.structuredContent).toMatchObject({ status: 'expired' });
  });

  it('revoking the connection expires its pending approvals', async () => {
    const scoped = await connectWithScope(SCOPE);
    const id = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [3] }));
    expect((await connectionAction(scoped.connection.id, 'revoke')).status).toBe(200);
    const row = await env.DB.prepare('SELECT status, decided_by FROM approvals WHERE id = ?').bind(id).first();
    expect(row).toEqual({ status: 'expired', decided_by: 'revocation' });
    const audited = await env.DB.prepare(`SELECT method FROM audit_events WHERE method = 'approval.expire' AND detail LIKE ?`).bind(`%${id}%`).all();
    expect(audited.results).toHaveLength(1);
    expect((await approve(id)).status).toBe(409);
    expect(unlinks(scoped)).toBe(0);
  });

  it('a scope narrowed between the request and the approval refuses to run the call, and says why', async () => {
    const scoped = await connectWithScope(SCOPE);
    const id = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [4] }));
    const patched = await adminRequest(`/admin/api/connections/${scoped.connection.id}`, { method: 'PATCH', json: { scope: { ...SCOPE, preset: 'read_only' } } });
    expect(patched.status).toBe(200);
    const approved = await expectJson(await approve(id), 200);
    expect(approved.status).toBe('failed');
    expect(approved.reason).toContain("current scope refuses the call");
    expect(approved.reason).toContain('delete');
    expect(unlinks(scoped)).toBe(0);
  });

  it('a changed argument is a new approval, not the old one', async () => {
    const scoped = await connectWithScope(SCOPE);
    const first = heldId(await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: 'a@example.com' } }));
    const second = heldId(await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: 'b@example.com' } }));
    expect(second).not.toBe(first);
    await expectJson(await approve(first), 200);
    const repeatedSecond = await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: 'b@example.com' } });
    expect(heldId(repeatedSecond)).toBe(second);
    // A write of fields no rule names runs at once.
    const free = await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { phone: '+1 555' } });
    expect(free.isError).toBeFalsy();
  });

  it('holds a write made through a nested x2many command', async () => {
    const scoped = await connectWithScope(SCOPE);
    const held = await call(scoped, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[1, 1, { product_uom_qty: 7 }]] } });
    const id = heldId(held);
    expect((await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200)).rule).toBe('sale.order.line.product_uom_qty written');
    expect(scoped.odoo.methods()).not.toContain('sale.order.write');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a sale order created under a partner (sale_order_ids [0, 0]) sets its partner_id', { sale_order_ids: [[0, 0, { name: 'x' }]] }, 'sale.order.partner_id written'],
    ['a contact created under a partner (child_ids [0, 0]) sets its parent_id', { child_ids: [[0, 0, { name: 'x' }]] }, 'res.partner.parent_id written'],
  ])('holds the inverse a nested create writes: %s', async (_label, values, rule) => {
    const scoped = await connectWithScope({
      preset: 'full',
      approvals: [
        { models: ['sale.order'], write_fields: ['partner_id'] },
        { models: ['res.partner'], write_fields: ['parent_id'] },
      ],
    });
    const held = await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values });
    const id = heldId(held);
    expect((await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200)).rule).toBe(rule);
    expect(scoped.odoo.methods()).not.toContain('res.partner.write');
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['a name search through a many2one', 'count_records', { model: 'crm.lead', domain: [['partner_id', 'ilike', 'Azure']] }],
    ['a path through a many2one', 'count_records', { model: 'crm.lead', domain: [['partner_id.email', 'ilike', '@example']] }],
    ['any on a many2one', 'search_records', { model: 'crm.lead', domain: [['partner_id', 'any', [['is_company', '=', true]]]], fields: ['name'] }],
    ['a sort key through a many2one', 'search_records', { model: 'crm.lead', domain: [], fields: ['name'], order: 'partner_id.name' }],
  ])('holds a search of a ruled model made from another model: %s', async (_label, tool, args) => {
    const scoped = await connectWithScope({ preset: 'read_only', approvals: [{ models: ['res.partner'], operations: ['query'] }] });
    const id = heldId(await call(scoped, tool, args));
    expect((await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200)).rule).toBe('query on res.partner');
    expect(scoped.odoo.methods().filter((method) => method.startsWith('crm.lead.') && method !== 'crm.lead.fields_get')).toEqual([]);
  });

  it('does not hold a search that compares a many2one by id, which searches no related model', async () => {
    const scoped = await connectWithScope({ preset: 'read_only', approvals: [{ models: ['res.partner'], operations: ['query'] }] });
    const result = await call(scoped, 'count_records', { model: 'crm.lead', domain: [['partner_id', 'in', [3, 4]]] });
    expect(result.isError).toBeFalsy();
  });

  it.each<[string, unknown]>([
    ['[5] (clear)', [[5]]],
    ['[6, 0, ids] (replace)', [[6, 0, [4]]]],
    ['false', false],
  ])('refuses to hold a nested %s that deletes lines the call does not name, storing nothing', async (_label, orderLine) => {
    const scoped = await connectWithScope({ preset: 'full', approvals: [{ models: ['sale.order.line'], operations: ['delete'] }] });
    const result = await call(scoped, 'update_records', { model: 'sale.order', ids: [2], values: { order_line: orderLine } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: 'approval_unbounded', rule: 'delete on sale.order.line' } });
    expect(textOf(result)).toContain('[2, id] deletes one');
    expect(scoped.odoo.methods()).not.toContain('sale.order.write');
    const listed = await expectJson(await adminRequest(`/admin/api/approvals?connection_id=${scoped.connection.id}`), 200);
    expect(listed.items).toEqual([]);
  });

  it('shows every rule a call matches and what its nested commands do, and holds a delete of named lines', async () => {
    const scoped = await connectWithScope({
      preset: 'full',
      approvals: [
        { models: ['res.partner'], write_fields: ['comment'] },
        { models: ['sale.order'], operations: ['delete'] },
      ],
    });
    const id = heldId(await call(scoped, 'update_records', { model: 'res.partner', ids: [11], values: { comment: 'hello', sale_order_ids: [[2, 2]] } }));
    const detail = await expectJson(await adminRequest(`/admin/api/approvals/${id}`), 200);
    expect(detail.rule).toBe('res.partner.comment written; delete on sale.order');
    expect(detail.would_change).toBe('Writes comment, sale_order_ids on res.partner records 11. Through nested commands and relations it also deletes sale.order records 2.');
    expect(scoped.odoo.methods()).not.toContain('res.partner.write');
  });

  it('a double approve runs the call once; the second gets a precise 409', async () => {
    const scoped = await connectWithScope(SCOPE);
    const id = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [5] }));
    const responses = await Promise.all([approve(id), approve(id)]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409]);
    const conflict = responses.find((response) => response.status === 409)!;
    expect((await conflict.json<Json>()).error).toMatchObject({ code: 'conflict', details: { status: expect.stringMatching(/^(approved|executed)$/) } });
    expect(unlinks(scoped)).toBe(1);
  });

  it('concurrent identical calls create exactly one approval', async () => {
    const scoped = await connectWithScope(SCOPE);
    const results = await Promise.all(Array.from({ length: 6 }, () => call(scoped, 'delete_records', { model: 'crm.lead', ids: [6] })));
    const ids = new Set(results.map(heldId));
    expect(ids.size).toBe(1);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM approvals WHERE connection_id = ?').bind(scoped.connection.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it('audits the request (the MCP call event), who approved and what ran, and who denied, each by name', async () => {
    const audit = watchAuditQueue();
    const send = vi.mocked(env.AUDIT_QUEUE.send);
    const scoped = await connectWithScope(SCOPE);
    const approvedId = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [8] }));
    const deniedId = heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [10] }));
    const operator = await expectJson(await adminRequest('/admin/api/admin-tokens', { method: 'POST', json: { name: 'Ana (sales ops)', role: 'operator' } }), 201);
    const asOperator = { authorization: `Bearer ${operator.token}` };
    await expectJson(await adminRequest(`/admin/api/approvals/${approvedId}/approve`, { method: 'POST', headers: asOperator }), 200);
    await expectJson(await deny(deniedId, 'no'), 200);
    const anaActor = { kind: 'token', id: operator.id, name: 'Ana (sales ops)' };
    const bootstrap = { kind: 'bootstrap', id: 'admin-token', name: 'ADMIN_TOKEN' };
    await vi.waitFor(() => {
      const steps = audit
        .adminActions()
        .filter((event) => String(event.method).startsWith('approval.'))
        .map((event) => [event.method, event.detail.approval_id, event.detail.actor]);
      expect(steps).toEqual([
        ['approval.approve', approvedId, anaActor],
        ['approval.execute', approvedId, anaActor],
        ['approval.deny', deniedId, bootstrap],
      ]);
    });
    await vi.waitFor(() => {
      const requested = send.mock.calls
        .map(([event]) => event as Json)
        .filter((event) => event.kind === 'mcp' && event.denialCode === 'approval_required')
        .map((event) => [event.tool, event.outcome, event.denialReason.includes(approvedId) || event.denialReason.includes(deniedId)]);
      expect(requested).toEqual([
        ['delete_records', 'denied', true],
        ['delete_records', 'denied', true],
      ]);
    });
    const rows = await env.DB.prepare('SELECT id, decided_by FROM approvals WHERE connection_id = ? ORDER BY requested_at').bind(scoped.connection.id).all();
    expect(rows.results.map((row) => row.decided_by)).toEqual([`Ana (sales ops) (${operator.id})`, 'the bootstrap admin token']);
  });

  it('refuses past 100 open approvals per connection, with a clear error', async () => {
    const scoped = await connectWithScope(SCOPE);
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: 100 }, (_, index) =>
        env.DB.prepare(
          `INSERT INTO approvals (id, connection_id, tool, arguments, digest, rule, status, requested_at, expires_at)
           VALUES (?, ?, 'delete_records', '{}', ?, '{"index":0,"matched":"x","rule":{}}', 'pending', ?, ?)`,
        ).bind(`apr_${index.toString(16).padStart(32, '0')}`, scoped.connection.id, `digest-${index}`, now, now + 3_600_000),
      ),
    );
    const refused = await call(scoped, 'delete_records', { model: 'crm.lead', ids: [1] });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { code: 'approval_limit', limit: 100 } });
    expect(textOf(refused)).toContain('already has 100 approvals waiting');
    expect(unlinks(scoped)).toBe(0);
  });

  it('refuses a call needing approval whose arguments pass 64 KiB, audited, storing nothing', async () => {
    watchAuditQueue();
    const send = vi.mocked(env.AUDIT_QUEUE.send);
    const scoped = await connectWithScope(SCOPE);
    const refused = await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: `${'x'.repeat(70_000)}@example.com` } });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { code: 'approval_arguments_too_large', max_bytes: 65_536 } });
    expect(textOf(refused)).toContain('an approval stores at most 65536');
    expect(scoped.odoo.methods()).not.toContain('res.partner.write');
    const rows = await env.DB.prepare('SELECT id FROM approvals WHERE connection_id = ?').bind(scoped.connection.id).all();
    expect(rows.results).toEqual([]);
    await vi.waitFor(() => {
      const codes = send.mock.calls.map(([event]) => event as Json).filter((event) => event.kind === 'mcp' && event.tool === 'update_records').map((event) => [event.outcome, event.denialCode]);
      expect(codes).toEqual([['denied', 'approval_arguments_too_large']]);
    });
    // Just under the bound is still held.
    heldId(await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: `${'x'.repeat(60_000)}@example.com` } }));
  });

  it('approval_status answers only approvals of the calling connection', async () => {
    const owner = await connectWithScope(SCOPE);
    const other = await connectWithScope(SCOPE);
    const id = heldId(await call(owner, 'delete_records', { model: 'crm.lead', ids: [1] }));
    const foreign = await call(other, 'approval_status', { approval_id: id });
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toContain(`no approval '${id}' for this connection`);
  });

  it('a scope without rules does not list approval_status', async () => {
    const scoped = await connectWithScope({ preset: 'full' });
    const { tools } = await scoped.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('approval_status');
    const held = await connectWithScope(SCOPE);
    expect((await held.client.listTools()).tools.map((tool) => tool.name)).toContain('approval_status');
  });
});

describe('approval rules are validated when the scope is saved', () => {
  it.each<[string, unknown, string, string]>([
    ['a rule with nothing to hold', [{ models: ['sale.order'] }], 'scope.approvals.0', 'an approval rule needs operations, methods or write_fields'],
    ['a bad pattern', [{ models: ['sale order'], operations: ['delete'] }], 'scope.approvals.0.models.0', 'is not a model name or pattern'],
  ])('refuses %s', async (_label, rules, path, message) => {
    const response = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'bad rules', scope: { preset: 'full', approvals: rules } } });
    const body = await expectJson(response, 400);
    expect(body.error.details.issues).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('refuses a mixed-case deny_models entry, which could never match, naming the path', async () => {
    const response = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'bad deny', scope: { preset: 'full', deny_models: ['Sale.Order'] } } });
    const body = await expectJson(response, 400);
    expect(body.error.details.issues).toEqual([{ path: 'scope.deny_models.0', message: "'Sale.Order' can never match: Odoo model names are lower case (use 'sale.order')" }]);
  });

  it('refuses a TTL out of bounds', async () => {
    const response = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'bad ttl', scope: { preset: 'full', approval_ttl_hours: 200 } } });
    const body = await expectJson(response, 400);
    expect(body.error.details.issues).toEqual([{ path: 'scope.approval_ttl_hours', message: 'approval_ttl_hours must be at most 168 (7 days)' }]);
  });
});

describe('the admin list', () => {
  it('filters by status, connection and model, and pages with a cursor', async () => {
    const scoped = await connectWithScope(SCOPE);
    const ids = [];
    for (const id of [1, 2, 3]) ids.push(heldId(await call(scoped, 'delete_records', { model: 'crm.lead', ids: [id] })));
    const partner = heldId(await call(scoped, 'update_records', { model: 'res.partner', ids: [3], values: { email: 'x@example.com' } }));
    await deny(ids[0]!);
    const base = `/admin/api/approvals?connection_id=${scoped.connection.id}`;
    const pending = await expectJson(await adminRequest(`${base}&status=pending&model=crm.lead&limit=1`), 200);
    expect(pending.items.map((item: Json) => item.id)).toEqual([ids[2]]);
    const next = await expectJson(await adminRequest(`${base}&status=pending&model=crm.lead&limit=1&cursor=${pending.next_cursor}`), 200);
    expect(next.items.map((item: Json) => item.id)).toEqual([ids[1]]);
    expect(next.next_cursor).toBeNull();
    const all = await expectJson(await adminRequest(base), 200);
    expect(all.items.map((item: Json) => item.id)).toEqual([partner, ids[2], ids[1], ids[0]]);
    expect((await adminRequest('/admin/api/approvals?status=open')).status).toBe(400);
    expect((await adminRequest('/admin/api/approvals?cursor=garbage!')).status).toBe(400);
    expect((await adminRequest(`/admin/api/approvals/${ids[1]}/deny`, { method: 'POST', json: { note: 'x'.repeat(1001) } })).status).toBe(400);
  });
});
