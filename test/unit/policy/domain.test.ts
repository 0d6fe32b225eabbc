import { describe, expect, it } from 'vitest';
import { andDomains, fieldsInDomain, normalizeDomain, recordIdsDomain, validateDomain, type Domain } from '../../../src/policy/domain';

type Row = Record<string, unknown>;

/** A small evaluator for '=', '!=', 'in' and the trivial leaves, to check that composition keeps meaning. */
function matches(domain: Domain, row: Row): boolean {
  const normalized = normalizeDomain(domain);
  let index = 0;
  const evaluate = (): boolean => {
    const term = normalized[index++];
    if (term === '&') return [evaluate(), evaluate()].every(Boolean);
    if (term === '|') return [evaluate(), evaluate()].some(Boolean);
    if (term === '!') return !evaluate();
    const [field, operator, value] = term as [unknown, string, unknown];
    if (typeof field === 'number') return field === 1;
    const actual = row[field as string];
    if (operator === '=') return actual === value;
    if (operator === '!=') return actual !== value;
    if (operator === 'in') return (value as unknown[]).includes(actual);
    throw new Error(`evaluator does not know ${operator}`);
  };
  if (normalized.length === 0) return true;
  const result = evaluate();
  expect(index).toBe(normalized.length);
  return result;
}

const rows: Row[] = [
  { id: 1, state: 'draft', team: 'a' },
  { id: 2, state: 'sent', team: 'b' },
  { id: 3, state: 'sale', team: 'a' },
  { id: 4, state: 'cancel', team: 'c' },
];

describe('validateDomain accepts Odoo domains', () => {
  it.each<[string, unknown]>([
    ['empty', []],
    ['one leaf', [['state', '=', 'draft']]],
    ['implicit and', [['state', '=', 'draft'], ['team', '=', 'a']]],
    ['or', ['|', ['state', '=', 'draft'], ['state', '=', 'sent']]],
    ['not', ['!', ['state', '=', 'draft']]],
    ['nested', ['&', '|', ['a', '=', 1], ['b', '=', 2], '!', ['c', 'in', [1, 2]]]],
    ['dotted path', [['partner_id.country_id.code', '=', 'BE']]],
    ['any with sub-domain', [['order_line', 'any', [['product_id', '=', 3]]]]],
    ['trivial true leaf', [[1, '=', 1]]],
    ['trivial false leaf', [[0, '=', 1]]],
    ['null, boolean and number values', [['a', '=', null], ['b', '!=', false], ['c', '>=', 1.5]]],
    ['every listed operator', ['=', '!=', '<', '>', '<=', '>=', '=?', 'like', 'not like', 'ilike', 'not ilike', '=like', 'not =like', '=ilike', 'not =ilike', 'child_of', 'parent_of'].map((operator) => ['name', operator, 'x'])],
  ])('%s', (_label, domain) => {
    expect(validateDomain(domain)).toEqual({ ok: true, domain });
  });

  it.each([
    [true, [1, '=', 1]],
    [false, [0, '=', 1]],
  ])('turns the JSON constant %s into the trivial leaf %j', (constant, leaf) => {
    expect(validateDomain([constant, ['a', '=', 1]])).toEqual({ ok: true, domain: [leaf, ['a', '=', 1]] });
  });
});

describe('validateDomain refuses with a precise detail', () => {
  it.each<[string, unknown, string]>([
    ['not a list', 'state = draft', "domain must be a list of conditions and '&', '|', '!' operators"],
    ['an object', { state: 'draft' }, "domain must be a list of conditions and '&', '|', '!' operators"],
    ['unknown logical operator', ['^', ['a', '=', 1], ['b', '=', 2]], "domain[0]: '^' is not a logical operator (use '&', '|' or '!')"],
    ['two-element leaf', [['a', '=']], 'domain[0] must have exactly 3 elements [field, operator, value]'],
    ['four-element leaf', [['a', '=', 1, 2]], 'domain[0] must have exactly 3 elements [field, operator, value]'],
    ['number term', [42], "domain[0] must be a condition [field, operator, value] or one of '&', '|', '!'"],
    ['non-trivial numeric leaf', [[2, '=', 1]], "domain[0]: field must be a field name such as 'name' or 'partner_id.name'"],
    ['field with spaces', [['name; drop', '=', 1]], "domain[0]: field must be a field name such as 'name' or 'partner_id.name'"],
    ['unknown operator', [['name', 'equals', 'x']], "domain[0]: unknown operator 'equals'"],
    ['upper-case operator', [['name', 'ILIKE', 'x']], "domain[0]: unknown operator 'ILIKE'"],
    ['any! skips record rules', [['partner_id', 'any!', []]], "domain[0]: operator 'any!' skips record rules and is not accepted"],
    ['non-string operator', [['name', 1, 'x']], 'domain[0]: operator must be a string'],
    ['in with a scalar', [['id', 'in', 3]], "domain[0]: operator 'in' needs a list value"],
    ['object value', [['name', '=', { $ne: 1 }]], 'domain[0]: value must be a string, number, boolean, null or a list of those'],
    ['nested list value', [['id', 'in', [[1]]]], 'domain[0]: a list value may only hold strings, numbers, booleans and null'],
    ['infinite number', [['a', '=', Number.POSITIVE_INFINITY]], 'domain[0]: value must be a string, number, boolean, null or a list of those'],
    ['or missing an operand', ['|', ['a', '=', 1]], "domain[0]: '|' needs 2 operands"],
    ['not missing its operand', [['a', '=', 1], '!'], "domain[1]: '!' needs 1 operand"],
    ['and of nothing', ['&'], "domain[0]: '&' needs 2 operands"],
    ['bad sub-domain', [['order_line', 'any', [['x', '~', 1]]]], "domain[0][2][0]: unknown operator '~'"],
    ['any without a domain', [['order_line', 'any', 3]], "domain[0][2] must be a list of conditions and '&', '|', '!' operators"],
  ])('%s', (_label, domain, detail) => {
    expect(validateDomain(domain)).toEqual({ ok: false, detail });
  });

  it('refuses deeply nested any', () => {
    let domain: unknown[] = [['a', '=', 1]];
    for (let level = 0; level < 10; level += 1) domain = [['rel', 'any', domain]];
    const result = validateDomain(domain);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toMatch(/nests 'any' deeper than 8 levels/);
  });

  it('refuses more than 1000 terms', () => {
    const domain = Array.from({ length: 1001 }, () => ['a', '=', 1]);
    expect(validateDomain(domain)).toEqual({ ok: false, detail: 'domain has more than 1000 terms' });
  });
});

describe('normalizeDomain makes the implicit & explicit, as Odoo does', () => {
  const a = ['a', '=', 1];
  const b = ['b', '=', 2];
  const c = ['c', '=', 3];
  it.each<[string, Domain, Domain]>([
    ['empty', [], []],
    ['single leaf', [a], [a]],
    ['two leaves', [a, b], ['&', a, b]],
    ['three leaves', [a, b, c], ['&', '&', a, b, c]],
    ['leaf then or', [a, '|', b, c], ['&', a, '|', b, c]],
    ['already normal', ['|', a, b], ['|', a, b]],
    ['not then leaf', ['!', a, b], ['&', '!', a, b]],
  ])('%s', (_label, domain, expected) => {
    expect(normalizeDomain(domain)).toEqual(expected);
  });
});

describe('andDomains', () => {
  const scopeDomain: Domain = [['state', 'in', ['draft', 'sent']]];
  it.each<[string, Domain[], Domain]>([
    ['no domains', [], []],
    ['only empty domains', [[], []], []],
    ['one domain is normalized', [[['a', '=', 1], ['b', '=', 2]]], ['&', ['a', '=', 1], ['b', '=', 2]]],
    ['empty ones are ignored', [[], scopeDomain, []], scopeDomain],
    ['two leaves', [[['a', '=', 1]], [['b', '=', 2]]], ['&', ['a', '=', 1], ['b', '=', 2]]],
    ['or stays one operand', [['|', ['a', '=', 1], ['b', '=', 2]], scopeDomain], ['&', '|', ['a', '=', 1], ['b', '=', 2], ...scopeDomain]],
  ])('%s', (_label, domains, expected) => {
    expect(andDomains(...domains)).toEqual(expected);
  });

  const clientDomains: Array<[string, Domain]> = [
    ['empty', []],
    ['or of two states', ['|', ['state', '=', 'sale'], ['state', '=', 'draft']]],
    ['or then implicit and', ['|', ['team', '=', 'a'], ['team', '=', 'b'], ['id', '!=', 1]]],
    ['leaf then or', [['team', '!=', 'c'], '|', ['state', '=', 'sale'], ['state', '=', 'sent']]],
    ['negated or', ['!', '|', ['state', '=', 'draft'], ['team', '=', 'b']]],
    ['trailing unbalanced or-chain', ['|', '|', ['id', '=', 1], ['id', '=', 3], ['id', '=', 4]]],
  ];
  it.each(clientDomains)('AND with the scope domain keeps the meaning of a client domain: %s', (_label, client) => {
    const combined = andDomains(client, scopeDomain);
    expect(validateDomain(combined).ok).toBe(true);
    for (const row of rows) {
      expect(matches(combined, row)).toBe(matches(client, row) && matches(scopeDomain, row));
    }
  });

  it('refuses the unbalanced or that would turn plain concatenation into an escape', () => {
    const unbalanced: Domain = ['|', ['state', '=', 'sale']];
    const naive = [...unbalanced, ...scopeDomain];
    expect(rows.filter((row) => matches(naive, row)).map((row) => row.id)).toEqual([1, 2, 3]);
    expect(validateDomain(unbalanced)).toEqual({ ok: false, detail: "domain[0]: '|' needs 2 operands" });
  });

  it('is associative in meaning for three domains', () => {
    const d1: Domain = ['|', ['team', '=', 'a'], ['team', '=', 'b']];
    const d2: Domain = [['id', '!=', 2]];
    const combined = andDomains(d1, d2, scopeDomain);
    expect(combined.slice(0, 2)).toEqual(['&', '&']);
    expect(rows.filter((row) => matches(combined, row)).map((row) => row.id)).toEqual([1]);
  });
});

describe('fieldsInDomain', () => {
  it.each<[string, Domain, string[]]>([
    ['empty', [], []],
    ['leaves and operators', ['|', ['name', '=', 'x'], '!', ['email', 'ilike', 'y']], ['name', 'email']],
    ['duplicates once', [['name', '=', 'x'], ['name', '!=', 'y']], ['name']],
    ['dotted path kept whole', [['partner_id.email', '=', 'x']], ['partner_id.email']],
    ['any sub-domain prefixed', [['order_line', 'any', [['product_id.name', '=', 'x'], ['price_unit', '>', 3]]]], ['order_line', 'order_line.product_id.name', 'order_line.price_unit']],
    ['trivial leaves ignored', [[1, '=', 1], ['state', '=', 'x']], ['state']],
    // Odoo 19 _optimize_any_domain: `id any D` is D, `id not any D` is not D, on the same model.
    ['id any: the sub-domain is on the model itself', [['id', 'any', [['email', 'ilike', 'x']]]], ['id', 'email']],
    ['id not any: the same', ['!', ['id', 'not any', [['vat', '=', 'BE1']]]], ['id', 'vat']],
    ['a path ending in .id: on the related model', [['partner_id.id', 'any', [['email', 'ilike', 'x']]]], ['partner_id.id', 'partner_id.email']],
    ['id any nested in a relation', [['partner_id', 'any', [['id', 'any', [['email', 'ilike', 'x']]]]]], ['partner_id', 'partner_id.id', 'partner_id.email']],
  ])('%s', (_label, domain, expected) => {
    expect(fieldsInDomain(domain)).toEqual(expected);
  });
});

it('recordIdsDomain copies the ids into an id-in condition', () => {
  const ids = [3, 4];
  const domain = recordIdsDomain(ids);
  ids.push(5);
  expect(domain).toEqual([['id', 'in', [3, 4]]]);
});
