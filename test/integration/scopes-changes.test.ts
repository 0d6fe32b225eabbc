import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { callTool, expectAllowed, expectRefused, listedTools, useScopedGateway } from './scopes-helpers';

/** A scope is read with the key on every request: no cache can keep an old scope alive. */

const { connectWithScope } = useScopedGateway();

async function storeScope(connectionId: string, scope: unknown): Promise<void> {
  await env.DB.prepare('UPDATE connections SET scope = ? WHERE id = ?').bind(JSON.stringify(scope), connectionId).run();
}

describe('changing a scope takes effect on the next request of the same session', () => {
  it('a narrowed scope refuses the very next call', async () => {
    const { client, connection, odoo } = await connectWithScope({ preset: 'read_only' });
    expectAllowed(await callTool(client, 'search_records', { model: 'res.partner', fields: ['name'], limit: 1 }));
    await storeScope(connection.id, { preset: 'read_only', deny_models: ['res.partner'] });
    const before = odoo.requests().length;
    expectRefused(await callTool(client, 'search_records', { model: 'res.partner', fields: ['name'], limit: 1 }), 'model_denied', "denied by 'res.partner'");
    expect(odoo.requests()).toHaveLength(before);
  });

  it('a widened scope allows the very next call', async () => {
    const { client, connection } = await connectWithScope({ preset: 'custom', operations: ['query', 'read'], models: { 'res.partner': {} } });
    expectRefused(await callTool(client, 'count_records', { model: 'crm.lead' }), 'model_not_allowed');
    await storeScope(connection.id, { preset: 'custom', operations: ['query', 'read'], models: { 'res.partner': {}, 'crm.lead': {} } });
    expectAllowed(await callTool(client, 'count_records', { model: 'crm.lead' }));
  });

  it('new field and record limits apply at once', async () => {
    const { client, connection } = await connectWithScope({ preset: 'read_only' });
    expectAllowed(await callTool(client, 'read_records', { model: 'sale.order', ids: [4], fields: ['name', 'user_id'] }));
    await storeScope(connection.id, { preset: 'read_only', models: { '*': {}, 'sale.order': { read_fields: ['name'], domain: [['state', '=', 'draft']] } } });
    expectRefused(await callTool(client, 'read_records', { model: 'sale.order', ids: [1], fields: ['name', 'user_id'] }), 'field_not_readable', "field 'user_id'");
    expectRefused(await callTool(client, 'read_records', { model: 'sale.order', ids: [4] }), 'record_outside_scope', 'record 4');
  });

  it('tools/list follows the stored scope too', async () => {
    const { client, connection } = await connectWithScope({ preset: 'read_only' });
    expect(await listedTools(client)).toContain('search_records');
    await storeScope(connection.id, { preset: 'custom', operations: ['create'], models: { 'crm.lead': {} } });
    expect(await listedTools(client)).toEqual(['create_records']);
    expectRefused(await callTool(client, 'search_records', { model: 'crm.lead' }), 'operation_not_allowed', 'search crm.lead records');
  });
});
