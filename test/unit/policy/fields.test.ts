import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/policy/decision';
import { checkDomainPaths, type RelationResolver } from '../../../src/policy/domain-paths';
import { checkDomainFields, checkReadFields, checkWriteFields, filterFieldsGet, filterRecordFields } from '../../../src/policy/fields';
import type { Scope } from '../../../src/policy/scope';

type FieldLists = { readFields: string[] | null; writeFields: string[] | null };

const limited: FieldLists = { readFields: ['name', 'partner_id', 'state', 'amount_total'], writeFields: ['name', 'note'] };
const open: FieldLists = { readFields: null, writeFields: null };
const allow: Decision = { effect: 'allow' };

describe('checkReadFields', () => {
  it.each<[string, FieldLists, string[] | undefined, ReturnType<typeof checkReadFields>]>([
    ['no limit, no request: Odoo default', open, undefined, { ok: true, fields: undefined }],
    ['no limit, a request is kept', open, ['name', 'email'], { ok: true, fields: ['name', 'email'] }],
    ['limit, no request: exactly read_fields', limited, undefined, { ok: true, fields: ['name', 'partner_id', 'state', 'amount_total'] }],
    ['limit, empty request means no request', limited, [], { ok: true, fields: ['name', 'partner_id', 'state', 'amount_total'] }],
    ['limit, a subset', limited, ['state', 'name'], { ok: true, fields: ['state', 'name'] }],
    ['limit, id is always readable', limited, ['id', 'name'], { ok: true, fields: ['id', 'name'] }],
    ['limit, names the first unreadable field', limited, ['name', 'user_id', 'note'], { ok: false, reason: { code: 'field_not_readable', model: 'sale.order', field: 'user_id' } }],
    ['empty read_fields never becomes "all fields"', { readFields: [], writeFields: null }, undefined, { ok: true, fields: ['id'] }],
  ])('%s', (_label, access, requested, expected) => {
    expect(checkReadFields(access, 'sale.order', requested)).toEqual(expected);
  });
});

describe('filterRecordFields', () => {
  const records = [
    { id: 1, name: 'S001', state: 'draft', user_id: [2, 'Admin'], amount_total: 10 },
    { id: 2, name: 'S002', margin: 3 },
  ];
  it('drops fields outside read_fields and keeps id', () => {
    expect(filterRecordFields(records, ['name', 'amount_total'])).toEqual([
      { id: 1, name: 'S001', amount_total: 10 },
      { id: 2, name: 'S002' },
    ]);
  });
  it('keeps everything without read_fields, as copies', () => {
    const filtered = filterRecordFields(records, null);
    expect(filtered).toEqual(records);
    expect(filtered[0]).not.toBe(records[0]);
  });
  it('keeps only id with empty read_fields', () => {
    expect(filterRecordFields(records, [])).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('filterFieldsGet', () => {
  const fieldsGet = {
    id: { type: 'integer', readonly: true },
    name: { type: 'char', readonly: false },
    state: { type: 'selection', readonly: false },
    note: { type: 'html', readonly: false },
    user_id: { type: 'many2one', readonly: false },
  };
  it.each<[string, string[] | null, string[] | null | undefined, Record<string, { type: string; readonly: boolean }>]>([
    ['no limits', null, undefined, fieldsGet],
    ['read_fields only', ['name', 'state'], undefined, { id: fieldsGet.id, name: fieldsGet.name, state: fieldsGet.state }],
    [
      'read and write fields: writable shown, the rest marked readonly',
      ['name', 'state'],
      ['name', 'note'],
      { id: fieldsGet.id, name: fieldsGet.name, state: { type: 'selection', readonly: true }, note: fieldsGet.note },
    ],
    [
      'write fields only',
      null,
      ['name'],
      {
        id: { type: 'integer', readonly: true },
        name: fieldsGet.name,
        state: { type: 'selection', readonly: true },
        note: { type: 'html', readonly: true },
        user_id: { type: 'many2one', readonly: true },
      },
    ],
  ])('%s', (_label, readFields, writeFields, expected) => {
    expect(filterFieldsGet(fieldsGet, readFields, writeFields)).toEqual(expected);
  });
});

describe('checkWriteFields', () => {
  it.each<[string, FieldLists, Record<string, unknown>[], Decision]>([
    ['no limit', open, [{ anything: 1 }], allow],
    ['allowed fields', limited, [{ name: 'x' }, { note: 'y', name: 'z' }], allow],
    ['no values at all', limited, [], allow],
    ['names the refused field', limited, [{ name: 'x', user_id: 3 }], { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'user_id' } }],
    ['refuses in any record of a batch', limited, [{ name: 'x' }, { state: 'sale' }], { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'state' } }],
    ['id is not writable through write_fields', limited, [{ id: 9, name: 'x' }], { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'id' } }],
    ['empty write_fields refuses any field', { readFields: null, writeFields: [] }, [{ name: 'x' }], { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'name' } }],
  ])('%s', (_label, access, valuesList, expected) => {
    expect(checkWriteFields(access, 'crm.lead', valuesList)).toEqual(expected);
  });
});

describe('checkDomainFields: a search may only filter on readable fields', () => {
  it.each<[string, FieldLists, unknown[], Decision]>([
    ['no read limit', open, [['margin', '>', 0]], allow],
    ['readable fields', limited, ['|', ['state', '=', 'draft'], ['name', 'ilike', 'S0']], allow],
    ['id is always searchable', limited, [['id', 'in', [1, 2]]], allow],
    ['a related path through a readable field', limited, [['partner_id.name', 'ilike', 'x']], allow],
    ['unreadable field', limited, [['state', '=', 'draft'], ['margin', '>', 0]], { effect: 'deny', reason: { code: 'field_not_readable', model: 'sale.order', field: 'margin' } }],
    ['unreadable root of a path', limited, [['user_id.login', '=', 'admin']], { effect: 'deny', reason: { code: 'field_not_readable', model: 'sale.order', field: 'user_id' } }],
    ['unreadable field inside any', limited, [['order_line', 'any', [['price_unit', '>', 1]]]], { effect: 'deny', reason: { code: 'field_not_readable', model: 'sale.order', field: 'order_line' } }],
  ])('%s', (_label, access, domain, expected) => {
    expect(checkDomainFields(access, 'sale.order', domain)).toEqual(expected);
  });
});

describe('checkDomainPaths follows relations into the related models', () => {
  const scope: Scope = {
    preset: 'read_only',
    models: {
      'sale.order': { read_fields: ['name', 'partner_id', 'user_id', 'order_line'] },
      'sale.order.line': { read_fields: ['product_id', 'price_unit'] },
      'res.partner': { read_fields: ['name', 'country_id'] },
      'res.country': { operations: ['read'] },
      'product.product': { domain: [['sale_ok', '=', true]] },
    },
    deny_models: ['res.users'],
  };
  const relations: Record<string, string> = {
    'sale.order.partner_id': 'res.partner',
    'sale.order.user_id': 'res.users',
    'sale.order.order_line': 'sale.order.line',
    'res.partner.country_id': 'res.country',
    'sale.order.line.product_id': 'product.product',
  };
  const comodelOf: RelationResolver = (model, field) => relations[`${model}.${field}`] ?? null;

  it.each<[string, unknown[], Decision]>([
    ['plain readable field', [['name', '=', 'S1']], allow],
    ['through a readable relation', [['partner_id.name', 'ilike', 'Azure']], allow],
    ['a many2one compared by id', [['partner_id', '=', 3]], allow],
    ['inside any', [['order_line', 'any', [['price_unit', '>', 5]]]], allow],
    ['unreadable field behind a relation', [['partner_id.email', '=', 'x@y']], { effect: 'deny', reason: { code: 'field_not_readable', model: 'res.partner', field: 'email' } }],
    ['a denied model behind a relation', [['user_id.login', '=', 'admin']], { effect: 'deny', reason: { code: 'model_denied', model: 'res.users', pattern: 'res.users' } }],
    ['a related model without query', [['partner_id.country_id.code', '=', 'BE']], { effect: 'deny', reason: { code: 'operation_not_allowed', operation: 'query', model: 'res.country' } }],
    ['unreadable field inside any', [['order_line', 'any', [['discount', '>', 5]]]], { effect: 'deny', reason: { code: 'field_not_readable', model: 'sale.order.line', field: 'discount' } }],
    ['a date granularity is not a relation', [['name.year_number', '=', 2026]], allow],
    [
      'a related model limited by a domain',
      [['order_line.product_id.name', 'ilike', 'desk']],
      { effect: 'deny', reason: { code: 'relation_outside_scope', model: 'sale.order', path: 'order_line.product_id.name', target: 'product.product' } },
    ],
    ['a domain-limited model compared by id only', [['order_line.product_id', '=', 7]], allow],
  ])('%s', (_label, domain, expected) => {
    expect(checkDomainPaths(scope, 'sale.order', domain, comodelOf)).toEqual(expected);
  });
  it.each<[string, unknown[], string[]]>([
    ['a plain field searches no related model', [['name', '=', 'S1']], []],
    ['a many2one compared by id searches no related model', [['partner_id', '=', 3]], []],
    ['a path searches each model it walks into', [['partner_id.country_id.name', '=', 'BE']], ['res.partner', 'res.country']],
    ['any searches the related model', [['order_line', 'any', [['price_unit', '>', 5]]]], ['sale.order.line']],
  ])('tells which related models are searched: %s', (_label, domain, expected) => {
    const readable: Scope = { ...scope, models: { ...scope.models, 'res.country': {} } };
    const searched: string[] = [];
    expect(checkDomainPaths(readable, 'sale.order', domain, comodelOf, (model) => searched.push(model))).toEqual(allow);
    expect(searched).toEqual(expected);
  });

  it('tells of no related model when the path is refused', () => {
    const searched: string[] = [];
    checkDomainPaths(scope, 'sale.order', [['partner_id.country_id.code', '=', 'BE']], comodelOf, (model) => searched.push(model));
    expect(searched).not.toContain('res.country');
  });
});
