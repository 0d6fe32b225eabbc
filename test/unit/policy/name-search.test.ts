import { describe, expect, it } from 'vitest';
import type { Decision, DenialReason } from '../../../src/policy/decision';
import {
  parentFieldOf,
  candidateRelationSearches,
  checkRelationSearches,
  classifyRelationalCondition,
  conditionsInDomain,
  nameSearchFields,
  type ComodelResolver,
} from '../../../src/policy/name-search';
import { describeDenial } from '../../../src/policy/reasons';
import type { Scope } from '../../../src/policy/scope';

const allow: Decision = { effect: 'allow' };
const PARTNER_NAMES = ['complete_name', 'email', 'ref', 'vat', 'company_registry'];

describe('classifyRelationalCondition: how Odoo 19 runs a condition on a relational field', () => {
  it.each<[string, unknown, ReturnType<typeof classifyRelationalCondition>]>([
    ['ilike', 'x', 'name'],
    ['like', 'x', 'name'],
    ['=like', 'Acme%', 'name'],
    ['=ilike', 'acme%', 'name'],
    ['not ilike', 'x', 'name'],
    ['not =like', 'x', 'name'],
    ['=', 'Acme Corporation', 'name'],
    ['!=', 'Acme Corporation', 'name'],
    ['in', ['Acme'], 'name'],
    ['not in', [3, 'Acme'], 'name'],
    ['ilike', 7, 'name'],
    ['child_of', 'Acme', 'name'],
    ['child_of', 9, 'hierarchy'],
    ['parent_of', [9, 10], 'hierarchy'],
    ['=', 9, null],
    ['=', false, null],
    ['!=', false, null],
    ['in', [9, 10], null],
    ['not in', [], null],
    ['in', [9, false], null],
    ['any', [['email', 'ilike', 'x']], null],
  ])("'%s' with %j is %s", (operator, value, expected) => {
    expect(classifyRelationalCondition(operator, value)).toBe(expected);
  });

  it('reads the name search fields of res.partner from its _rec_names_search, others search their display name', () => {
    expect(nameSearchFields('res.partner')).toEqual(PARTNER_NAMES);
    expect(nameSearchFields('res.country')).toEqual(['display_name', 'name']);
  });

  it('lists conditions inside any with their relation in front, and only those that may search a related model', () => {
    const domain = ['|', ['partner_id', '=', 9], ['order_line', 'any', [['product_id', 'ilike', 'desk'], ['price_unit', '>', 1]]]];
    expect(conditionsInDomain(domain)).toEqual([
      { path: 'partner_id', operator: '=', value: 9 },
      { path: 'order_line.product_id', operator: 'ilike', value: 'desk' },
      { path: 'order_line.price_unit', operator: '>', value: 1 },
    ]);
    expect(candidateRelationSearches(domain).map((condition) => condition.path)).toEqual(['order_line.product_id']);
  });
});

describe('checkRelationSearches', () => {
  const relations: Record<string, string> = {
    'sale.order.partner_id': 'res.partner',
    'sale.order.tag_ids': 'crm.tag',
    'sale.order.order_line': 'sale.order.line',
    'sale.order.line.product_id': 'product.product',
    'res.partner.parent_id': 'res.partner',
    'res.partner.country_id': 'res.country',
  };
  const comodelOf: ComodelResolver = (model, field) => relations[`${model}.${field}`] ?? null;
  const orders = { 'sale.order': {}, 'sale.order.line': {} };
  const denied = (reason: Omit<Extract<DenialReason, { code: 'relation_name_search' }>, 'code' | 'model'>): Decision => ({
    effect: 'deny',
    reason: { code: 'relation_name_search', model: 'sale.order', ...reason },
  });

  const NAME_FORMS: Array<[string, unknown[]]> = [
    ['ilike', [['partner_id', 'ilike', 'agrolait.com']]],
    ['in a list of strings', [['partner_id', 'in', ['Acme']]]],
    ['= a string', [['partner_id', '=', 'Acme Corporation']]],
    ['=like', [['partner_id', '=like', 'Acme%']]],
    ['not ilike', [['partner_id', 'not ilike', 'x']]],
    ['child_of a name', [['partner_id', 'child_of', 'Acme']]],
    ['behind an |', ['|', ['name', '=', 'S1'], ['partner_id', 'ilike', 'x']]],
  ];

  it.each(NAME_FORMS)('%s: refused when res.partner is limited by a domain', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { domain: [['is_company', '=', true]] } } };
    const { operator } = conditionsInDomain(domain).find((condition) => condition.path === 'partner_id')!;
    const walk = operator === 'child_of' ? { parentField: 'parent_id' } : {};
    expect(checkRelationSearches(scope, 'sale.order', domain, comodelOf)).toEqual(
      denied({ path: 'partner_id', operator, target: 'res.partner', fields: PARTNER_NAMES, ...walk, problem: 'domain' }),
    );
  });

  it.each(NAME_FORMS)('%s: refused when res.partner read_fields leave out email', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { read_fields: ['complete_name', 'name', 'ref', 'vat', 'company_registry'] } } };
    const decision = checkRelationSearches(scope, 'sale.order', domain, comodelOf);
    expect(decision).toMatchObject({ effect: 'deny', reason: { code: 'relation_name_search', target: 'res.partner', problem: 'field', field: 'email' } });
  });

  it.each(NAME_FORMS)('%s: refused when res.partner is not in the scope', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: orders };
    expect(checkRelationSearches(scope, 'sale.order', domain, comodelOf)).toMatchObject({
      effect: 'deny',
      reason: { code: 'relation_name_search', target: 'res.partner', problem: 'not_searchable' },
    });
  });

  it.each(NAME_FORMS)('%s: allowed when res.partner is fully readable', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': {} } };
    expect(checkRelationSearches(scope, 'sale.order', domain, comodelOf)).toEqual(allow);
  });

  it.each(NAME_FORMS)('%s: tells that res.partner is searched', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': {} } };
    const searched: string[] = [];
    expect(checkRelationSearches(scope, 'sale.order', domain, comodelOf, (model) => searched.push(model))).toEqual(allow);
    expect(searched).toEqual(['res.partner']);
  });

  it('tells of no search for a many2one compared by id', () => {
    const searched: string[] = [];
    checkRelationSearches({ preset: 'read_only' }, 'sale.order', [['partner_id', 'in', [9, 10]]], comodelOf, (model) => searched.push(model));
    expect(searched).toEqual([]);
  });

  it('refuses a related model without query, and one denied by a pattern', () => {
    const withoutQuery: Scope = { preset: 'custom', operations: ['query', 'read'], models: { ...orders, 'res.partner': { operations: ['read'] } } };
    expect(checkRelationSearches(withoutQuery, 'sale.order', [['partner_id', 'ilike', 'x']], comodelOf)).toMatchObject({ reason: { problem: 'not_searchable' } });
    const deniedByPattern: Scope = { preset: 'read_only', deny_models: ['res.*'] };
    expect(checkRelationSearches(deniedByPattern, 'sale.order', [['partner_id', 'ilike', 'x']], comodelOf)).toMatchObject({ reason: { problem: 'not_searchable' } });
  });

  it.each<[string, unknown[]]>([
    ['an id', [['partner_id', '=', 9]]],
    ['false', [['partner_id', '=', false]]],
    ['a list of ids', [['partner_id', 'in', [9, 10]]]],
    ['a list of ids and false', [['partner_id', 'not in', [9, false]]]],
    ['a text field', [['name', 'ilike', 'S0']]],
    ['a path ending on a text field', [['partner_id.email', 'ilike', 'x']]],
  ])('leaves %s to the other checks', (_label, domain) => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { domain: [['is_company', '=', true]], read_fields: ['name'] } } };
    expect(checkRelationSearches(scope, 'sale.order', domain, comodelOf)).toEqual(allow);
  });

  it('checks child_of with ids as a hierarchy search: not in a domain-limited model, and its parent field readable', () => {
    const limited: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { domain: [['is_company', '=', true]] } } };
    expect(checkRelationSearches(limited, 'sale.order', [['partner_id', 'child_of', 9]], comodelOf)).toEqual(
      denied({ path: 'partner_id', operator: 'child_of', target: 'res.partner', fields: [], parentField: 'parent_id', problem: 'domain' }),
    );
    const nameOnly: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { read_fields: ['name'] } } };
    expect(checkRelationSearches(nameOnly, 'sale.order', [['partner_id', 'parent_of', [9]]], comodelOf)).toEqual(
      denied({ path: 'partner_id', operator: 'parent_of', target: 'res.partner', fields: [], parentField: 'parent_id', problem: 'field', field: 'parent_id' }),
    );
    const withParent: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { read_fields: ['name', 'parent_id'] } } };
    expect(checkRelationSearches(withParent, 'sale.order', [['partner_id', 'parent_of', [9]]], comodelOf)).toEqual(allow);
  });

  // Odoo 19 `_operator_hierarchy`: on `id`, child_of / parent_of walk the model's own `_parent_name`
  // (with sudo), and name-search the model itself for text; on a relation to the same model, that field.
  it.each<[string, unknown[], Scope['models'], Partial<Extract<DenialReason, { code: 'relation_name_search' }>> | null]>([
    ['id child_of a name, model limited by a domain', [['id', 'child_of', 'agrolait']], { 'res.partner': { domain: [['is_company', '=', true]] } }, { path: 'id', target: 'res.partner', fields: PARTNER_NAMES, parentField: 'parent_id', problem: 'domain' }],
    ['id parent_of a name, model limited by a domain', [['id', 'parent_of', 'willie.burke80']], { 'res.partner': { domain: [['is_company', '=', true]] } }, { path: 'id', problem: 'domain' }],
    ['id child_of ids, model limited by a domain', [['id', 'child_of', [1]]], { 'res.partner': { domain: [['is_company', '=', true]] } }, { path: 'id', fields: [], problem: 'domain' }],
    ['id child_of a name, only name readable', [['id', 'child_of', 'agrolait']], { 'res.partner': { read_fields: ['name'] } }, { path: 'id', problem: 'field', field: 'complete_name' }],
    ['id child_of ids, parent_id hidden', [['id', 'child_of', 1]], { 'res.partner': { read_fields: ['name'] } }, { path: 'id', problem: 'field', field: 'parent_id' }],
    ['parent_id child_of ids, parent_id hidden', [['parent_id', 'child_of', 1]], { 'res.partner': { read_fields: ['name', 'parent_id'] } }, null],
    ['behind a !', ['!', ['id', 'child_of', 'agrolait']], { 'res.partner': { domain: [['is_company', '=', true]] } }, { path: 'id', problem: 'domain' }],
    ['inside id any', [['id', 'any', [['id', 'parent_of', 'x']]]], { 'res.partner': { domain: [['is_company', '=', true]] } }, { path: 'id', problem: 'domain' }],
    ['id child_of ids, model fully readable', [['id', 'child_of', [1]]], { 'res.partner': {} }, null],
    ['id in ids stays on the model', [['id', 'in', [1, 2]]], { 'res.partner': { domain: [['is_company', '=', true]] } }, null],
  ])('%s', (_label, domain, models, expected) => {
    const decision = checkRelationSearches({ preset: 'read_only', models }, 'res.partner', domain, comodelOf);
    if (expected === null) expect(decision).toEqual(allow);
    else expect(decision).toMatchObject({ effect: 'deny', reason: { code: 'relation_name_search', model: 'res.partner', target: 'res.partner', ...expected } });
  });

  it('reads the conditions of id any / id not any as conditions of the model itself', () => {
    expect(conditionsInDomain([['id', 'any', [['email', 'ilike', 'x']]], ['partner_id.id', 'not any', [['vat', '=', 'BE1']]]])).toEqual([
      { path: 'email', operator: 'ilike', value: 'x' },
      { path: 'partner_id.vat', operator: '=', value: 'BE1' },
    ]);
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': { domain: [['is_company', '=', true]] } } };
    expect(checkRelationSearches(scope, 'sale.order', [['id', 'any', [['partner_id', 'ilike', 'agrolait']]]], comodelOf)).toMatchObject({
      reason: { path: 'partner_id', problem: 'domain' },
    });
  });

  it('follows paths and any to the field compared with text', () => {
    const scope: Scope = { preset: 'read_only', models: { ...orders, 'res.partner': {}, 'product.product': { domain: [['sale_ok', '=', true]] } } };
    expect(checkRelationSearches(scope, 'sale.order', [['order_line', 'any', [['product_id', 'ilike', 'desk']]]], comodelOf)).toEqual(
      denied({ path: 'order_line.product_id', operator: 'ilike', target: 'product.product', fields: ['display_name', 'name'], problem: 'domain' }),
    );
    expect(checkRelationSearches(scope, 'sale.order', [['order_line.product_id', 'in', ['Desk']]], comodelOf)).toMatchObject({ effect: 'deny' });
    expect(checkRelationSearches(scope, 'sale.order', [['partner_id.parent_id', 'ilike', 'acme']], comodelOf)).toEqual(allow);
  });

  it('on a model outside the table, accepts read_fields holding name or display_name', () => {
    const withName: Scope = { preset: 'read_only', models: { ...orders, 'crm.tag': { read_fields: ['name'] } } };
    expect(checkRelationSearches(withName, 'sale.order', [['tag_ids', 'ilike', 'vip']], comodelOf)).toEqual(allow);
    const withoutName: Scope = { preset: 'read_only', models: { ...orders, 'crm.tag': { read_fields: ['color'] } } };
    expect(checkRelationSearches(withoutName, 'sale.order', [['tag_ids', 'in', ['VIP']]], comodelOf)).toEqual(
      denied({ path: 'tag_ids', operator: 'in', target: 'crm.tag', fields: ['display_name', 'name'], problem: 'field', field: 'display_name' }),
    );
  });

  it('explains the refusal in words', () => {
    expect(
      describeDenial({ code: 'relation_name_search', model: 'sale.order', path: 'partner_id', operator: 'ilike', target: 'res.partner', fields: PARTNER_NAMES, problem: 'field', field: 'email' }),
    ).toBe(
      "sale.order: the condition on 'partner_id' with 'ilike' runs in Odoo as a name search on res.partner (matching complete_name, email, ref, vat, company_registry), and field 'email' of res.partner may not be read by this connection; compare 'partner_id' with record ids instead, e.g. ['partner_id', 'in', [7]]",
    );
    expect(
      describeDenial({ code: 'relation_name_search', model: 'sale.order', path: 'partner_id', operator: 'child_of', target: 'res.partner', fields: [], parentField: 'parent_id', problem: 'domain' }),
    ).toBe(
      "sale.order: the condition on 'partner_id' with 'child_of' runs in Odoo as a walk of the res.partner hierarchy through parent_id, and this connection's scope limits res.partner to a domain, which that search would not apply; name the records by id with 'in' instead",
    );
  });
});

describe('model names that are also properties of Object.prototype', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('%s is an ordinary model: default name fields, parent_id', (model) => {
    expect(nameSearchFields(model)).toEqual(['display_name', 'name']);
    expect(parentFieldOf(model)).toBe('parent_id');
  });
});
