import { afterEach, describe, expect, it, vi } from 'vitest';
import { textOf } from '../support/gateway';
import { callTool, expectAllowed, expectRefused, expectSessionRefused, ISSUE_SCOPE, setClock, useScopedGateway } from './scopes-helpers';

/** read_fields, write_fields, domain and methods, enforced by every tool before Odoo sees the call. */

const { connectWithScope } = useScopedGateway();

afterEach(() => {
  vi.useRealTimers();
});

// The issue's scope without its network and clock limits (tested at the end), and
// with schema and report on sale.order so describe_model and aggregate_records apply.
const { ip_allow: _ipAllow, time_windows: _timeWindows, ...issueScopeAnywhere } = ISSUE_SCOPE;
const salesScope = {
  ...issueScopeAnywhere,
  models: {
    ...ISSUE_SCOPE.models,
    'sale.order': { ...ISSUE_SCOPE.models['sale.order'], operations: ['query', 'read', 'write', 'schema', 'report'] },
  },
};

const READ_FIELDS = ['amount_total', 'id', 'name', 'partner_id', 'state'];
const SCOPE_DOMAIN = [['state', 'in', ['draft', 'sent']]];
const IN_DOMAIN_IDS = [1, 2, 3, 5, 19];

type OrderRecord = Record<string, unknown> & { id: number };

describe('read_fields', () => {
  it('search_records returns only them when no fields are asked, and asks Odoo for only them', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const data = expectAllowed<{ records: OrderRecord[] }>(await callTool(client, 'search_records', { model: 'sale.order' }));
    expect(data.records.length).toBeGreaterThan(0);
    for (const record of data.records) expect(Object.keys(record).sort()).toEqual(READ_FIELDS);
    expect(odoo.bodies('/json/2/sale.order/search_read')).toEqual([expect.objectContaining({ fields: ['name', 'partner_id', 'state', 'amount_total'] })]);
  });

  it("search_records without an order sorts by id, so Odoo's default order cannot sort by a hidden field", async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    expectAllowed(await callTool(client, 'search_records', { model: 'sale.order', limit: 2 }));
    expect(odoo.bodies('/json/2/sale.order/search_read')).toEqual([expect.objectContaining({ order: 'id' })]);
  });

  it('read_records returns only them when no fields are asked', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const data = expectAllowed<{ records: OrderRecord[] }>(await callTool(client, 'read_records', { model: 'sale.order', ids: [1, 19] }));
    expect(data.records.map((record) => Object.keys(record).sort())).toEqual([READ_FIELDS, READ_FIELDS]);
    expect(odoo.bodies('/json/2/sale.order/read')).toEqual([expect.objectContaining({ ids: [1, 19], fields: ['name', 'partner_id', 'state', 'amount_total'] })]);
  });

  it.each([
    ['search_records', { model: 'sale.order', fields: ['name', 'user_id'] }, 'user_id'],
    ['read_records', { model: 'sale.order', ids: [1], fields: ['note'] }, 'note'],
    ['search_records', { model: 'sale.order', order: 'date_order desc' }, 'date_order'],
    ['search_records', { model: 'sale.order', order: 'name, user_id desc' }, 'user_id'],
  ] as const)('%s refuses a hidden field asked for or sorted on (%j)', async (tool, args, field) => {
    const { client, odoo } = await connectWithScope(salesScope);
    expectRefused(await callTool(client, tool, { ...args }), 'field_not_readable', `sale.order: field '${field}' may not be read by this connection`);
    expect(odoo.requests()).toHaveLength(0);
  });

  it('sorting on a readable field is fine', async () => {
    const { client } = await connectWithScope(salesScope);
    const data = expectAllowed<{ records: OrderRecord[] }>(await callTool(client, 'search_records', { model: 'sale.order', order: 'amount_total desc' }));
    const totals = data.records.map((record) => record.amount_total as number);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('describe_model lists only them', async () => {
    const { client } = await connectWithScope(salesScope);
    const data = expectAllowed<{ fields: Record<string, unknown> }>(await callTool(client, 'describe_model', { model: 'sale.order' }));
    expect(Object.keys(data.fields).sort()).toEqual(READ_FIELDS);
  });

  it.each([
    ['a hidden group_by field', { group_by: ['user_id'] }, 'user_id'],
    ['a hidden aggregated field', { group_by: ['state'], aggregates: ['amount_untaxed:sum'] }, 'amount_untaxed'],
    ['a hidden date field with a granularity', { group_by: ['date_order:month'] }, 'date_order'],
  ])('aggregate_records refuses %s', async (_label, args, field) => {
    const { client, odoo } = await connectWithScope(salesScope);
    expectRefused(await callTool(client, 'aggregate_records', { model: 'sale.order', ...args }), 'field_not_readable', `field '${field}'`);
    expect(odoo.requests()).toHaveLength(0);
  });

  it.each([
    ['search_records', [['user_id', '=', 2]], 'user_id'],
    ['count_records', [['state', '=', 'draft'], ['amount_untaxed', '>', 100]], 'amount_untaxed'],
    ['aggregate_records', ['|', ['name', 'ilike', 'S0'], ['note', 'ilike', 'x']], 'note'],
    ['search_records', [['order_line', 'any', [['price_unit', '>', 1]]]], 'order_line'],
  ] as const)('%s refuses a domain condition on a hidden field', async (tool, domain, field) => {
    const { client, odoo } = await connectWithScope(salesScope);
    const extra = tool === 'aggregate_records' ? { group_by: ['state'] } : {};
    expectRefused(await callTool(client, tool, { model: 'sale.order', domain, ...extra }), 'field_not_readable', `field '${field}'`);
    expect(odoo.requests()).toHaveLength(0);
  });
});

describe('domain', () => {
  it('is ANDed into search_records: Odoo receives both, and only records inside come back', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const all = expectAllowed<{ records: OrderRecord[] }>(await callTool(client, 'search_records', { model: 'sale.order' }));
    expect(all.records.map((record) => record.id).sort((a, b) => a - b)).toEqual(IN_DOMAIN_IDS);
    const acme = expectAllowed<{ records: OrderRecord[] }>(
      await callTool(client, 'search_records', { model: 'sale.order', domain: [['partner_id', '=', 9]] }),
    );
    expect(acme.records.map((record) => record.id).sort((a, b) => a - b)).toEqual([1, 5]);
    expect(odoo.bodies('/json/2/sale.order/search_read').map((body) => body.domain)).toEqual([
      SCOPE_DOMAIN,
      ['&', ['partner_id', '=', 9], ...SCOPE_DOMAIN],
    ]);
  });

  it("keeps the caller's '|' intact when ANDing", async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const callerDomain = ['|', ['partner_id', '=', 9], ['partner_id', '=', 10]];
    const data = expectAllowed<{ records: OrderRecord[] }>(await callTool(client, 'search_records', { model: 'sale.order', domain: callerDomain }));
    expect(data.records.map((record) => record.id).sort((a, b) => a - b)).toEqual([1, 5]);
    expect(odoo.bodies('/json/2/sale.order/search_read')[0]!.domain).toEqual(['&', ...callerDomain, ...SCOPE_DOMAIN]);
  });

  it('is ANDed into count_records', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const data = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'sale.order', domain: [['amount_total', '>', 1000]] }));
    expect(data.count).toBe(3);
    expect(odoo.bodies('/json/2/sale.order/search_count')).toEqual([{ domain: ['&', ['amount_total', '>', 1000], ...SCOPE_DOMAIN] }]);
  });

  it('is ANDed into aggregate_records', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    const data = expectAllowed<{ groups: Array<{ group: { state: string }; count: number }> }>(
      await callTool(client, 'aggregate_records', { model: 'sale.order', group_by: ['state'], aggregates: ['amount_total:sum'] }),
    );
    const counted = Object.fromEntries(data.groups.filter((group) => group.count > 0).map((group) => [group.group.state, group.count]));
    expect(counted).toEqual({ draft: 4, sent: 1 });
    expect(odoo.bodies('/json/2/sale.order/formatted_read_group')).toEqual([expect.objectContaining({ domain: SCOPE_DOMAIN })]);
  });

  it.each([
    ['read_records', { model: 'sale.order', ids: [4] }, [4]],
    ['read_records', { model: 'sale.order', ids: [1, 4, 6] }, [4, 6]],
    ['update_records', { model: 'sale.order', ids: [19, 20], values: { name: 'x' } }, [20]],
    ['read_records', { model: 'sale.order', ids: [999999] }, [999999]],
  ] as const)('%s by id outside it is refused with record_outside_scope (%j)', async (tool, args, outside) => {
    const { client, odoo } = await connectWithScope(salesScope);
    const noun = outside.length === 1 ? `record ${outside[0]} is` : `records ${outside.join(', ')} are`;
    expectRefused(await callTool(client, tool, { ...args }), 'record_outside_scope', `sale.order: ${noun} outside this connection's scope`);
    expect(odoo.methods()).toEqual(['sale.order.search']);
    expect(odoo.bodies('/json/2/sale.order/search')).toEqual([
      { domain: ['&', ['id', 'in', [...new Set(args.ids)]], ...SCOPE_DOMAIN], context: { active_test: false } },
    ]);
  });

  it('lets updates by id inside it through', async () => {
    const { client, odoo } = await connectWithScope(salesScope);
    expectAllowed(await callTool(client, 'update_records', { model: 'sale.order', ids: [1, 19], values: { name: 'S-renamed' } }));
    expect(odoo.methods()).toEqual(['sale.order.search', 'sale.order.fields_get', 'sale.order.write']);
  });

  describe('deletes and method calls by id', () => {
    const leadsScope = {
      preset: 'custom',
      operations: ['query', 'read', 'delete', 'execute'],
      models: { 'crm.lead': { domain: [['type', '=', 'lead']], methods: ['message_post'] } },
    };

    it.each([
      ['delete_records', { model: 'crm.lead', ids: [13] }],
      ['call_method', { model: 'crm.lead', method: 'message_post', ids: [2, 14], kwargs: { body: 'x' } }],
    ] as const)('%s outside it is refused before the change reaches Odoo', async (tool, args) => {
      const { client, odoo } = await connectWithScope(leadsScope);
      expectRefused(await callTool(client, tool, { ...args }), 'record_outside_scope', 'crm.lead: record');
      expect(odoo.methods()).toEqual(['crm.lead.search']);
    });

    it('inside it they run', async () => {
      const { client, odoo } = await connectWithScope(leadsScope);
      expectAllowed(await callTool(client, 'call_method', { model: 'crm.lead', method: 'message_post', ids: [2], kwargs: { body: 'x' } }));
      expectAllowed(await callTool(client, 'delete_records', { model: 'crm.lead', ids: [1] }));
      expect(odoo.methods()).toEqual(['crm.lead.search', 'crm.lead.message_post', 'crm.lead.search', 'crm.lead.unlink']);
    });

    it('refuses record ids smuggled into kwargs, where JSON-2 would read them', async () => {
      const { client, odoo } = await connectWithScope(leadsScope);
      for (const args of [
        { model: 'crm.lead', method: 'message_post', kwargs: { ids: [14], body: 'x' } },
        { model: 'crm.lead', method: 'message_post', ids: [2], kwargs: { ids: [14], body: 'x' } },
      ]) {
        const result = await callTool(client, 'call_method', args);
        expect(result.isError).toBe(true);
        expect(result.structuredContent).toMatchObject({ error: { code: 'invalid_arguments' } });
        expect(textOf(result)).toMatch(/kwargs.*'ids'/);
      }
      expect(odoo.requests()).toHaveLength(0);
    });

    it('refuses positional args without ids, which /jsonrpc would read as the records', async () => {
      const { client, odoo } = await connectWithScope(leadsScope, { api: 'jsonrpc' });
      expectRefused(
        await callTool(client, 'call_method', { model: 'crm.lead', method: 'message_post', args: [[14]], kwargs: { body: 'x' } }),
        'record_ids_required',
        "crm.lead: method 'message_post' must name its records in ids",
      );
      expect(odoo.requests()).toHaveLength(0);
      expectAllowed(await callTool(client, 'call_method', { model: 'crm.lead', method: 'message_post', ids: [2], kwargs: { body: 'x' } }));
    });
  });
});

describe('relation paths in a domain', () => {
  it.each([
    ['a path', [['partner_id.email', 'ilike', 'acme']]],
    ["an 'any' condition", [['partner_id', 'any', [['email', 'ilike', 'acme']]]]],
  ])('%s into a denied model is refused, and only the field list was read', async (_label, domain) => {
    const { client, odoo } = await connectWithScope({ preset: 'read_only', deny_models: ['res.partner'] });
    expectRefused(await callTool(client, 'search_records', { model: 'sale.order', domain }), 'model_denied', "model 'res.partner'", "denied by 'res.partner'");
    expect(odoo.methods()).toEqual(['sale.order.fields_get']);
  });

  it('a path into a hidden field of a readable model is refused', async () => {
    const { client } = await connectWithScope({ preset: 'read_only', models: { '*': {}, 'res.partner': { read_fields: ['name'] } } });
    expectRefused(
      await callTool(client, 'count_records', { model: 'sale.order', domain: [['partner_id.email', 'ilike', 'acme']] }),
      'field_not_readable',
      "res.partner: field 'email' may not be read",
    );
    expectAllowed(await callTool(client, 'count_records', { model: 'sale.order', domain: [['partner_id.name', 'ilike', 'acme']] }));
  });

  it('a sort through a relation follows the same rules', async () => {
    const { client } = await connectWithScope({ preset: 'read_only', deny_models: ['res.partner'] });
    expectRefused(await callTool(client, 'search_records', { model: 'sale.order', order: 'partner_id.name' }), 'model_denied', "model 'res.partner'");
  });

  it('a path into a model limited by a domain is refused: it would match records outside that domain', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'read_only', models: { '*': {}, 'sale.order': { domain: SCOPE_DOMAIN } } });
    expectRefused(
      await callTool(client, 'search_records', { model: 'res.partner', domain: [['sale_order_ids.state', '=', 'sale']] }),
      'relation_outside_scope',
      "res.partner: the condition on 'sale_order_ids.state' searches sale.order records",
    );
    expect(odoo.methods()).toEqual(['res.partner.fields_get']);
  });
});

describe('a relational field compared with text', () => {
  // Odoo 19 runs these as a name search on res.partner (complete_name, email, ref, vat,
  // company_registry), outside res.partner's scope domain and past its read_fields
  // (odoo-standin/fixtures/semantics.json, m2o_*). Partner 9 'Acme Corporation', email
  // info@agrolait.com, has sale orders 1 and 5.
  const NAME_FIELDS = 'complete_name, email, ref, vat, company_registry';
  const partnerScopes = [
    ['limited by a domain', { 'res.partner': { domain: [['is_company', '=', true]] } }, "this connection's scope limits res.partner to a domain"],
    ['read_fields without email', { 'res.partner': { read_fields: ['name', 'complete_name', 'ref', 'vat', 'company_registry'] } }, "field 'email' of res.partner may not be read"],
    ['not in the scope', {}, 'this connection may not search res.partner'],
    ['without query', { 'res.partner': { operations: ['read'] } }, 'this connection may not search res.partner'],
  ] as const;
  const forms = [
    ['ilike an email', 'count_records', [['partner_id', 'ilike', 'agrolait.com']]],
    ['ilike a name', 'search_records', [['partner_id', 'ilike', 'Acme']]],
    ['in a list of strings', 'count_records', [['partner_id', 'in', ['Acme Corporation']]]],
    ['= a string', 'aggregate_records', [['partner_id', '=', 'Acme Corporation']]],
    ['=ilike', 'count_records', [['partner_id', '=ilike', 'acme%']]],
    ['like', 'count_records', [['partner_id', 'like', 'Acme']]],
    ['behind an |', 'count_records', ['|', ['name', '=', 'S00001'], ['partner_id', 'ilike', 'agrolait']]],
    ['not ilike', 'count_records', [['partner_id', 'not ilike', 'agrolait']]],
    ['child_of a name', 'count_records', [['partner_id', 'child_of', 'Acme']]],
  ] as const;
  const scopeWith = (partner: Record<string, unknown>) => ({
    preset: 'custom',
    operations: ['query', 'read', 'report'],
    models: { 'sale.order': {}, ...partner },
  });
  const argsFor = (tool: string, domain: readonly unknown[]) => ({ model: 'sale.order', domain, ...(tool === 'aggregate_records' ? { group_by: ['state'] } : {}) });

  const refusals = partnerScopes.flatMap(([scopeLabel, partner, problem]) =>
    forms.map(([formLabel, tool, domain]) => [`${formLabel} (${tool}) when res.partner is ${scopeLabel}`, partner, tool, domain, problem] as const),
  );

  it.each(refusals)('refuses %s, and Odoo is asked for no search', async (_label, partner, tool, domain, problem) => {
    const { client, odoo } = await connectWithScope(scopeWith(partner));
    const operator = (domain as readonly unknown[]).filter((term): term is readonly unknown[] => Array.isArray(term) && term[0] === 'partner_id')[0]![1] as string;
    const search = `name search on res.partner (matching ${NAME_FIELDS})`;
    expectRefused(
      await callTool(client, tool, argsFor(tool, domain)),
      'relation_name_search',
      `sale.order: the condition on 'partner_id' with '${operator}' runs in Odoo as a ${search}`,
      problem,
      operator === 'child_of' ? "name the records by id with 'in' instead" : "compare 'partner_id' with record ids instead",
    );
    expect(odoo.methods()).toEqual(['sale.order.fields_get']);
  });

  it('refuses child_of with an id when res.partner is limited by a domain: it searches the res.partner hierarchy', async () => {
    const { client, odoo } = await connectWithScope(scopeWith({ 'res.partner': { domain: [['is_company', '=', true]] } }));
    expectRefused(
      await callTool(client, 'count_records', { model: 'sale.order', domain: [['partner_id', 'child_of', 9]] }),
      'relation_name_search',
      'a walk of the res.partner hierarchy through parent_id',
    );
    expect(odoo.methods()).toEqual(['sale.order.fields_get']);
  });

  it('refuses child_of with an id when res.partner hides parent_id: the walk would show how partners hang together', async () => {
    const { client, odoo } = await connectWithScope(scopeWith({ 'res.partner': { read_fields: ['name'] } }));
    expectRefused(
      await callTool(client, 'count_records', { model: 'sale.order', domain: [['partner_id', 'child_of', [1]]] }),
      'relation_name_search',
      "a walk of the res.partner hierarchy through parent_id, and field 'parent_id' of res.partner may not be read",
    );
    expect(odoo.methods()).toEqual(['sale.order.fields_get']);
  });

  it.each([
    ['ilike an email', [['partner_id', 'ilike', 'agrolait.com']], 2],
    ['ilike a name', [['partner_id', 'ilike', 'Acme']], 2],
    ['in a list of strings', [['partner_id', 'in', ['Acme Corporation']]], 2],
    ['= a string', [['partner_id', '=', 'Acme Corporation']], 2],
    ['=ilike', [['partner_id', '=ilike', 'acme%']], 2],
    ['not ilike', [['partner_id', 'not ilike', 'agrolait']], 18],
  ] as const)('allows %s when res.partner is fully readable, and Odoo matches it by name search', async (_label, domain, count) => {
    const { client, odoo } = await connectWithScope(scopeWith({ 'res.partner': {} }));
    const data = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'sale.order', domain }));
    expect(data.count).toBe(count);
    expect(odoo.methods()).toEqual(['sale.order.fields_get', 'sale.order.search_count']);
  });

  it.each([
    ['an id', [['partner_id', '=', 9]], 2],
    ['a list of ids', [['partner_id', 'in', [9, 16]]], 3],
    ['false', [['partner_id', '!=', false]], 20],
  ] as const)('still compares %s without asking Odoo anything more, whatever res.partner allows', async (_label, domain, count) => {
    const { client, odoo } = await connectWithScope(scopeWith({ 'res.partner': { domain: [['is_company', '=', true]], read_fields: ['name'] } }));
    const data = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'sale.order', domain }));
    expect(data.count).toBe(count);
    expect(odoo.methods()).toEqual(['sale.order.search_count']);
  });
});

describe("a sub-domain on id: Odoo 19 reads ['id', 'any', D] as D and ['id', 'not any', D] as not D", () => {
  // _optimize_any_domain in odoo/orm/domains.py: the conditions of D are conditions on the model itself.
  const partnersNameOnly = { preset: 'custom', operations: ['query', 'read', 'report'], models: { 'res.partner': { read_fields: ['name'] }, 'sale.order': {} } };
  const companiesOnly = { preset: 'read_only', models: { 'res.partner': { domain: [['is_company', '=', true]] }, 'sale.order': {}, 'crm.lead': {} } };
  it.each([
    ['a hidden field inside id any', partnersNameOnly, 'search_records', 'res.partner', [['id', 'any', [['email', 'ilike', 'agrolait']]]], 'field_not_readable', "field 'email'"],
    ['a hidden field inside id not any', partnersNameOnly, 'count_records', 'res.partner', [['id', 'not any', [['vat', '=', 'BE0477472701']]]], 'field_not_readable', "field 'vat'"],
    ['a hidden field behind a path ending in .id', partnersNameOnly, 'count_records', 'sale.order', [['partner_id.id', 'any', [['email', 'ilike', 'agrolait']]]], 'field_not_readable', "field 'email'"],
    ['id any nested in a relation', partnersNameOnly, 'count_records', 'sale.order', [['partner_id', 'any', [['id', 'any', [['email', 'ilike', 'agrolait']]]]]], 'field_not_readable', "field 'email'"],
    ['a path into a domain-limited model inside id any', companiesOnly, 'count_records', 'sale.order', [['id', 'any', [['partner_id.email', 'ilike', 'joel.willis63']]]], 'relation_outside_scope', 'res.partner'],
    ['a name search inside id any', companiesOnly, 'count_records', 'crm.lead', [['id', 'any', [['partner_id', 'ilike', 'joel']]]], 'relation_name_search', "limits res.partner to a domain"],
    ['a model outside the scope inside id any', partnersNameOnly, 'count_records', 'sale.order', [['id', 'any', [['user_id.login', 'ilike', 'admin']]]], 'model_not_allowed', 'res.users'],
  ] as const)('refuses %s, and Odoo is asked for no search', async (_label, scope, tool, model, domain, code, text) => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(await callTool(client, tool, { model, domain }), code, text);
    expect(odoo.methods().filter((method) => !method.endsWith('.fields_get'))).toEqual([]);
  });

  it('allows id any D on readable fields, and Odoo answers as for D', async () => {
    const { client } = await connectWithScope(partnersNameOnly);
    const direct = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'res.partner', domain: [['name', 'ilike', 'a']] }));
    const wrapped = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'res.partner', domain: [['id', 'any', [['name', 'ilike', 'a']]]] }));
    const negated = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'res.partner', domain: [['id', 'not any', [['name', 'ilike', 'a']]]] }));
    const all = expectAllowed<{ count: number }>(await callTool(client, 'count_records', { model: 'res.partner', domain: [] }));
    expect(wrapped.count).toBe(direct.count);
    expect(direct.count).toBeGreaterThan(0);
    expect(negated.count).toBe(all.count - direct.count);
  });
});

describe("child_of / parent_of on id: Odoo 19 walks the model's own hierarchy, and name-searches it for text", () => {
  const companiesOnly = { preset: 'read_only', models: { 'res.partner': { domain: [['is_company', '=', true]] } } };
  const nameOnly = { preset: 'read_only', models: { 'res.partner': { read_fields: ['name'] } } };
  it.each([
    ['id child_of a name on a domain-limited model', companiesOnly, [['id', 'child_of', 'agrolait']], "limits res.partner to a domain"],
    ['id parent_of a name on a domain-limited model', companiesOnly, [['id', 'parent_of', 'willie.burke80']], "limits res.partner to a domain"],
    ['id child_of ids on a domain-limited model', companiesOnly, [['id', 'child_of', [1]]], "limits res.partner to a domain"],
    ['id child_of a name, name search fields hidden', nameOnly, [['id', 'child_of', 'agrolait']], "field 'complete_name' of res.partner may not be read"],
    ['id parent_of ids, parent_id hidden', nameOnly, [['id', 'parent_of', [9]]], "field 'parent_id' of res.partner may not be read"],
    ['behind a !', companiesOnly, ['!', ['id', 'child_of', 'agrolait']], "limits res.partner to a domain"],
  ] as const)('refuses %s', async (_label, scope, domain, text) => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(await callTool(client, 'count_records', { model: 'res.partner', domain }), 'relation_name_search', text);
    expect(odoo.methods()).toEqual(['res.partner.fields_get']);
  });
});

describe('write_fields', () => {
  const scope = { preset: 'custom', operations: ['write'], models: { 'crm.lead': { write_fields: ['description', 'priority'] } } };

  it('update_records refuses any other field, naming it', async () => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(
      await callTool(client, 'update_records', { model: 'crm.lead', ids: [1], values: { description: 'x', user_id: 5 } }),
      'field_not_writable',
      "crm.lead: field 'user_id' may not be written by this connection",
    );
    expect(odoo.requests()).toHaveLength(0);
    expectAllowed(await callTool(client, 'update_records', { model: 'crm.lead', ids: [1], values: { description: 'x', priority: '2' } }));
  });
});

describe('methods', () => {
  const scope = { preset: 'custom', operations: ['query', 'read', 'execute'], models: { 'sale.order': { methods: ['action_confirm'], domain: SCOPE_DOMAIN } } };

  it('only the listed methods may be called, and only on records inside the domain', async () => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(
      await callTool(client, 'call_method', { model: 'sale.order', method: 'action_cancel', ids: [1] }),
      'method_not_allowed',
      "sale.order: method 'action_cancel' may not be called by this connection (allowed: action_confirm)",
    );
    expectRefused(await callTool(client, 'call_method', { model: 'sale.order', method: '_action_confirm', ids: [1] }), 'private_method');
    expect(odoo.requests()).toHaveLength(0);
    expectRefused(await callTool(client, 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [4] }), 'record_outside_scope', 'record 4');
    expect(odoo.methods()).toEqual(['sale.order.search']);
  });
});

describe('the scope of the issue, as written, with its IP range and office hours', () => {
  const wednesdayMorning = '2026-03-04T10:00:00Z';

  it('serves the allowed calls from the range during office hours', async () => {
    setClock(wednesdayMorning);
    const { client } = await connectWithScope(ISSUE_SCOPE, { headers: { 'CF-Connecting-IP': '2001:db8:4::17' } });
    expectAllowed(await callTool(client, 'search_records', { model: 'sale.order', limit: 3 }));
    expectAllowed(await callTool(client, 'search_records', { model: 'res.partner', fields: ['name'], limit: 3 }));
    expectAllowed(await callTool(client, 'create_records', { model: 'crm.lead', values: { name: 'From the site', email_from: 'x@example.com' } }));
  });

  it.each([
    ['a denied exact model', 'search_records', { model: 'account.move' }, {}, wednesdayMorning, 'model_denied', ["denied by 'account.move'"]],
    ['a denied wildcard', 'search_records', { model: 'hr.employee' }, {}, wednesdayMorning, 'model_denied', ["denied by 'hr.*'"]],
    ['a lead field outside the form', 'create_records', { model: 'crm.lead', values: { name: 'x', user_id: 2 } }, {}, wednesdayMorning, 'field_not_writable', ["field 'user_id'"]],
    ['action_confirm without execute on sale.order', 'call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] }, {}, wednesdayMorning, 'operation_not_allowed', ['call methods on sale.order records']],
  ] as const)('refuses %s', async (_label, tool, args, headers, at, code, mentions) => {
    setClock(at);
    const { client, odoo } = await connectWithScope(ISSUE_SCOPE, { headers: { 'CF-Connecting-IP': '203.0.113.10', ...headers } });
    expectRefused(await callTool(client, tool, { ...args }), code, ...mentions);
    expect(odoo.requests()).toHaveLength(0);
  });

  it.each([
    ['another address', { 'CF-Connecting-IP': '192.0.2.1' }, wednesdayMorning, 'ip_not_allowed', ['192.0.2.1']],
    ['the evening', {}, '2026-03-04T17:30:00Z', 'outside_time_window', ['Mon-Fri 08:00-18:00 Europe/Brussels']],
    ['a Saturday', {}, '2026-03-07T10:00:00Z', 'outside_time_window', ['Mon-Fri 08:00-18:00 Europe/Brussels']],
  ] as const)('refuses a session from %s at initialize, before Odoo', async (_label, headers, at, code, mentions) => {
    setClock(at);
    const connecting = connectWithScope(ISSUE_SCOPE, { headers: { 'CF-Connecting-IP': '203.0.113.10', ...headers } });
    await expectSessionRefused(connecting, code, ...mentions);
  });
});
