import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOdooStandin, loadDataset } from '../../../odoo-standin/standin';
import { json2 } from './requests';

/** What a real Odoo 19 did with each x2many command form, records before and after (captured, see odoo-standin/fixtures). */
interface OrderCase {
  before: { orders: Array<{ id: number; order_line: number[] }>; lines: Array<{ id: number; name: string; order_id: number }> };
  after: OrderCase['before'];
  request: { path: string; body: Record<string, unknown> };
  http_status: number;
  response: unknown;
}
interface TagCase {
  before: number[];
  after: number[];
  request: { path: string; body: { ids: number[]; vals: Record<string, unknown> } };
  http_status: number;
  response: unknown;
}

const semantics = JSON.parse(readFileSync(new URL('../../../odoo-standin/fixtures/semantics.json', import.meta.url), 'utf8')) as {
  cases: Record<string, unknown>;
};
const cases = Object.entries(semantics.cases);
const orderCases = cases.filter(([name]) => name.startsWith('o2m_')) as Array<[string, OrderCase]>;
const tagCases = cases.filter(([name]) => name.startsWith('m2m_')) as Array<[string, TagCase]>;

function call(path: string): { model: string; method: string } {
  const [, , , model, method] = path.split('/');
  return { model: model!, method: method! };
}

describe('the stand-in applies one2many commands as Odoo 19 did', () => {
  it('covers every captured one2many form', () => expect(orderCases.length).toBeGreaterThanOrEqual(12));

  it.each(orderCases)('%s', async (_name, fixture) => {
    const dataset = loadDataset();
    const orders = dataset.models['sale.order']!;
    const lines = dataset.models['sale.order.line']!;
    const orderTemplate = orders.records[0]!;
    const lineTemplate = lines.records[0]!;
    orders.records = fixture.before.orders.map((order) => ({ ...structuredClone(orderTemplate), id: order.id, name: `S${order.id}`, order_line: order.order_line }));
    lines.records = fixture.before.lines.map((line) => ({ ...structuredClone(lineTemplate), id: line.id, name: line.name, order_id: [line.order_id, `S${line.order_id}`] }));
    const standin = createOdooStandin({ dataset });
    const { model, method } = call(fixture.request.path);

    const answer = await json2(standin, model, method, fixture.request.body);
    expect(answer.status).toBe(fixture.http_status);
    if (answer.status === 200) expect(answer.body).toEqual(fixture.response);
    else expect(answer.body).toMatchObject({ name: (fixture.response as { name: string }).name, message: (fixture.response as { message: string }).message });

    const orderIds = fixture.before.orders.map((order) => order.id);
    const after = (await json2(standin, 'sale.order', 'read', { ids: orderIds, fields: ['order_line'] })).body as Array<{ id: number; order_line: number[] }>;
    expect(after.map(({ id, order_line }) => ({ id, order_line: [...order_line].sort((a, b) => a - b) }))).toEqual(
      fixture.after.orders.map(({ id, order_line }) => ({ id, order_line: [...order_line].sort((a, b) => a - b) })),
    );
    const afterLines = (await json2(standin, 'sale.order.line', 'search_read', { domain: [], fields: ['name', 'order_id'] })).body as Array<{
      id: number;
      name: string;
      order_id: [number, string] | false;
    }>;
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    expect(afterLines.map((line) => ({ id: line.id, name: line.name, order_id: line.order_id ? line.order_id[0] : false })).sort(byId)).toEqual(
      [...fixture.after.lines].sort(byId),
    );
  });
});

describe('the stand-in applies many2many commands as Odoo 19 did', () => {
  it('covers every captured many2many form', () => expect(tagCases.length).toBeGreaterThanOrEqual(5));

  it.each(tagCases)('%s', async (_name, fixture) => {
    const dataset = loadDataset();
    const partners = dataset.models['res.partner']!;
    const id = fixture.request.body.ids[0]!;
    partners.records.push({ ...structuredClone(partners.records[0]!), id, category_id: fixture.before });
    const standin = createOdooStandin({ dataset });
    const { model, method } = call(fixture.request.path);
    const answer = await json2(standin, model, method, fixture.request.body);
    expect(answer.status).toBe(fixture.http_status);
    expect(answer.body).toEqual(fixture.response);
    const [row] = (await json2(standin, 'res.partner', 'read', { ids: [id], fields: ['category_id'] })).body as Array<{ category_id: number[] }>;
    expect([...row!.category_id].sort((a, b) => a - b)).toEqual([...fixture.after].sort((a, b) => a - b));
  });
});

describe('fields_get names the inverse of a one2many', () => {
  it('answers relation_field for sale.order.order_line', async () => {
    const standin = createOdooStandin();
    const answer = await json2(standin, 'sale.order', 'fields_get', { allfields: ['order_line', 'partner_id'], attributes: ['type', 'relation', 'relation_field'] });
    expect(answer.body).toEqual({
      order_line: { relation: 'sale.order.line', relation_field: 'order_id', type: 'one2many' },
      partner_id: { relation: 'res.partner', type: 'many2one' },
    });
  });
});
