import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  aiAssistantScope,
  importScriptScope,
  n8nPartnerCommentsScope,
  nightlyStatsSyncScope,
  websiteFormScope,
} from '../unit/policy/examples';
import { callTool, callToolWithHeaders, expectRefused, setClock, useScopedGateway, type ConnectOptions } from './scopes-helpers';

/** Nothing outside a scope reaches Odoo: every refusal below happens before the stand-in sees a single request. */

const { connectWithScope } = useScopedGateway();

afterEach(() => {
  vi.useRealTimers();
});

interface Integration {
  scope: unknown;
  connect?: ConnectOptions;
}

const INTEGRATIONS = {
  'AI assistant': { scope: aiAssistantScope },
  'website form': { scope: websiteFormScope },
  'nightly sync': { scope: nightlyStatsSyncScope, connect: { headers: { 'CF-Connecting-IP': '198.51.100.23' } } },
  n8n: { scope: n8nPartnerCommentsScope },
  'import script': { scope: importScriptScope, connect: { validity: { valid_for_days: 1 } } },
} satisfies Record<string, Integration>;

type IntegrationName = keyof typeof INTEGRATIONS;

/** Inside the nightly window; the other integrations do not mind the hour. */
const NIGHT = '2026-03-04T02:30:00Z';

type Row = [IntegrationName, string, string, Record<string, unknown>, string, { at?: string; connect?: ConnectOptions }?];

const REFUSED: Row[] = [
  ['AI assistant', 'update a partner', 'update_records', { model: 'res.partner', ids: [9], values: { name: 'x' } }, 'operation_not_allowed'],
  ['AI assistant', 'create a partner', 'create_records', { model: 'res.partner', values: { name: 'x' } }, 'operation_not_allowed'],
  ['AI assistant', 'delete an order', 'delete_records', { model: 'sale.order', ids: [1] }, 'operation_not_allowed'],
  ['AI assistant', 'call a method', 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] }, 'operation_not_allowed'],
  ['AI assistant', 'read API keys', 'search_records', { model: 'res.users.apikeys' }, 'sensitive_model'],
  ['AI assistant', 'read system parameters', 'read_records', { model: 'ir.config_parameter', ids: [1] }, 'sensitive_model'],
  ['website form', 'create a lead with user_id', 'create_records', { model: 'crm.lead', values: { name: 'x', user_id: 2 } }, 'field_not_writable'],
  ['website form', 'create a partner', 'create_records', { model: 'res.partner', values: { name: 'x' } }, 'model_not_allowed'],
  ['website form', 'search leads', 'search_records', { model: 'crm.lead' }, 'operation_not_allowed'],
  ['website form', 'read a lead', 'read_records', { model: 'crm.lead', ids: [1] }, 'operation_not_allowed'],
  ['website form', 'update a lead', 'update_records', { model: 'crm.lead', ids: [1], values: { name: 'x' } }, 'operation_not_allowed'],
  ['nightly sync', 'write from another address', 'create_records', { model: 'x_sales_stats', values: { x_orders: 1 } }, 'ip_not_allowed', { connect: { headers: { 'CF-Connecting-IP': '203.0.113.9' } } }],
  ['nightly sync', 'write with only X-Forwarded-For', 'create_records', { model: 'x_sales_stats', values: { x_orders: 1 } }, 'ip_not_allowed', { connect: { headers: { 'X-Forwarded-For': '198.51.100.23' } } }],
  ['nightly sync', 'delete from another address (the address is checked first)', 'delete_records', { model: 'x_sales_stats', ids: [1] }, 'ip_not_allowed', { connect: { headers: { 'CF-Connecting-IP': '203.0.113.9' } } }],
  ['nightly sync', 'write at noon', 'create_records', { model: 'x_sales_stats', values: { x_orders: 1 } }, 'outside_time_window', { at: '2026-03-04T12:00:00Z' }],
  ['nightly sync', 'write another model', 'update_records', { model: 'crm.lead', ids: [1], values: { name: 'x' } }, 'model_not_allowed'],
  ['nightly sync', 'delete its stats', 'delete_records', { model: 'x_sales_stats', ids: [1] }, 'operation_not_allowed'],
  ['n8n', 'call another method', 'call_method', { model: 'res.partner', method: 'message_subscribe', ids: [9] }, 'method_not_allowed'],
  ['n8n', 'write through call_method', 'call_method', { model: 'res.partner', method: 'write', ids: [9], kwargs: { vals: { name: 'x' } } }, 'method_reserved'],
  ['n8n', 'call a private method', 'call_method', { model: 'res.partner', method: '_compute_display_name', ids: [9] }, 'private_method'],
  ['n8n', 'comment on a lead', 'call_method', { model: 'crm.lead', method: 'message_post', ids: [1], kwargs: { body: 'x' } }, 'model_not_allowed'],
  ['n8n', 'update a partner', 'update_records', { model: 'res.partner', ids: [9], values: { name: 'x' } }, 'operation_not_allowed'],
  ['n8n', 'search with a malformed domain', 'search_records', { model: 'res.partner', domain: [['name', 'equals', 'x']] }, 'invalid_domain'],
  ['import script', 'work before not_before (a clock set back)', 'count_records', { model: 'res.partner' }, 'not_yet_valid', { at: '2026-03-03T12:00:00Z', connect: { validity: { not_before: '2026-03-04T00:00:00Z', valid_for_days: 1 } } }],
  ['import script', 'read API keys', 'search_records', { model: 'res.users.apikeys' }, 'sensitive_model'],
  ['import script', 'call a method on system parameters', 'call_method', { model: 'ir.config_parameter', method: 'get_param', kwargs: { key: 'database.secret' } }, 'sensitive_model'],
  ['import script', "search with 'any!', which skips record rules", 'search_records', { model: 'res.partner', domain: [['user_id', 'any!', [['login', '=', 'admin']]]] }, 'invalid_domain'],
];

describe('refused calls never reach Odoo', () => {
  it('covers every integration', () => {
    expect(new Set(REFUSED.map(([integration]) => integration))).toEqual(new Set(Object.keys(INTEGRATIONS)));
  });

  it.each(REFUSED)('%s: %s', async (integration, _label, tool, args, code, overrides = {}) => {
    // The session opens where and when the integration may work (initialize checks address, hour and validity too);
    // then the call comes at another hour (`at`) or from another address (`connect.headers`).
    setClock(NIGHT);
    const { scope, connect = {} } = INTEGRATIONS[integration] as Integration;
    const scoped = await connectWithScope(scope, { ...connect, ...(overrides.connect?.validity ? { validity: overrides.connect.validity } : {}) });
    if (overrides.at) setClock(overrides.at);
    const callHeaders = overrides.connect?.headers;
    expectRefused(callHeaders ? await callToolWithHeaders(scoped, callHeaders, tool, args) : await callTool(scoped.client, tool, args), code);
    expect(scoped.odoo.requests()).toEqual([]);
  });
});
