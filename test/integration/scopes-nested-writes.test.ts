import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { aiAssistantScope } from '../unit/policy/examples';
import { textOf } from '../support/gateway';
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

  it('lets a full key link records of a model without a domain, with one fields_get and no search', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const result = await call(client, 'update_records', { model: 'crm.lead', ids: [1], values: { tag_ids: [[6, 0, [1, 2]]], description: 'x' } });
    expectAllowed(result);
    expect(odoo.methods()).toEqual(['crm.lead.fields_get', 'crm.lead.write']);
  });
});

/** Methods that change data in Odoo: none of them may reach it when a command is refused. */
const MUTATING = /\.(write|create|unlink)$/;

/** sale.order limited to order 1; its lines may only be read. Order 2 holds lines 4 and 5. */
const orderOneLinesReadOnly = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write', 'delete'],
  models: { 'sale.order': { domain: [['id', '=', 1]] }, 'sale.order.line': { operations: ['query', 'read'] } },
};

describe('every x2many command form Odoo 19 executes is checked on the related model', () => {
  const escapes: Array<[string, unknown, string]> = [
    ['create as [false, 0, {...}]', [[false, 0, { name: 'x', product_id: 1 }]], 'create'],
    ['update as [true, id, {...}]', [[true, 4, { name: 'renamed' }]], 'update'],
    ['delete [2, id]', [[2, 4]], 'delete'],
    ['unlink [3, id] of another order', [[3, 4]], 'delete'],
    ['link [4, id] of another order', [[4, 4]], 'update'],
    ['clear [5]', [[5]], 'delete'],
    ['bare false', false, 'delete'],
    ['set [6, 0, []]', [[6, 0, []]], 'delete'],
    ['set [6, 0, [id]] of another order', [[6, 0, [4]]], 'delete'],
    ['bare id list', [4], 'delete'],
    ['nested: create a line through [0, 0, {...}] inside [1, id, {...}]', [[1, 1, { order_line: [[0, 0, { name: 'y' }]] }]], 'update'],
  ];
  it.each(escapes)('one2many %s is refused before anything changes', async (_name, orderLine, verb) => {
    const { client, odoo } = await connectWithScope(orderOneLinesReadOnly);
    const result = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: orderLine } });
    expectRefused(result, 'operation_not_allowed', `may not ${verb} sale.order.line records`);
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
  });

  const unclassifiable: Array<[string, unknown, string]> = [
    ['a string code', [['1', 4, { name: 'x' }]], 'code "1"'],
    ['an unknown code', [[7, 4]], 'code 7'],
    ['an update without values', [[1, 4]], 'needs 3 items'],
    ['a string id', [[4, '4']], 'needs a record id'],
    ['a set of non-ids', [[6, 0, ['4']]], 'list of record ids'],
    ['a list of objects', [{ name: 'x' }], 'list of record ids'],
    ['a command that is not a list', [[4, 1], 4], 'not a command list'],
  ];
  it.each(unclassifiable)('a value with %s is refused as invalid, never forwarded', async (_name, orderLine, words) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const result = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: orderLine } });
    expect(result.isError).toBe(true);
    expect((result.structuredContent as { error: { code: string } }).error.code).toBe('invalid_arguments');
    expect(textOf(result)).toContain('sale.order.order_line');
    expect(textOf(result)).toContain(words);
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
  });

  it("checks linked and unlinked lines against the related model's domain", async () => {
    const scope = {
      preset: 'custom',
      operations: ['query', 'read', 'create', 'write', 'delete'],
      models: { 'sale.order': { domain: [['id', '=', 1]] }, 'sale.order.line': { domain: [['order_id', '=', 1]] } },
    };
    const { client, odoo } = await connectWithScope(scope);
    for (const orderLine of [[[4, 4]], [[3, 4]], [4], [[6, 0, [1, 4]]], [[1, 4, { name: 'x' }]]]) {
      const result = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: orderLine } });
      expectRefused(result, 'record_outside_scope', 'sale.order.line', 'record 4');
    }
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
    // Clearing order 1 touches only its own lines (1, 2, 3), all inside the domain.
    expectAllowed(await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[5]] } }));
    expect(odoo.methods()).toContain('sale.order.write');
  });

  it('applies allowed commands the way Odoo does: a linked line leaves its old order', async () => {
    const { client } = await connectWithScope({ preset: 'full' });
    expectAllowed(await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[4, 4]] } }));
    const orders = expectAllowed<{ records: Array<{ id: number; order_line: number[] }> }>(
      await call(client, 'read_records', { model: 'sale.order', ids: [1, 2], fields: ['order_line'] }),
    );
    expect(orders.records.map((order) => [order.id, [...order.order_line].sort()])).toEqual([
      [1, [1, 2, 3, 4]],
      [2, [5]],
    ]);
  });

  it('many2many links must lie in the related domain and may not reach sensitive models', async () => {
    const scope = {
      preset: 'custom',
      operations: ['query', 'read', 'write'],
      models: { 'res.partner': {}, 'res.partner.category': { domain: [['id', '=', 3]] } },
    };
    const { client, odoo } = await connectWithScope(scope);
    for (const categories of [[[4, 7]], [[6, 0, [3, 7]]], [3, 7]]) {
      const result = await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { category_id: categories } });
      expectRefused(result, 'record_outside_scope', 'res.partner.category');
    }
    expect(odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);

    const full = await connectWithScope({ preset: 'full' });
    const groups = await call(full.client, 'update_records', { model: 'res.users', ids: [5], values: { group_ids: [[4, 2]] } });
    expect(groups.isError).toBe(true);
    expect(full.odoo.methods().filter((method) => MUTATING.test(method))).toEqual([]);
  });
});

describe('a many2one value is an id or false: what Odoo 19 would misread is refused', () => {
  // Many2one.convert_to_cache: an int is kept; a dict becomes a new, unsaved record; a list reads as no value.
  const scope = { preset: 'custom', operations: ['query', 'read', 'write'], models: { 'sale.order': { write_fields: ['partner_id', 'note'] }, 'res.partner': {} } };
  it.each([
    ['an object', { name: 'EVIL' }, 'Odoo would read an object as a new, unsaved res.partner record'],
    ['a list of id and name', [8, 'x'], 'Odoo would read a list as no value and clear the field'],
    ['a create command', [[0, 0, { name: 'EVIL2' }]], 'Odoo would read a list as no value and clear the field'],
  ] as const)('refuses %s, and Odoo changes nothing', async (_label, value, problem) => {
    const { client, odoo } = await connectWithScope(scope);
    const before = expectAllowed<{ records: Array<{ partner_id: unknown }> }>(await call(client, 'read_records', { model: 'sale.order', ids: [2], fields: ['partner_id'] }));
    const result = await call(client, 'update_records', { model: 'sale.order', ids: [2], values: { partner_id: value } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`sale.order.partner_id is a many2one: give a record id or false; ${problem}`);
    expect(odoo.methods().filter((method) => method.endsWith('.write') || method.endsWith('.create'))).toEqual([]);
    const after = expectAllowed<{ records: Array<{ partner_id: unknown }> }>(await call(client, 'read_records', { model: 'sale.order', ids: [2], fields: ['partner_id'] }));
    expect(after.records).toEqual(before.records);
  });

  it.each([
    ['an id', 8],
    ['false', false],
  ] as const)('writes %s', async (_label, value) => {
    const { client } = await connectWithScope(scope);
    expectAllowed(await call(client, 'update_records', { model: 'sale.order', ids: [2], values: { partner_id: value } }));
    const after = expectAllowed<{ records: Array<{ partner_id: unknown }> }>(await call(client, 'read_records', { model: 'sale.order', ids: [2], fields: ['partner_id'] }));
    expect(Array.isArray(after.records[0]!.partner_id) ? (after.records[0]!.partner_id as unknown[])[0] : after.records[0]!.partner_id).toBe(value);
  });
});

/** The create and write calls Odoo received: none may reach it when values are refused. */
const writesOf = (methods: string[]) => methods.filter((method) => MUTATING.test(method));

function expectInvalid(result: CallToolResult, ...mentions: string[]): void {
  expect(result.isError, textOf(result)).toBe(true);
  expect((result.structuredContent as { error: { code: string } }).error.code).toBe('invalid_arguments');
  for (const mention of mentions) expect(textOf(result)).toContain(mention);
}

describe('a many2one value is a positive int4 id or false: every other kind is refused, naming the field and the kind', () => {
  // Many2one.convert_to_cache keeps only `type(value) is int`; write reads the rest as no value, create hands it to PostgreSQL.
  const kinds: Array<[string, unknown, string]> = [
    ['a numeric string', '10', 'got a string ("10"), which Odoo does not read as an id'],
    ['true', true, 'got true, which Odoo does not read as an id'],
    ['a fractional number', 9.5, 'got a fractional number (9.5), which Odoo does not read as an id'],
    ['zero', 0, 'got 0, and record ids are positive'],
    ['a negative id', -3, 'got -3, and record ids are positive'],
    ['a number past int4', 2 ** 31, `got ${2 ** 31}, beyond the largest record id (2147483647)`],
    ['1e300', 1e300, 'got 1e+300, beyond the largest record id (2147483647)'],
  ];
  it.each(kinds)('update_records refuses %s, and Odoo changes nothing', async (_label, value, problem) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const result = await call(client, 'update_records', { model: 'sale.order', ids: [2], values: { partner_id: value } });
    expectInvalid(result, `sale.order.partner_id is a many2one: give a record id or false; ${problem}`);
    expect(writesOf(odoo.methods())).toEqual([]);
    const after = expectAllowed<{ records: Array<{ partner_id: unknown[] }> }>(await call(client, 'read_records', { model: 'sale.order', ids: [2], fields: ['partner_id'] }));
    expect(after.records[0]!.partner_id).not.toBe(false);
  });

  it.each(kinds)('create_records refuses %s, nested values included', async (_label, value, problem) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectInvalid(await call(client, 'create_records', { model: 'sale.order', values: { partner_id: value } }), `sale.order.partner_id is a many2one: give a record id or false; ${problem}`);
    const nested = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[0, 0, { name: 'x', product_id: value }]] } });
    expectInvalid(nested, `sale.order.line.product_id is a many2one: give a record id or false; ${problem}`);
    expect(writesOf(odoo.methods())).toEqual([]);
  });
});

describe('an x2many value that is not a list of commands, a list of ids or false is refused, never forwarded', () => {
  const values: Array<[string, unknown]> = [
    ['a string that looks like commands', '[(5,)]'],
    ['a bare number', 8],
    ['true', true],
    ['a float', 9.5],
    ['an object', { ids: [4] }],
  ];
  it.each(values)('one2many and many2many refuse %s', async (_label, value) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectInvalid(await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: value } }), 'sale.order.order_line: expected a list of x2many commands');
    expectInvalid(await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { category_id: value } }), 'res.partner.category_id: expected a list of x2many commands');
    expectInvalid(await call(client, 'create_records', { model: 'crm.lead', values: { name: 'x', tag_ids: value } }), 'crm.lead.tag_ids: expected a list of x2many commands');
    expect(writesOf(odoo.methods())).toEqual([]);
  });
});

describe('every key of values is a field of the model, per fields_get', () => {
  const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'not_a_field'];
  it.each(names)("'%s' is refused by name in values and in nested values", async (name) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectInvalid(await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { name: 'x', [name]: 1 } }), `res.partner has no field '${name}'`);
    expectInvalid(await call(client, 'create_records', { model: 'res.partner', values: [{ name: 'a' }, { name: 'b', [name]: 'x' }] }), `res.partner has no field '${name}'`);
    const nested = await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[0, 0, { name: 'x', [name]: 1 }]] } });
    expectInvalid(nested, `sale.order.line has no field '${name}'`);
    expect(writesOf(odoo.methods())).toEqual([]);
  });

  // JSON.parse keeps `__proto__` as an own key; zod would leave it out of the values it returns.
  const withProto = (json: string) => JSON.parse(json) as Record<string, unknown>;
  it.each([
    ['values', 'update_records', { model: 'sale.order', ids: [1], values: withProto('{"__proto__": {"state": "draft"}, "note": "x"}') }, 'values.__proto__'],
    ['a list of values', 'create_records', { model: 'res.partner', values: [{ name: 'a' }, withProto('{"__proto__": {"name": "b"}}')] }, 'values.1.__proto__'],
    ['nested values', 'update_records', { model: 'sale.order', ids: [1], values: { order_line: [[0, 0, withProto('{"__proto__": {"name": "x"}}')]] } }, 'values.order_line.0.2.__proto__'],
    ['method arguments', 'call_method', { model: 'res.partner', method: 'message_post', ids: [9], kwargs: withProto('{"__proto__": {"body": "x"}}') }, 'kwargs.__proto__'],
  ] as const)("'__proto__' in %s is refused before Odoo, naming where it is", async (_label, tool, args, path) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectInvalid(await call(client, tool, args as Record<string, unknown>), `${path}: '__proto__' is no Odoo field or argument name`);
    expect(odoo.requests()).toEqual([]);
  });

  it('asks Odoo for the fields once per model and call, whatever checks read them', async () => {
    const scope = { preset: 'full', models: { 'sale.order': { domain: [['state', 'in', ['draft', 'sent']]], methods: [] }, '*': {} } };
    const { client, odoo } = await connectWithScope(scope);
    expectAllowed(await call(client, 'update_records', { model: 'sale.order', ids: [1], values: { state: 'sent', partner_id: 9 } }));
    expect(odoo.methods()).toEqual(['sale.order.search', 'sale.order.fields_get', 'sale.order.write']);
  });
});

describe('a many2one linked by id follows the model rule of an x2many link', () => {
  const links: Array<[string, string, number, Record<string, unknown>, string, string]> = [
    ['res.company.external_report_layout_id', 'res.company', 1, { external_report_layout_id: 1 }, 'sensitive_model', "model 'ir.ui.view'"],
    ['sale.order.pending_email_template_id', 'sale.order', 1, { pending_email_template_id: 1 }, 'sensitive_model', "model 'mail.template'"],
    ['res.partner.invoice_template_pdf_report_id', 'res.partner', 9, { invoice_template_pdf_report_id: 1 }, 'sensitive_model', "model 'ir.actions.report'"],
    // res.users.action_id is a sensitive field of its own, refused before its model is looked at.
    ['res.users.action_id', 'res.users', 5, { action_id: 1 }, 'sensitive_field', "field 'action_id'"],
  ];
  it.each(links)('%s into a sensitive model is refused under full access', async (label, model, id, values, code, mention) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const refusal = expectRefused(await call(client, 'update_records', { model, ids: [id], values }), code, mention);
    if (code === 'sensitive_model') expect(refusal.message).toContain(`the value of ${label} would reach it`);
    expect(writesOf(odoo.methods())).toEqual([]);
  });

  it('on create and in nested values too; clearing with false is allowed', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectRefused(await call(client, 'create_records', { model: 'res.partner', values: { name: 'x', invoice_template_pdf_report_id: 1 } }), 'sensitive_model', "model 'ir.actions.report'");
    const nested = await call(client, 'create_records', { model: 'res.company', values: { name: 'x', user_ids: [[0, 0, { name: 'x', login: 'x', action_id: 1 }]] } });
    expect(nested.isError).toBe(true);
    expect(writesOf(odoo.methods())).toEqual([]);
    expectAllowed(await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { invoice_template_pdf_report_id: false } }));
  });

  it('a scope that names the related model exactly may link it', async () => {
    const { client } = await connectWithScope({ preset: 'full', models: { 'res.partner': {}, 'ir.actions.report': { operations: ['read'] } } });
    expectAllowed(await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { invoice_template_pdf_report_id: 1 } }));
  });

  it('a denied related model is refused, and an id outside its domain is refused like a many2many link', async () => {
    const denied = await connectWithScope({ preset: 'full', deny_models: ['res.country'] });
    expectRefused(await call(denied.client, 'update_records', { model: 'res.partner', ids: [9], values: { country_id: 233 } }), 'model_denied', "model 'res.country'", 'res.partner.country_id');
    expect(writesOf(denied.odoo.methods())).toEqual([]);

    const scope = { preset: 'custom', operations: ['query', 'read', 'write'], models: { 'sale.order': {}, 'res.partner': { domain: [['id', 'in', [9, 10]]] } } };
    const limited = await connectWithScope(scope);
    expectRefused(await call(limited.client, 'update_records', { model: 'sale.order', ids: [2], values: { partner_id: 3 } }), 'record_outside_scope', 'res.partner', 'record 3');
    expect(writesOf(limited.odoo.methods())).toEqual([]);
    expectAllowed(await call(limited.client, 'update_records', { model: 'sale.order', ids: [2], values: { partner_id: 10 } }));
  });

  it('a related model the scope does not list stays linkable (countries, stages, users)', async () => {
    const scope = { preset: 'custom', operations: ['query', 'read', 'write'], models: { 'res.partner': {} } };
    const { client } = await connectWithScope(scope);
    expectAllowed(await call(client, 'update_records', { model: 'res.partner', ids: [9], values: { country_id: 233, user_id: 2 } }));
  });
});

describe('a path segment named like a property of Object.prototype is an ordinary (unknown) field', () => {
  it.each(['constructor', 'toString', '__defineGetter__'])("['%s.name', '=', 'x'] goes to Odoo, which refuses the field, and never reaches another model", async (segment) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const result = await call(client, 'search_records', { model: 'res.partner', domain: [[`${segment}.name`, '=', 'x']], fields: ['name'] });
    expect(result.isError).toBe(true);
    expect((result.structuredContent as { error: { code: string } }).error.code).toBe('invalid_request');
    expect(textOf(result)).not.toContain('function');
    expect(odoo.methods()).toEqual(['res.partner.fields_get', 'res.partner.search_read']);
  });
});
