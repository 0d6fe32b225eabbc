import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { aiAssistantScope } from '../unit/policy/examples';
import { expectAllowed, expectRefused, useScopedGateway } from './scopes-helpers';

const { connectWithScope } = useScopedGateway();

async function call(client: Awaited<ReturnType<typeof connectWithScope>>['client'], name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

describe('x2many commands inside values are checked against the related model', () => {
  it('refuses creating order lines through sale.order when sale.order.line may not be created, before Odoo', async () => {
    const { client, odoo } = await connectWithScope(aiAssistantScope);
    const result = await call(client, 'create_records', {
      model: 'sale.order',
      values: { partner_id: 9, order_line: [[0, 0, { product_id: 1, product_uom_qty: 2 }]] },
    });
    expectRefused(result, 'operation_not_allowed', 'sale.order.line');
    // Only the fields_get that resolves order_line's model reached Odoo.
    expect(odoo.methods()).toEqual(['sale.order.fields_get']);
  });

  it('refuses updating and deleting related records the scope may not touch', async () => {
    const { client } = await connectWithScope(aiAssistantScope);
    const update = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[1, 1, { product_uom_qty: 9 }]] } });
    expectRefused(update, 'operation_not_allowed', 'sale.order.line');
    const remove = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[2, 1, 0]] } });
    expectRefused(remove, 'operation_not_allowed', 'sale.order.line');
  });

  it("applies the related model's write_fields to nested values", async () => {
    const scope = {
      preset: 'custom',
      operations: ['create', 'write'],
      models: { 'sale.order': {}, 'sale.order.line': { operations: ['create'], write_fields: ['product_id', 'product_uom_qty'] } },
    };
    const { client } = await connectWithScope(scope);
    const refused = await call(client, 'create_records', {
      model: 'sale.order',
      values: { partner_id: 9, order_line: [[0, 0, { product_id: 1, price_unit: 0.01 }]] },
    });
    expectRefused(refused, 'field_not_writable', 'price_unit');
    const allowed = await call(client, 'create_records', {
      model: 'sale.order',
      values: { partner_id: 9, order_line: [[0, 0, { product_id: 1, product_uom_qty: 1 }]] },
    });
    expectAllowed(allowed);
  });

  it('leaves linking commands (4, 6) and plain values alone, with no extra Odoo request', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const result = await call(client, 'update_records', { model: 'crm.lead', ids: [1], values: { tag_ids: [[6, 0, [1, 2]]], description: 'x' } });
    expectAllowed(result);
    expect(odoo.methods()).toEqual(['crm.lead.write']);
  });
});
