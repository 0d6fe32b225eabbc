import { describe, expect, it } from 'vitest';
import type { FieldInfo, OdooRecord } from '../../../odoo-standin/dataset';
import { andDomains, compileDomain, type DomainModel } from '../../../odoo-standin/domain';
import { OdooError } from '../../../odoo-standin/errors';

const field = (type: string, relation?: string): FieldInfo => ({ string: type, type, ...(relation ? { relation } : {}) });

const countries: DomainModel = {
  name: 'res.country',
  fields: { id: field('integer'), name: field('char'), code: field('char') },
  records: new Map([
    [1, { id: 1, name: 'Belgium', code: 'BE' }],
    [2, { id: 2, name: 'France', code: 'FR' }],
  ]),
};

const partnerRecords: OdooRecord[] = [
  { id: 1, name: 'Acme Corporation', email: 'info@acme.example', is_company: true, credit: 100, country_id: [1, 'Belgium'], category_id: [7, 8] },
  { id: 2, name: 'Azure Interior', email: false, is_company: true, credit: 0, country_id: [2, 'France'], category_id: [] },
  { id: 3, name: "Jo O'Neil", email: 'jo@acme.example', is_company: false, credit: 55.5, country_id: false, category_id: [8] },
  { id: 4, name: '50%_off shop', email: 'deals@shop.example', is_company: false, credit: 10, country_id: [1, 'Belgium'], category_id: [] },
];

const partners: DomainModel = {
  name: 'res.partner',
  fields: {
    id: field('integer'),
    name: field('char'),
    email: field('char'),
    is_company: field('boolean'),
    credit: field('float'),
    country_id: field('many2one', 'res.country'),
    category_id: field('many2many', 'res.partner.category'),
  },
  records: new Map(partnerRecords.map((record) => [record.id, record])),
};

const lookup = (name: string) => (name === 'res.country' ? countries : undefined);

function ids(domain: unknown): number[] {
  const filter = compileDomain(domain, partners, lookup);
  return partnerRecords.filter(filter).map((record) => record.id);
}

function failure(domain: unknown): { name: string; message: string } {
  try {
    compileDomain(domain, partners, lookup);
  } catch (error) {
    if (error instanceof OdooError) return { name: error.odooName, message: error.message };
    throw error;
  }
  throw new Error('the domain was accepted');
}

describe('domain evaluation', () => {
  it.each([
    ['an empty domain', [], [1, 2, 3, 4]],
    ['=', [['name', '=', 'Azure Interior']], [2]],
    ['= false on a char (empty value)', [['email', '=', false]], [2]],
    ['!= keeps empty values, like Odoo', [['email', '!=', 'jo@acme.example']], [1, 2, 4]],
    ['<> is !=', [['is_company', '<>', true]], [3, 4]],
    ['= false on a boolean', [['is_company', '=', false]], [3, 4]],
    ['>', [['credit', '>', 10]], [1, 3]],
    ['>=', [['credit', '>=', 10]], [1, 3, 4]],
    ['<', [['credit', '<', 10]], [2]],
    ['<=', [['credit', '<=', 10]], [2, 4]],
    ['in', [['id', 'in', [2, 4, 99]]], [2, 4]],
    ['not in', [['id', 'not in', [2, 4]]], [1, 3]],
    ['in with false matches empty values', [['email', 'in', [false, 'jo@acme.example']]], [2, 3]],
    ['like wraps the value in %', [['email', 'like', 'acme']], [1, 3]],
    ['like is case-sensitive', [['name', 'like', 'acme']], []],
    ['ilike is not', [['name', 'ilike', 'ACME']], [1]],
    ['not like keeps empty values', [['email', 'not like', 'acme']], [2, 4]],
    ['not ilike', [['name', 'not ilike', 'a']], [3, 4]],
    ['=like takes the pattern as written', [['name', '=like', 'A%']], [1, 2]],
    ['=ilike', [['name', '=ilike', 'a%']], [1, 2]],
    ['_ matches one character', [['name', '=like', 'Jo O_Neil']], [3]],
    ['a backslash escapes a wildcard', [['name', '=like', '50\\%\\_off%']], [4]],
    ['implicit AND', [['is_company', '=', true], ['credit', '>', 50]], [1]],
    ['| (prefix OR)', ['|', ['id', '=', 1], ['id', '=', 3]], [1, 3]],
    ['! (prefix NOT)', ['!', ['is_company', '=', true]], [3, 4]],
    ['nested prefix operators', ['&', '|', ['id', '=', 1], ['id', '=', 3], '!', ['email', 'ilike', 'jo']], [1]],
    ['operators with an implicit AND after them', ['|', ['id', '=', 1], ['id', '=', 2], ['email', '!=', false]], [1]],
    ['a many2one compares its id', [['country_id', '=', 1]], [1, 4]],
    ['a many2one in a list of ids', [['country_id', 'in', [2]]], [2]],
    ['a many2one = false', [['country_id', '=', false]], [3]],
    ['a many2one compared with a string searches its name', [['country_id', 'ilike', 'fran']], [2]],
    ['a many2one path into a known model', [['country_id.code', '=', 'BE']], [1, 4]],
    ['a many2many contains an id', [['category_id', '=', 8]], [1, 3]],
    ['a many2many in a list of ids', [['category_id', 'in', [7, 99]]], [1]],
    ['a many2many = false is empty', [['category_id', '=', false]], [2, 4]],
    ['TRUE_LEAF', [[1, '=', 1]], [1, 2, 3, 4]],
    ['FALSE_LEAF', [[0, '=', 1]], []],
  ])('%s', (_label, domain, expected) => {
    expect(ids(domain)).toEqual(expected);
  });

  describe('a relational field compared with text is a name search on the related model, as Odoo 19 runs it', () => {
    // Partner 1 'Acme Corporation' has email info@acme.example; partner 2 has none; partner 3 is archived.
    const related: DomainModel = {
      ...partners,
      records: new Map([
        [1, partnerRecords[0]!],
        [2, { ...partnerRecords[1]!, vat: 'BE0477472701' }],
        [3, { ...partnerRecords[2]!, active: false }],
      ]),
    };
    const orderRecords: OdooRecord[] = [
      { id: 10, name: 'S10', partner_id: [1, 'Acme Corporation'], follower_ids: [1, 2] },
      { id: 11, name: 'S11', partner_id: [2, 'Azure Interior'], follower_ids: [] },
      { id: 12, name: 'S12', partner_id: [3, "Jo O'Neil"], follower_ids: [3] },
      { id: 13, name: 'S13', partner_id: false, follower_ids: [] },
    ];
    const orders: DomainModel = {
      name: 'sale.order',
      fields: { id: field('integer'), name: field('char'), partner_id: field('many2one', 'res.partner'), follower_ids: field('many2many', 'res.partner') },
      records: new Map(orderRecords.map((record) => [record.id, record])),
    };
    const orderIds = (domain: unknown) => orderRecords.filter(compileDomain(domain, orders, (name) => (name === 'res.partner' ? related : undefined))).map((r) => r.id);

    it.each([
      ['ilike matches an email, not only the name', [['partner_id', 'ilike', 'acme.example']], [10]],
      ['ilike matches the name', [['partner_id', 'ilike', 'acme']], [10]],
      ['ilike matches the vat', [['partner_id', 'ilike', 'BE0477']], [11]],
      ['= a string is an exact name', [['partner_id', '=', 'Acme Corporation']], [10]],
      ['in a list of strings', [['partner_id', 'in', ['Azure Interior', 'nobody']]], [11]],
      ['in a list mixing ids and names', [['partner_id', 'in', [2, 'Acme Corporation']]], [10, 11]],
      ['archived related records are not found', [['partner_id', 'ilike', 'jo@acme']], []],
      ['not ilike is the negation, an empty relation included', [['partner_id', 'not ilike', 'acme.example']], [11, 12, 13]],
      ['a many2many too', [['follower_ids', 'ilike', 'acme.example']], [10]],
      ['ids still compare ids', [['partner_id', 'in', [1, 3]]], [10, 12]],
    ])('%s', (_label, domain, expected) => {
      expect(orderIds(domain)).toEqual(expected);
    });
  });

  it('rejects an unknown field with the message Odoo writes, Python repr included', () => {
    expect(failure([['no_such_field', '=', 1]])).toEqual({
      name: 'builtins.ValueError',
      message: "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)",
    });
    expect(failure([['nope', 'in', [true, null, "it's", 'x']]]).message).toBe(
      `Invalid field res.partner.nope in condition ('nope', 'in', [True, None, "it's", 'x'])`,
    );
    expect(failure(['|', ['id', '=', 1], ['country_id.nope', '=', 'x']]).message).toBe(
      "Invalid field res.country.nope in condition ('country_id.nope', '=', 'x')",
    );
  });

  it('rejects unknown operators, malformed leaves and missing operands', () => {
    expect(failure([['name', 'is', 'x']])).toEqual({
      name: 'builtins.ValueError',
      message: "Invalid operator 'is' in condition ('name', 'is', 'x')",
    });
    expect(failure([['name', '=']]).name).toBe('builtins.ValueError');
    expect(failure(['|', ['id', '=', 1]]).name).toBe('builtins.ValueError');
    expect(failure('name = 1').name).toBe('builtins.ValueError');
  });

  // Odoo 19 domains.py: a path is `a any [(b, op, v)]`; `id any D` is D and `id not any D` is ~D.
  it.each<[string, unknown[], number[]]>([
    ['id any D is D', [['id', 'any', [['email', 'ilike', 'acme']]]], [1, 3]],
    ['id not any D is not D', [['id', 'not any', [['email', 'ilike', 'acme']]]], [2, 4]],
    ['id any [] matches every record', [['id', 'any', []]], [1, 2, 3, 4]],
    ['a many2one any D', [['country_id', 'any', [['code', '=', 'BE']]]], [1, 4]],
    ['a many2one not any D keeps records without one', [['country_id', 'not any', [['code', '=', 'BE']]]], [2, 3]],
    ['a path ending in .id', [['country_id.id', 'any', [['name', 'ilike', 'fra']]]], [2]],
    ['nested id any inside a relation', [['country_id', 'any', [['id', 'any', [['code', '=', 'FR']]]]]], [2]],
  ])('%s', (_label, domain, expected) => {
    expect(ids(domain)).toEqual(expected);
  });

  it('refuses any on a field that is not relational, as Odoo does', () => {
    expect(failure([['email', 'any', [['id', '=', 1]]]])).toMatchObject({ name: 'builtins.ValueError', message: expect.stringContaining("Cannot use 'any' with non-relational fields") });
  });

  it('refuses the operators it does not evaluate rather than answering wrongly', () => {
    expect(failure([['id', 'child_of', 1]]).name).toBe('builtins.NotImplementedError');
  });

  it('ANDs two domains the way Odoo writes it', () => {
    expect(andDomains([], [['a', '=', 1]])).toEqual([['a', '=', 1]]);
    expect(andDomains([['a', '=', 1]], [['b', '=', 2], ['c', '=', 3]])).toEqual(['&', ['a', '=', 1], '&', ['b', '=', 2], ['c', '=', 3]]);
  });
});
