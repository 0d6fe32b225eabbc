import { describe, expect, it } from 'vitest';
import { checkDomainValues, NEW_RECORD_ID, plainFieldsInDomain, type FieldFacts, type WriteMode } from '../../../src/policy/domain-values';
import { describeDenial } from '../../../src/policy/reasons';

/** Field types as Odoo 19's fields_get answers them for sale.order / res.partner style models. */
const FACTS: Record<string, FieldFacts> = {
  id: { type: 'integer', store: true },
  partner_id: { type: 'many2one', store: true },
  user_id: { type: 'many2one', store: true },
  state: { type: 'selection', store: true },
  active: { type: 'boolean', store: true },
  color: { type: 'integer', store: true },
  probability: { type: 'float', store: true },
  discount: { type: 'float', store: true, digits: [16, 2] },
  ref: { type: 'char', store: true },
  note: { type: 'text', store: true },
  validity_date: { type: 'date', store: true },
  date_order: { type: 'datetime', store: true },
  amount_total: { type: 'monetary', store: true },
  tag_ids: { type: 'many2many', store: true },
  description: { type: 'html', store: true },
  display_name: { type: 'char', store: false },
  property_x: { type: 'many2one', store: true, company_dependent: true },
};

type Verdict = 'ok' | 'outside' | 'type' | 'missing' | 'unknowable';

function verdict(domain: unknown[], values: Record<string, unknown>, mode: WriteMode = 'write'): Verdict {
  const violation = checkDomainValues(domain, values, FACTS, mode);
  return violation === null ? 'ok' : violation.problem;
}

describe('checkDomainValues: one condition, a value written (Odoo 19 semantics)', () => {
  const cases: Array<[string, unknown[], Record<string, unknown>, Verdict]> = [
    // many2one: ids, false is "not set"
    ['m2o = id, same id', ['partner_id', '=', 7], { partner_id: 7 }, 'ok'],
    ['m2o = id, other id', ['partner_id', '=', 7], { partner_id: 8 }, 'outside'],
    ['m2o = id, false', ['partner_id', '=', 7], { partner_id: false }, 'outside'],
    ['m2o = id, null', ['partner_id', '=', 7], { partner_id: null }, 'outside'],
    ['m2o = false, false', ['partner_id', '=', false], { partner_id: false }, 'ok'],
    ['m2o = false, an id', ['partner_id', '=', false], { partner_id: 7 }, 'outside'],
    ['m2o != false, an id', ['partner_id', '!=', false], { partner_id: 7 }, 'ok'],
    ['m2o != false, false', ['partner_id', '!=', false], { partner_id: false }, 'outside'],
    ['m2o != id, unset matches', ['partner_id', '!=', 7], { partner_id: false }, 'ok'],
    ['m2o != id, that id', ['partner_id', '!=', 7], { partner_id: 7 }, 'outside'],
    ['m2o in ids, one of them', ['partner_id', 'in', [7, 9]], { partner_id: 9 }, 'ok'],
    ['m2o in ids, another', ['partner_id', 'in', [7, 9]], { partner_id: 8 }, 'outside'],
    ['m2o in ids with false, false', ['partner_id', 'in', [7, false]], { partner_id: false }, 'ok'],
    ['m2o not in ids, another', ['partner_id', 'not in', [7, 9]], { partner_id: 8 }, 'ok'],
    ['m2o not in ids, unset matches', ['partner_id', 'not in', [7, 9]], { partner_id: false }, 'ok'],
    ['m2o not in ids with false, false', ['partner_id', 'not in', [7, false]], { partner_id: false }, 'outside'],
    ['m2o in [], never', ['partner_id', 'in', []], { partner_id: 7 }, 'outside'],
    ['m2o not in [], always', ['partner_id', 'not in', []], { partner_id: 7 }, 'ok'],
    ['m2o = [] is = false', ['partner_id', '=', []], { partner_id: false }, 'ok'],
    ['m2o = a list is in', ['partner_id', '=', [7, 9]], { partner_id: 9 }, 'ok'],
    ['m2o > id, larger', ['partner_id', '>', 5], { partner_id: 6 }, 'ok'],
    ['m2o > id, unset never matches', ['partner_id', '>', 5], { partner_id: false }, 'outside'],
    ['m2o value [id, name] is not an id', ['partner_id', '=', 7], { partner_id: [7, 'Acme'] }, 'type'],
    ['m2o value as a string', ['partner_id', '=', 7], { partner_id: '7' }, 'type'],
    ['m2o value true', ['partner_id', '=', 7], { partner_id: true }, 'type'],
    ['m2o value a float', ['partner_id', '=', 7], { partner_id: 7.5 }, 'type'],
    ['m2o value an object', ['partner_id', '=', 7], { partner_id: { id: 7 } }, 'type'],
    ['operator <> is !=', ['partner_id', '<>', 7], { partner_id: 7 }, 'outside'],
    ['operator == is =', ['partner_id', '==', 7], { partner_id: 8 }, 'outside'],
    ['=? with a value is =', ['partner_id', '=?', 7], { partner_id: 8 }, 'outside'],
    ['=? with false is always true', ['partner_id', '=?', false], { partner_id: 8 }, 'ok'],
    // selection
    ['selection in, inside', ['state', 'in', ['draft', 'sent']], { state: 'sent' }, 'ok'],
    ['selection in, outside', ['state', 'in', ['draft', 'sent']], { state: 'sale' }, 'outside'],
    ['selection in, unset', ['state', 'in', ['draft', 'sent']], { state: false }, 'outside'],
    ["selection in, '' is unset", ['state', 'in', ['draft', 'sent']], { state: '' }, 'outside'],
    ['selection not in, unset matches', ['state', 'not in', ['cancel']], { state: false }, 'ok'],
    ['selection = false, unset', ['state', '=', false], { state: '' }, 'ok'],
    ['selection value a number', ['state', '=', 'draft'], { state: 1 }, 'type'],
    // boolean: null is false
    ['boolean = true, true', ['active', '=', true], { active: true }, 'ok'],
    ['boolean = true, false', ['active', '=', true], { active: false }, 'outside'],
    ['boolean = true, null', ['active', '=', true], { active: null }, 'outside'],
    ['boolean = false, null', ['active', '=', false], { active: null }, 'ok'],
    ['boolean != true, false', ['active', '!=', true], { active: false }, 'ok'],
    ['boolean = 1 is = true', ['active', '=', 1], { active: false }, 'outside'],
    ['boolean in [true, false], always', ['active', 'in', [true, false]], { active: false }, 'ok'],
    ['boolean value a string', ['active', '=', true], { active: 'yes' }, 'type'],
    ['boolean value a number', ['active', '=', true], { active: 1 }, 'type'],
    // integer: unset is 0
    ['integer = 0, false', ['color', '=', 0], { color: false }, 'ok'],
    ['integer = false, 0', ['color', '=', false], { color: 0 }, 'ok'],
    ['integer != 0, false', ['color', '!=', 0], { color: false }, 'outside'],
    ['integer < 5, unset is 0', ['color', '<', 5], { color: false }, 'ok'],
    ['integer >= 5, 4', ['color', '>=', 5], { color: 4 }, 'outside'],
    ['integer >= 5, 5', ['color', '>=', 5], { color: 5 }, 'ok'],
    ['integer <= 5, 6', ['color', '<=', 5], { color: 6 }, 'outside'],
    ['integer > 5, 5', ['color', '>', 5], { color: 5 }, 'outside'],
    ['integer value a float', ['color', '<', 5], { color: 1.5 }, 'type'],
    ['integer value a string', ['color', '<', 5], { color: '1' }, 'type'],
    // float
    ['float < 50, 49.5', ['probability', '<', 50], { probability: 49.5 }, 'ok'],
    ['float < 50, 50', ['probability', '<', 50], { probability: 50 }, 'outside'],
    ['float > 0, unset is 0', ['probability', '>', 0], { probability: false }, 'outside'],
    ['float with 2 digits, 2 decimals', ['discount', '<=', 10], { discount: 9.99 }, 'ok'],
    ['float with 2 digits, value Odoo would round', ['discount', '<=', 10], { discount: 10.004 }, 'type'],
    ['float value a string', ['probability', '<', 50], { probability: '10' }, 'type'],
    // char / text: unset is ''
    ['char = text, same', ['ref', '=', 'WEB'], { ref: 'WEB' }, 'ok'],
    ['char = text, other case', ['ref', '=', 'WEB'], { ref: 'web' }, 'outside'],
    ["char = false, ''", ['ref', '=', false], { ref: '' }, 'ok'],
    ["char != false, ''", ['ref', '!=', false], { ref: '' }, 'outside'],
    ['text in, inside', ['note', 'in', ['a', 'b']], { note: 'b' }, 'ok'],
    ['char value a number', ['ref', '=', 'WEB'], { ref: 5 }, 'type'],
    // dates
    ['date >= day, after', ['validity_date', '>=', '2026-01-01'], { validity_date: '2026-03-01' }, 'ok'],
    ['date >= day, before', ['validity_date', '>=', '2026-01-01'], { validity_date: '2025-12-31' }, 'outside'],
    ['date >= day, unset never matches', ['validity_date', '>=', '2026-01-01'], { validity_date: false }, 'outside'],
    ['date = false, unset', ['validity_date', '=', false], { validity_date: false }, 'ok'],
    ['date < false is never true', ['validity_date', '<', false], { validity_date: '2026-01-01' }, 'outside'],
    ['date value not ISO', ['validity_date', '>=', '2026-01-01'], { validity_date: '01/03/2026' }, 'type'],
    ['date value not a calendar day', ['validity_date', '>=', '2026-01-01'], { validity_date: '2026-02-30' }, 'type'],
    ['datetime < instant, before', ['date_order', '<', '2026-01-01 00:00:00'], { date_order: '2025-12-31 23:59:59' }, 'ok'],
    ['datetime < instant, date alone is midnight', ['date_order', '<', '2026-01-01 00:00:00'], { date_order: '2026-01-01' }, 'outside'],
    ['datetime value with a T', ['date_order', '<', '2026-01-01 00:00:00'], { date_order: '2025-12-31T10:00:00' }, 'type'],
  ];
  it.each(cases)('%s', (_label, condition, values, expected) => {
    expect(verdict([condition], values)).toBe(expected);
  });
});

describe('checkDomainValues: conditions out of reach are never refused', () => {
  const cases: Array<[string, unknown[], Record<string, unknown>]> = [
    ['a dotted path', ['partner_id.country_id', '=', 21], { partner_id: 7 }],
    ['ilike', ['ref', 'ilike', 'web'], { ref: 'shop' }],
    ['child_of', ['partner_id', 'child_of', 7], { partner_id: 8 }],
    ['a many2one compared with text (a name search)', ['partner_id', '=', 'Acme'], { partner_id: 8 }],
    ['a many2many', ['tag_ids', 'in', [1]], { tag_ids: [[6, 0, [2]]] }],
    ['monetary (rounded by currency)', ['amount_total', '<', 100], { amount_total: 500 }],
    ['html (sanitized)', ['description', '=', 'x'], { description: 'y' }],
    ['a non-stored field', ['display_name', '=', 'x'], { display_name: 'y' }],
    ['a company-dependent field', ['property_x', '=', 1], { property_x: 2 }],
    ['text order (database collation)', ['ref', '<', 'M'], { ref: 'Z' }],
    ['a relative date', ['validity_date', '>=', 'today'], { validity_date: '2000-01-01' }],
    ['a date alone on a datetime (user time zone)', ['date_order', '>=', '2026-01-01'], { date_order: '2000-01-01 00:00:00' }],
    ['boolean with an inequality', ['active', '>', false], { active: false }],
    ['an unknown field', ['nope', '=', 1], { nope: 2 }],
  ];
  it.each(cases)('%s', (_label, condition, values) => {
    expect(verdict([condition], values)).toBe('ok');
    expect(verdict([condition], values, 'create')).toBe('ok');
  });
});

describe('checkDomainValues: logic of the domain', () => {
  const cases: Array<[string, unknown[], Record<string, unknown>, WriteMode, Verdict]> = [
    ['implicit and: second fails', [['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'draft', user_id: 6 }, 'write', 'outside'],
    ["explicit '&': first fails", ['&', ['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'sale' }, 'write', 'outside'],
    ['update leaves other fields alone', [['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'draft' }, 'write', 'ok'],
    ["'|' with one branch unknown on update", ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'sale' }, 'write', 'ok'],
    ["'|' with both branches false", ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'sale', user_id: 6 }, 'write', 'outside'],
    ["'|' with one branch true", ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], { state: 'sale', user_id: 5 }, 'write', 'ok'],
    ["'!' of a true condition", ['!', ['state', '=', 'cancel']], { state: 'cancel' }, 'write', 'outside'],
    ["'!' of an inequality is its negation with unset", ['!', ['validity_date', '<', '2026-01-01']], { validity_date: false }, 'write', 'ok'],
    ["'!' of an inequality, inside", ['!', ['color', '<', 5]], { color: 3 }, 'write', 'outside'],
    ["'|' with a branch out of reach", ['|', ['partner_id.country_id', '=', 21], ['state', '=', 'draft']], { state: 'sale' }, 'write', 'ok'],
    ['true leaf', [[1, '=', 1]], {}, 'create', 'ok'],
    ['false leaf', [[0, '=', 1]], { state: 'draft' }, 'write', 'outside'],
    ['a wrong type inside an or', ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], { user_id: 'me' }, 'write', 'type'],
  ];
  it.each(cases)('%s', (_label, domain, values, mode, expected) => {
    expect(verdict(domain, values, mode)).toBe(expected);
  });
});

describe('checkDomainValues: a create must decide each condition with its own values', () => {
  const cases: Array<[string, unknown[], Record<string, unknown>, Verdict]> = [
    ['a constrained field left out', [['state', 'in', ['draft', 'sent']]], { name: 'x' }, 'missing'],
    ['left out even when false would match (the default may not be false)', [['partner_id', '=', false]], {}, 'missing'],
    ['given explicitly as false', [['partner_id', '=', false]], { partner_id: false }, 'ok'],
    ["an '|' whose fields are left out", ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], {}, 'missing'],
    ["an '|' decided by one given branch", ['|', ['state', '=', 'draft'], ['user_id', '=', 5]], { user_id: 5 }, 'ok'],
    ["an '|' with a branch out of reach", ['|', ['partner_id.country_id', '=', 21], ['state', '=', 'draft']], {}, 'ok'],
    ['a condition on id: Odoo assigns it', [['id', '=', 1]], { name: 'x' }, 'unknowable'],
    ['a line created with its order: Odoo sets the inverse', [['partner_id', '=', 1]], { partner_id: NEW_RECORD_ID }, 'unknowable'],
    ['every condition given', [['state', '=', 'draft'], ['user_id', '=', 5], ['active', '=', true]], { state: 'draft', user_id: 5, active: true }, 'ok'],
  ];
  it.each(cases)('%s', (_label, domain, values, expected) => {
    expect(verdict(domain, values, 'create')).toBe(expected);
  });

  it('an update never needs the fields it does not write', () => {
    expect(verdict([['state', 'in', ['draft', 'sent']], ['id', '=', 1]], { name: 'x' }, 'write')).toBe('ok');
  });
});

describe('the refusal names the field, the value and the condition', () => {
  it.each<[string, unknown[], Record<string, unknown>, WriteMode, string[]]>([
    ['outside', [['state', 'in', ['draft', 'sent']]], { state: 'sale' }, 'write', ["'state' = \"sale\"", '["state","in",["draft","sent"]]', 'outside']],
    ['missing', [['user_id', '=', 5]], { name: 'x' }, 'create', ["must set 'user_id'", '["user_id","=",5]']],
    ['type', [['user_id', '=', 5]], { user_id: [5, 'Mitchell'] }, 'write', ["'user_id' = [5,\"Mitchell\"]", 'a record id']],
    ['unknowable', [['id', '=', 1]], {}, 'create', ["Odoo assigns 'id'", '["id","=",1]']],
  ])('%s', (_label, domain, values, mode, mentions) => {
    const violation = checkDomainValues(domain, values, FACTS, mode);
    expect(violation).not.toBeNull();
    const text = describeDenial({ code: 'value_outside_scope', model: 'sale.order', ...violation! });
    expect(text.startsWith('sale.order: ')).toBe(true);
    for (const mention of mentions) expect(text).toContain(mention);
  });

  it('keeps a long value short', () => {
    const violation = checkDomainValues([['ref', '=', 'WEB']], { ref: 'x'.repeat(5000) }, FACTS, 'write');
    expect(describeDenial({ code: 'value_outside_scope', model: 'sale.order', ...violation! }).length).toBeLessThan(500);
  });
});

describe('plainFieldsInDomain', () => {
  it('lists the plain fields compared at any level, not dotted paths', () => {
    expect(plainFieldsInDomain(['|', ['state', '=', 'draft'], '!', ['user_id', '=', 5], ['partner_id.name', '=', 'x']] as unknown[])).toEqual([
      'state',
      'user_id',
    ]);
  });
});
