import { SELF } from 'cloudflare:test';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateKey } from '../../src/keys/format';
import { connectClient, createConnection, GATEWAY } from '../support/gateway';
import {
  aiAssistantScope,
  importScriptScope,
  n8nPartnerCommentsScope,
  nightlyStatsSyncScope,
  websiteFormScope,
} from '../unit/policy/examples';
import {
  callTool,
  callToolWithHeaders,
  datasetWithSalesStats,
  expectAllowed,
  expectRefused,
  expectSessionRefused,
  listedTools,
  setClock,
  useScopedGateway,
} from './scopes-helpers';

/** The five integrations of docs/scopes.md ("The five integrations, as five scopes"), each one scope, each driven through the MCP SDK client. */

const { connectWithScope } = useScopedGateway({ dataset: datasetWithSalesStats });

afterEach(() => {
  vi.useRealTimers();
});

describe('1. AI assistant: reads everything it may, writes only sale.order and crm.lead', () => {
  it('lists the reading and writing tools, without delete or methods', async () => {
    const { client } = await connectWithScope(aiAssistantScope);
    expect(await listedTools(client)).toEqual([
      'aggregate_records',
      'count_records',
      'create_records',
      'describe_model',
      'list_models',
      'read_records',
      'search_records',
      'update_records',
    ]);
  });

  it('reads any model it may and writes sale.order and crm.lead', async () => {
    const { client, odoo } = await connectWithScope(aiAssistantScope);
    const partners = expectAllowed<{ records: unknown[] }>(await callTool(client, 'search_records', { model: 'res.partner', fields: ['name'], limit: 3 }));
    expect(partners.records).toHaveLength(3);
    expectAllowed(await callTool(client, 'read_records', { model: 'account.move', ids: [1], fields: ['name'] }));
    expectAllowed(await callTool(client, 'count_records', { model: 'product.product' }));
    expectAllowed(await callTool(client, 'describe_model', { model: 'crm.stage' }));
    expectAllowed(await callTool(client, 'aggregate_records', { model: 'sale.order', group_by: ['state'], aggregates: ['amount_total:sum'] }));
    expectAllowed(await callTool(client, 'update_records', { model: 'sale.order', ids: [1], values: { client_order_ref: 'AI-1' } }));
    const lead = expectAllowed<{ ids: number[] }>(await callTool(client, 'create_records', { model: 'crm.lead', values: { name: 'Asked by the assistant' } }));
    expectAllowed(await callTool(client, 'update_records', { model: 'crm.lead', ids: lead.ids, values: { description: 'follow up' } }));
    expect(odoo.methods()).toEqual([
      'res.partner.search_read',
      'account.move.read',
      'product.product.search_count',
      'crm.stage.fields_get',
      'sale.order.formatted_read_group',
      // Every write checks its values against the model's fields.
      'sale.order.fields_get',
      'sale.order.write',
      'crm.lead.fields_get',
      'crm.lead.create',
      'crm.lead.fields_get',
      'crm.lead.write',
    ]);
  });

  it.each([
    ['update a partner', 'update_records', { model: 'res.partner', ids: [9], values: { name: 'x' } }, 'operation_not_allowed', ['update res.partner records', "'write'"]],
    ['create a product', 'create_records', { model: 'product.product', values: { name: 'x' } }, 'operation_not_allowed', ['create product.product records', "'create'"]],
    ['update an order line', 'update_records', { model: 'sale.order.line', ids: [1], values: { name: 'x' } }, 'operation_not_allowed', ['update sale.order.line records']],
    ['delete an order (a tool it does not list)', 'delete_records', { model: 'sale.order', ids: [1] }, 'operation_not_allowed', ['delete sale.order records', "'delete'"]],
    ['call a method', 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] }, 'operation_not_allowed', ['call methods on sale.order records', "'execute'"]],
    ['read API keys', 'search_records', { model: 'res.users.apikeys' }, 'sensitive_model', ["'res.users.apikeys'", 'credentials or system settings']],
  ] as const)('refuses to %s', async (_label, tool, args, code, mentions) => {
    const { client, odoo } = await connectWithScope(aiAssistantScope);
    expectRefused(await callTool(client, tool, { ...args }), code, ...mentions);
    expect(odoo.requests()).toHaveLength(0);
  });
});

describe('2. Website form: only creates crm.lead, only with its fields', () => {
  const formFields = { name: 'Website enquiry', contact_name: 'Ann Lee', email_from: 'ann@example.com', phone: '+32 2 555 01 01', description: 'Call me' };

  it('lists only create_records and creates a lead with the form fields', async () => {
    const { client, odoo } = await connectWithScope(websiteFormScope);
    expect(await listedTools(client)).toEqual(['create_records']);
    const created = expectAllowed<{ ids: number[] }>(await callTool(client, 'create_records', { model: 'crm.lead', values: formFields }));
    expect(created.ids).toHaveLength(1);
    expect(odoo.methods()).toEqual(['crm.lead.fields_get', 'crm.lead.create']);
  });

  it.each([
    ['a create with another field', { model: 'crm.lead', values: { ...formFields, user_id: 2 } }, 'field_not_writable', ["crm.lead: field 'user_id' may not be written by this connection"]],
    ['one bad record in a batch', { model: 'crm.lead', values: [formFields, { name: 'x', probability: 100 }] }, 'field_not_writable', ["field 'probability'"]],
    ['a partner', { model: 'res.partner', values: { name: 'x' } }, 'model_not_allowed', ["model 'res.partner'", 'not among the models of its scope']],
  ] as const)('refuses %s, naming it', async (_label, args, code, mentions) => {
    const { client, odoo } = await connectWithScope(websiteFormScope);
    expectRefused(await callTool(client, 'create_records', { ...args }), code, ...mentions);
    expect(odoo.requests()).toHaveLength(0);
  });

  it.each([
    ['search leads', 'search_records', { model: 'crm.lead' }, 'search crm.lead records'],
    ['read leads', 'read_records', { model: 'crm.lead', ids: [1] }, 'read crm.lead records'],
    ['update leads', 'update_records', { model: 'crm.lead', ids: [1], values: { name: 'x' } }, 'update crm.lead records'],
    ['describe leads', 'describe_model', { model: 'crm.lead' }, 'inspect the fields of crm.lead records'],
  ] as const)('refuses to %s', async (_label, tool, args, words) => {
    const { client, odoo } = await connectWithScope(websiteFormScope);
    expectRefused(await callTool(client, tool, { ...args }), 'operation_not_allowed', words);
    expect(odoo.requests()).toHaveLength(0);
  });
});

describe('3. Nightly sync: writes one model, only from one IP range, only 02:00-03:00 UTC', () => {
  const inRange = { 'CF-Connecting-IP': '198.51.100.23' };
  const insideWindow = '2026-03-04T02:30:00Z';

  it('works from the range inside the window', async () => {
    setClock(insideWindow);
    const { client } = await connectWithScope(nightlyStatsSyncScope, { headers: inRange });
    const created = expectAllowed<{ ids: number[] }>(
      await callTool(client, 'create_records', { model: 'x_sales_stats', values: { x_name: '2026-03-03', x_day: '2026-03-03', x_orders: 3, x_revenue: 812 } }),
    );
    expectAllowed(await callTool(client, 'update_records', { model: 'x_sales_stats', ids: created.ids, values: { x_orders: 4 } }));
    const found = expectAllowed<{ records: Array<{ x_orders: number }> }>(
      await callTool(client, 'search_records', { model: 'x_sales_stats', domain: [['x_day', '=', '2026-03-03']], fields: ['x_orders'] }),
    );
    expect(found.records).toEqual([{ id: created.ids[0], x_orders: 4 }]);
  });

  it('accepts the range written as an IPv4-mapped IPv6 address', async () => {
    setClock(insideWindow);
    const { client } = await connectWithScope(nightlyStatsSyncScope, { headers: { 'CF-Connecting-IP': '::ffff:198.51.100.23' } });
    expectAllowed(await callTool(client, 'count_records', { model: 'x_sales_stats' }));
  });

  it.each([
    ['an address outside the range', { 'CF-Connecting-IP': '203.0.113.9' }, ['does not accept calls from 203.0.113.9']],
    ['an allowed X-Forwarded-For without CF-Connecting-IP', { 'X-Forwarded-For': '198.51.100.23' }, ['client address is unknown']],
    ['an allowed X-Forwarded-For beside an outside CF-Connecting-IP', { 'CF-Connecting-IP': '203.0.113.9', 'X-Forwarded-For': '198.51.100.23' }, ['from 203.0.113.9']],
    ['an IPv6 address', { 'CF-Connecting-IP': '2001:db8::23' }, ['from 2001:db8::23']],
  ] as const)('refuses %s before calling Odoo (only CF-Connecting-IP counts)', async (_label, headers, mentions) => {
    setClock(insideWindow);
    await expectSessionRefused(connectWithScope(nightlyStatsSyncScope, { headers: { ...headers } }), 'ip_not_allowed', ...mentions);
    // A session opened in range, then a call from there.
    const scoped = await connectWithScope(nightlyStatsSyncScope, { headers: inRange });
    const refused = await callToolWithHeaders(scoped, { ...headers }, 'create_records', { model: 'x_sales_stats', values: { x_orders: 1 } });
    expectRefused(refused, 'ip_not_allowed', ...mentions);
    expect(scoped.odoo.requests()).toHaveLength(0);
  });

  it.each(['2026-03-04T01:59:00Z', '2026-03-04T03:00:00Z', '2026-03-04T14:00:00Z'])('refuses at %s, saying when calls are allowed', async (at) => {
    setClock(at);
    await expectSessionRefused(connectWithScope(nightlyStatsSyncScope, { headers: inRange }), 'outside_time_window', 'calls are allowed every day 02:00-03:00 UTC');
    // A session opened inside the window, then a call at that hour.
    setClock(insideWindow);
    const { client, odoo } = await connectWithScope(nightlyStatsSyncScope, { headers: inRange });
    setClock(at);
    expectRefused(await callTool(client, 'count_records', { model: 'x_sales_stats' }), 'outside_time_window', 'calls are allowed every day 02:00-03:00 UTC');
    expect(odoo.requests()).toHaveLength(0);
  });

  it('follows the clock within one session: allowed at 02:59, refused at 03:00', async () => {
    setClock('2026-03-04T02:59:00Z');
    const { client } = await connectWithScope(nightlyStatsSyncScope, { headers: inRange });
    expectAllowed(await callTool(client, 'count_records', { model: 'x_sales_stats' }));
    setClock('2026-03-04T03:00:00Z');
    expectRefused(await callTool(client, 'count_records', { model: 'x_sales_stats' }), 'outside_time_window');
  });

  it.each([
    ['another model', 'create_records', { model: 'crm.lead', values: { name: 'x' } }, 'model_not_allowed', ["model 'crm.lead'"]],
    ['a delete', 'delete_records', { model: 'x_sales_stats', ids: [1] }, 'operation_not_allowed', ['delete x_sales_stats records']],
  ] as const)('refuses %s inside the window', async (_label, tool, args, code, mentions) => {
    setClock(insideWindow);
    const { client, odoo } = await connectWithScope(nightlyStatsSyncScope, { headers: inRange });
    expectRefused(await callTool(client, tool, { ...args }), code, ...mentions);
    expect(odoo.requests()).toHaveLength(0);
  });

  describe('a window that crosses midnight (Fri 23:00-01:00 UTC)', () => {
    const overnight = { ...nightlyStatsSyncScope, time_windows: [{ days: ['fri'], start: '23:00', end: '01:00', tz: 'UTC' }] };

    it.each([
      ['Friday 23:30', '2026-03-06T23:30:00Z', true],
      ['Saturday 00:30, the night that began on Friday', '2026-03-07T00:30:00Z', true],
      ['Friday 22:59', '2026-03-06T22:59:00Z', false],
      ['Saturday 01:00', '2026-03-07T01:00:00Z', false],
      ['Friday 00:30, the night that began on Thursday', '2026-03-06T00:30:00Z', false],
      ['Saturday 23:30', '2026-03-07T23:30:00Z', false],
    ] as const)('%s -> allowed: %s', async (_label, at, allowed) => {
      setClock('2026-03-06T23:30:00Z'); // the session opens inside the window; the call comes at `at`
      const { client } = await connectWithScope(overnight, { headers: inRange });
      setClock(at);
      const result = await callTool(client, 'count_records', { model: 'x_sales_stats' });
      if (allowed) expectAllowed(result);
      else expectRefused(result, 'outside_time_window', 'Fri 23:00-01:00 (overnight) UTC');
    });
  });

  describe('a window in a zone with daylight saving (Mon-Fri 08:00-18:00 Europe/Brussels)', () => {
    const office = { ...nightlyStatsSyncScope, time_windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' }] };

    it.each([
      ['Friday before the change, 08:30 CET', '2026-03-27T07:30:00Z', true],
      ['Monday after the change, 08:30 CEST (07:30 in winter time)', '2026-03-30T06:30:00Z', true],
      ['Monday after the change, 18:30 CEST (17:30 in winter time)', '2026-03-30T16:30:00Z', false],
      ['Friday before the change, 17:30 CET', '2026-03-27T16:30:00Z', true],
    ] as const)('%s -> allowed: %s', async (_label, at, allowed) => {
      setClock('2026-03-27T07:30:00Z'); // the session opens inside the window; the call comes at `at`
      const { client } = await connectWithScope(office, { headers: inRange });
      setClock(at);
      const result = await callTool(client, 'count_records', { model: 'x_sales_stats' });
      if (allowed) expectAllowed(result);
      else expectRefused(result, 'outside_time_window', 'Mon-Fri 08:00-18:00 Europe/Brussels');
    });
  });
});

describe('4. n8n: reads res.partner, calls only message_post on it', () => {
  it('lists reading tools and call_method, and comments on a partner', async () => {
    const { client, odoo } = await connectWithScope(n8nPartnerCommentsScope);
    expect(await listedTools(client)).toEqual(['call_method', 'count_records', 'read_records', 'search_records']);
    const partners = expectAllowed<{ records: Array<{ id: number }> }>(
      await callTool(client, 'search_records', { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name', 'email'], limit: 2 }),
    );
    expect(partners.records).toHaveLength(2);
    expectAllowed(await callTool(client, 'read_records', { model: 'res.partner', ids: [9], fields: ['name'] }));
    const posted = expectAllowed<{ result: number[] }>(
      await callTool(client, 'call_method', { model: 'res.partner', method: 'message_post', ids: [9], kwargs: { body: 'Welcome!', message_type: 'comment' } }),
    );
    expect(posted.result).toEqual([expect.any(Number)]);
    expect(odoo.methods()).toEqual(['res.partner.search_read', 'res.partner.read', 'res.partner.message_post']);
  });

  it.each([
    ['another method', 'call_method', { model: 'res.partner', method: 'message_subscribe', ids: [9] }, 'method_not_allowed', ["res.partner: method 'message_subscribe' may not be called by this connection (allowed: message_post)"]],
    ['an ORM method through call_method', 'call_method', { model: 'res.partner', method: 'write', ids: [9], kwargs: { vals: { name: 'x' } } }, 'method_reserved', ["'write' cannot be called as a method"]],
    ['message_post on another model', 'call_method', { model: 'crm.lead', method: 'message_post', ids: [1], kwargs: { body: 'x' } }, 'model_not_allowed', ["model 'crm.lead'"]],
    ['a search on another model', 'search_records', { model: 'crm.lead' }, 'model_not_allowed', ["model 'crm.lead'"]],
    ['an update of the partner', 'update_records', { model: 'res.partner', ids: [9], values: { name: 'x' } }, 'operation_not_allowed', ['update res.partner records']],
  ] as const)('refuses %s', async (_label, tool, args, code, mentions) => {
    const { client, odoo } = await connectWithScope(n8nPartnerCommentsScope);
    expectRefused(await callTool(client, tool, { ...args }), code, ...mentions);
    expect(odoo.requests()).toHaveLength(0);
  });
});

describe('5. Import script: full access for one day, refused the day after', () => {
  const createdAt = '2026-03-02T08:00:00.000Z';
  const dayMs = 86_400_000;
  const unauthorized = (response: Response) => ({
    error: { code: 'unauthorized', message: 'A valid API key is required: send Authorization: Bearer <key>.', details: null, request_id: response.headers.get('x-request-id') },
  });

  async function rawToolsCall(key: string, sessionId: string): Promise<Response> {
    return SELF.fetch(`${GATEWAY}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'count_records', arguments: { model: 'res.partner' } } }),
    });
  }

  it('has full access during its day, except the sensitive models', async () => {
    setClock(createdAt);
    const { client, connection } = await connectWithScope(importScriptScope, { validity: { valid_for_days: 1 } });
    expect(connection.expires_at).toBe('2026-03-03T08:00:00.000Z');
    const created = expectAllowed<{ ids: number[] }>(await callTool(client, 'create_records', { model: 'res.partner', values: [{ name: 'Imported A' }, { name: 'Imported B' }] }));
    expectAllowed(await callTool(client, 'update_records', { model: 'res.partner', ids: created.ids, values: { city: 'Ghent' } }));
    setClock(Date.parse(createdAt) + dayMs - 60_000);
    expectAllowed(await callTool(client, 'delete_records', { model: 'res.partner', ids: [created.ids[1]!] }));
    expectRefused(await callTool(client, 'search_records', { model: 'ir.config_parameter' }), 'sensitive_model', "'ir.config_parameter'");
  });

  it('is refused the day after with the same 401 as any invalid key, before any Odoo call', async () => {
    setClock(createdAt);
    const { client, key, odoo } = await connectWithScope(importScriptScope, { validity: { valid_for_days: 1 } });
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const odooCalls = odoo.requests().length;

    setClock(Date.parse(createdAt) + dayMs);
    await expect(callTool(client, 'count_records', { model: 'res.partner' })).rejects.toMatchObject({ code: 401, message: expect.stringContaining('unauthorized') });
    const expired = await rawToolsCall(key, sessionId);
    const unknown = await rawToolsCall(generateKey().key, sessionId);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer resource_metadata="https://gateway.test/.well-known/oauth-protected-resource/mcp"');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer resource_metadata="https://gateway.test/.well-known/oauth-protected-resource/mcp"');
    expect(await expired.json()).toEqual(unauthorized(expired));
    expect(await unknown.json()).toEqual(unauthorized(unknown));
    expect(odoo.requests()).toHaveLength(odooCalls);
  });

  it('refuses a connection whose not_before is still ahead with not_yet_valid, then works once it starts', async () => {
    setClock(createdAt);
    const { key } = await createConnection({ scope: importScriptScope, not_before: '2026-03-02T09:00:00.000Z', valid_for_days: 1 });
    await expectSessionRefused(connectClient(key), 'not_yet_valid', 'not valid before 2026-03-02T09:00:00.000Z');
    setClock('2026-03-02T09:00:00.000Z');
    const client = await connectClient(key);
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
  });
});
