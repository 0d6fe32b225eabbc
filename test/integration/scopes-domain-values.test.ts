import { describe, expect, it } from 'vitest';
import { textOf } from '../support/gateway';
import { callTool, expectAllowed, expectRefused, useScopedGateway } from './scopes-helpers';

/**
 * A create or an update must not produce a record outside the scope's domain
 * for the model. Each refusal happens before Odoo changes anything: the only
 * calls it sees are the id check (search) and the fields_get that gives the
 * field types.
 */

const { connectWithScope } = useScopedGateway();

/** Methods that change data in Odoo. */
const MUTATING = /\.(write|create|unlink)$/;

/**
 * What a refused call may have asked Odoo: the id check, and fields_get (one for
 * the x2many check when a value is a list or false, one for the field types).
 */
function expectOnlyChecks(methods: string[], model: string): void {
  expect(methods.length).toBeGreaterThan(0);
  expect(methods.filter((method) => method !== `${model}.search` && method !== `${model}.fields_get`)).toEqual([]);
}

/** Marc Demo's (user 5) quotations; order 1 is one (draft, user 5), order 4 is not (sale). */
const quotationsOfMarc = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write'],
  models: { 'sale.order': { domain: [['state', 'in', ['draft', 'sent']], ['user_id', '=', 5]] } },
};

const CONDITION_STATE = '["state","in",["draft","sent"]]';
const CONDITION_USER = '["user_id","=",5]';

describe('update_records: values that would move a record out of the domain are refused', () => {
  const refused: Array<[string, Record<string, unknown>, string, string[]]> = [
    ['a state outside the list', { state: 'sale' }, 'outside', ["'state' = \"sale\"", CONDITION_STATE]],
    ['the state unset', { state: false }, 'outside', ["'state' = false", CONDITION_STATE]],
    ['another user', { user_id: 2 }, 'outside', ["'user_id' = 2", CONDITION_USER]],
    ['the user unset', { user_id: false }, 'outside', ["'user_id' = false", CONDITION_USER]],
    ['the user as null', { user_id: null }, 'outside', ["'user_id' = null", CONDITION_USER]],
    ['one field fine, the other outside', { state: 'sent', user_id: 2 }, 'outside', ["'user_id' = 2"]],
    // A many2one given as a string ('5') is refused before the domain is looked at (scopes-nested-writes.test.ts).
    ['the state as a number', { state: 1 }, 'type', ['cannot be checked', 'selection key']],
  ];
  it.each(refused)('%s', async (_label, values, _problem, mentions) => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    const result = await callTool(client, 'update_records', { model: 'sale.order', ids: [1], values: { name: 'S-x', ...values } });
    expectRefused(result, 'value_outside_scope', 'sale.order: ', "this connection's scope", ...mentions);
    expect(odoo.methods()[0]).toBe('sale.order.search');
    expectOnlyChecks(odoo.methods(), 'sale.order');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a state inside the list', { state: 'sent' }],
    ['the same user', { user_id: 5 }],
    ['both', { state: 'draft', user_id: 5 }],
  ])('lets %s through, and the record stays in scope', async (_label, values) => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    expectAllowed(await callTool(client, 'update_records', { model: 'sale.order', ids: [1], values }));
    expect(odoo.methods()).toEqual(['sale.order.search', 'sale.order.fields_get', 'sale.order.write']);
    expectAllowed(await callTool(client, 'read_records', { model: 'sale.order', ids: [1], fields: ['state'] }));
  });

  it('asks only the fields_get that checks the written fields when no constrained field is written', async () => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    expectAllowed(await callTool(client, 'update_records', { model: 'sale.order', ids: [1], values: { client_order_ref: 'PO-1' } }));
    expect(odoo.methods()).toEqual(['sale.order.search', 'sale.order.fields_get', 'sale.order.write']);
  });

  it('still refuses ids outside the domain first', async () => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    expectRefused(await callTool(client, 'update_records', { model: 'sale.order', ids: [4], values: { state: 'draft' } }), 'record_outside_scope');
    expect(odoo.methods()).toEqual(['sale.order.search']);
  });
});

it.each([
  ['update_records', { ids: [1], values: { user_id: [5, 'Marc Demo'] } }],
  ['create_records', { values: { partner_id: 9, state: 'draft', user_id: [5, 'Marc Demo'] } }],
] as const)('%s: a many2one as [id, name] is refused before the domain check (Odoo 19 reads a list as no value)', async (tool, args) => {
  const { client, odoo } = await connectWithScope(quotationsOfMarc);
  const result = await callTool(client, tool, { model: 'sale.order', ...args });
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain('sale.order.user_id is a many2one: give a record id or false');
  expectOnlyChecks(odoo.methods(), 'sale.order');
});

describe('create_records: a new record must land inside the domain, by its own values', () => {
  const refused: Array<[string, unknown, string[]]> = [
    ['the user left to its default', { partner_id: 9, state: 'draft' }, ["must set 'user_id'", CONDITION_USER, "Odoo's default"]],
    ['the state left to its default', { partner_id: 9, user_id: 5 }, ["must set 'state'", CONDITION_STATE]],
    ['another user', { partner_id: 9, state: 'draft', user_id: 2 }, ["'user_id' = 2", CONDITION_USER]],
    ['a confirmed order', { partner_id: 9, state: 'sale', user_id: 5 }, ["'state' = \"sale\"", CONDITION_STATE]],
    ['the second of two outside', [{ partner_id: 9, state: 'draft', user_id: 5 }, { partner_id: 9, state: 'draft', user_id: false }], ["'user_id' = false"]],
  ];
  it.each(refused)('%s is refused before Odoo creates anything', async (_label, values, mentions) => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    expectRefused(await callTool(client, 'create_records', { model: 'sale.order', values }), 'value_outside_scope', ...mentions);
    expectOnlyChecks(odoo.methods(), 'sale.order');
  });

  it('creates a record whose values satisfy every condition, and it is in scope', async () => {
    const { client, odoo } = await connectWithScope(quotationsOfMarc);
    const created = expectAllowed<{ ids: number[] }>(
      await callTool(client, 'create_records', { model: 'sale.order', values: { partner_id: 9, state: 'draft', user_id: 5 } }),
    );
    expect(odoo.methods()).toEqual(['sale.order.fields_get', 'sale.order.create']);
    expectAllowed(await callTool(client, 'read_records', { model: 'sale.order', ids: created.ids }));
  });

  it('refuses any create when the domain names records by id: Odoo assigns the new id', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'custom', operations: ['create'], models: { 'sale.order': { domain: [['id', 'in', [1, 2]]] } } });
    expectRefused(await callTool(client, 'create_records', { model: 'sale.order', values: { partner_id: 9 } }), 'value_outside_scope', "Odoo assigns 'id'");
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
  });
});

describe('operators and value kinds, through crm.lead (lead 1: a lead, priority 1, user 2, stage 1, probability 0, active)', () => {
  const rows: Array<[string, unknown[], Record<string, unknown>, boolean]> = [
    ['!= on a selection', [['type', '!=', 'opportunity']], { type: 'opportunity' }, false],
    ['!= on a selection, another value', [['type', '!=', 'opportunity']], { type: 'lead' }, true],
    ['not in on a selection', [['priority', 'not in', ['3']]], { priority: '3' }, false],
    ['not in on a selection, unset matches', [['priority', 'not in', ['3']]], { priority: false }, true],
    ['< on a float', [['probability', '<', 50]], { probability: 50 }, false],
    ['< on a float, below', [['probability', '<', 50]], { probability: 49.5 }, true],
    ['>= on a many2one id', [['stage_id', '>=', 1]], { stage_id: false }, false],
    ['= true on a boolean', [['active', '=', true]], { active: false }, false],
    ['= true on a boolean, null is false', [['active', '=', true]], { active: null }, false],
    ['!= false on a many2one', [['user_id', '!=', false]], { user_id: false }, false],
    ['in with false on a many2one', [['user_id', 'in', [2, false]]], { user_id: false }, true],
    ["'!' of a condition", ['!', ['priority', '=', '3']], { priority: '3' }, false],
    ["'|', both branches false", ['|', ['priority', '=', '1'], ['user_id', '=', 5]], { priority: '2', user_id: 2 }, false],
    ["'|', the other branch unknown on update", ['|', ['priority', '=', '1'], ['user_id', '=', 5]], { priority: '2' }, true],
    ["explicit '&'", ['&', ['type', '=', 'lead'], ['priority', 'in', ['0', '1']]], { priority: '2' }, false],
    ['a date on a date field', [['date_deadline', '=', false]], { date_deadline: '2026-05-01' }, false],
    ['a date not in ISO form', [['date_deadline', '=', false]], { date_deadline: '05/01/2026' }, false],
    ['out of reach: ilike', [['name', 'not ilike', 'secret']], { name: 'top secret' }, true],
    ['out of reach: a dotted path', [['stage_id.sequence', '<', 100]], { stage_id: 2 }, true],
  ];
  it.each(rows)('%s', async (_label, domain, values, allowed) => {
    const scope = { preset: 'custom', operations: ['query', 'read', 'write'], models: { 'crm.lead': { domain } } };
    const { client, odoo } = await connectWithScope(scope);
    const result = await callTool(client, 'update_records', { model: 'crm.lead', ids: [1], values });
    if (allowed) {
      expectAllowed(result);
      expect(odoo.methods()).toContain('crm.lead.write');
    } else {
      expectRefused(result, 'value_outside_scope', 'crm.lead: ', Object.keys(values)[0]!);
      expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
    }
  });
});

describe('nested creates and updates into a related model with a domain', () => {
  /** Lines of orders 1 and 2 only, at most 10 units each. Order 1 holds lines 1-3, order 3 holds 6 and 7. */
  const linesOfOrdersOneAndTwo = {
    preset: 'custom',
    operations: ['query', 'read', 'create', 'write'],
    models: { 'sale.order': {}, 'sale.order.line': { domain: [['order_id', 'in', [1, 2]], ['product_uom_qty', '<=', 10]] } },
  };

  it.each<[string, number, unknown, string[]]>([
    ['a new line with too many units', 1, [[0, 0, { product_id: 38, product_uom_qty: 50 }]], ["'product_uom_qty' = 50"]],
    ['an update of a line to too many units', 1, [[1, 1, { product_uom_qty: 50 }]], ["'product_uom_qty' = 50"]],
    ['a new line under an order outside the domain (Odoo sets order_id to it)', 3, [[0, 0, { product_id: 38, product_uom_qty: 1 }]], ["'order_id' = 3"]],
    ['a new line whose own order_id Odoo overrides', 3, [[0, 0, { product_id: 38, product_uom_qty: 1, order_id: 1 }]], ["'order_id' = 3"]],
  ])('refuses %s', async (_label, orderId, orderLine, mentions) => {
    const { client, odoo } = await connectWithScope(linesOfOrdersOneAndTwo);
    const result = await callTool(client, 'update_records', { model: 'sale.order', ids: [orderId], values: { order_line: orderLine } });
    expectRefused(result, 'value_outside_scope', 'sale.order.line: ', ...mentions);
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
    // The stand-in's records are as they were: no line added, none changed.
    const full = await connectWithScope({ preset: 'full' });
    const orders = expectAllowed<{ records: Array<{ id: number; order_line: number[] }> }>(
      await callTool(full.client, 'read_records', { model: 'sale.order', ids: [1, 3], fields: ['order_line'] }),
    );
    expect(orders.records.map((order) => [order.id, [...order.order_line].sort()])).toEqual([[1, [1, 2, 3]], [3, [6, 7]]]);
    const line = expectAllowed<{ records: Array<{ product_uom_qty: number }> }>(
      await callTool(full.client, 'read_records', { model: 'sale.order.line', ids: [1], fields: ['product_uom_qty'] }),
    );
    expect(line.records[0]!.product_uom_qty).toBe(3);
  });

  it('refuses lines created with a new order: the order id is not known before Odoo assigns it', async () => {
    const { client, odoo } = await connectWithScope(linesOfOrdersOneAndTwo);
    const result = await callTool(client, 'create_records', {
      model: 'sale.order',
      values: { partner_id: 9, order_line: [[0, 0, { product_id: 38, product_uom_qty: 1 }]] },
    });
    expectRefused(result, 'value_outside_scope', 'sale.order.line: ', "Odoo assigns 'order_id'");
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
  });

  it('lets a line inside the domain through', async () => {
    const { client, odoo } = await connectWithScope(linesOfOrdersOneAndTwo);
    const result = await callTool(client, 'update_records', {
      model: 'sale.order',
      ids: [1],
      values: { order_line: [[0, 0, { product_id: 38, product_uom_qty: 2 }], [1, 1, { product_uom_qty: 4 }]] },
    });
    expectAllowed(result);
    expect(odoo.methods()).toContain('sale.order.write');
  });
});
