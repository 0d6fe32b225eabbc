import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOdooStandin } from '../../../odoo-standin/standin';
import { json2 } from './requests';

/**
 * A many2one compared with text: what a real Odoo 19 did (captured in
 * odoo-standin/fixtures/semantics.json) against the stand-in's smaller dataset.
 * Every captured form matched the orders of partner 9 'Acme Corporation' only,
 * the email form through its email info@agrolait.com, which is not in its name.
 */
const semantics = JSON.parse(readFileSync(new URL('../../../odoo-standin/fixtures/semantics.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { request: { path: string; body: { domain: unknown[] } }; http_status: number; response: unknown }>;
};
const FORMS = ['m2o_string_matches_email', 'm2o_string_matches_name', 'm2o_in_list_of_strings', 'm2o_equals_string'] as const;

describe('the stand-in runs a many2one compared with text as a name search, as Odoo 19 did', () => {
  it.each(FORMS)('%s', async (name) => {
    const fixture = semantics.cases[name]!;
    expect(fixture.request.path).toBe('/json/2/sale.order/search_count');
    const standin = createOdooStandin();
    const byId = await json2(standin, 'sale.order', 'search_count', { domain: [['partner_id', '=', 9]] });
    const answer = await json2(standin, 'sale.order', 'search_count', fixture.request.body);
    expect(answer.status).toBe(fixture.http_status);
    expect(byId.body).toBeGreaterThan(0);
    expect(answer.body).toBe(byId.body);
  });

  it('matches the partners that name_search on res.partner found by email', async () => {
    const fixture = semantics.cases.res_partner_name_search_by_email!;
    const viaOrders = await json2(createOdooStandin(), 'sale.order', 'search_read', { domain: [['partner_id', 'ilike', 'agrolait.com']], fields: ['partner_id'] });
    const partners = [...new Set((viaOrders.body as Array<{ partner_id: [number, string] }>).map((order) => order.partner_id[0]))];
    expect(partners).toEqual((fixture.response as Array<[number, string]>).map(([id]) => id));
  });
});
