import { describe, expect, it } from 'vitest';
import exchangesJson from '../../../odoo-standin/fixtures/exchanges.json';
import { createOdooStandin, loadDataset, STANDIN_ADMIN_KEY, STANDIN_DEMO_KEY, type OdooStandin } from '../../../odoo-standin/standin';

interface Exchange {
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  http_status: number;
  response: unknown;
  response_headers?: Record<string, string>;
}
const exchanges = exchangesJson as unknown as Record<string, Exchange>;

/*
 * Where the captured value depends on database state the dataset does not reproduce,
 * the test checks the shape instead of the value:
 *
 * | exchange                          | why the value cannot match                                    | asserted instead                                |
 * |-----------------------------------|---------------------------------------------------------------|-------------------------------------------------|
 * | json2_create_ok                   | the id depends on what the capture created before (46)        | one new id, above every crm.lead id             |
 * | json2_create_many_ok              | same (53, 54)                                                 | two consecutive new ids                         |
 * | json2_message_post                | mail.message ids are not in the dataset (479)                 | a list of one integer                           |
 * | rpc_message_post                  | same (477)                                                    | a list of one integer, in the JSON-RPC envelope |
 * | json2_no_db_header                | search_read without `fields` reads all 169 fields; the        | the fields the stand-in returns equal the       |
 * |                                   | dataset holds 33, and create_date/write_date moved since then | fixture's, apart from the two dates             |
 * | json2_ir_model_search_read        | Odoo ordered these rows in a way that ir.model's _order        | the first five crm. models by `model`, with the |
 * |                                   | ("model") does not explain; the stand-in follows _order        | fixture's rows among all matches                |
 *
 * Header values are compared trimmed: Fetch's Headers (and HTTP parsers) drop the trailing
 * space of Odoo's `WWW-Authenticate: Bearer `.
 *
 * Exchanges that act on records the capture created in earlier requests (crm.lead 46, 53,
 * 54, 55) run after the test creates as many leads; their ids replace the captured ones.
 */
type ShapeCheck = (body: unknown, fixture: unknown, standin: OdooStandin) => void | Promise<void>;
const SHAPE_ONLY: Record<string, ShapeCheck> = {
  json2_create_ok(body) {
    expect(body).toEqual([expect.any(Number)]);
    expect((body as number[])[0]).toBeGreaterThan(highestLeadId);
  },
  json2_create_many_ok(body) {
    const [first, second] = body as number[];
    expect(body).toEqual([expect.any(Number), expect.any(Number)]);
    expect(first).toBeGreaterThan(highestLeadId);
    expect(second).toBe(first! + 1);
  },
  json2_message_post(body) {
    expect(body).toEqual([expect.any(Number)]);
    expect(Number.isInteger((body as number[])[0])).toBe(true);
  },
  rpc_message_post(body, fixture) {
    expect(body).toEqual({ ...(fixture as object), result: [expect.any(Number)] });
  },
  json2_no_db_header(body, fixture) {
    const [row] = body as Record<string, unknown>[];
    const [captured] = fixture as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(row!.id).toBe(captured!.id);
    const moved = new Set(['create_date', 'write_date']);
    const comparable = Object.keys(row!).filter((key) => !moved.has(key));
    expect(comparable.length).toBeGreaterThan(25);
    for (const key of comparable) expect([key, row![key]]).toEqual([key, captured![key]]);
  },
  async json2_ir_model_search_read(body, fixture, standin) {
    const rows = body as Array<{ model: string }>;
    expect(rows.map((row) => row.model)).toEqual([
      'crm.activity.report',
      'crm.iap.lead.helpers',
      'crm.iap.lead.industry',
      'crm.iap.lead.mining.request',
      'crm.iap.lead.role',
    ]);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['id', 'model', 'name', 'transient']);
    const unlimited = await adminJson2(standin, 'ir.model', 'search_read', {
      domain: [['model', 'like', 'crm.']],
      fields: ['model', 'name', 'transient'],
    });
    expect(await unlimited.json()).toEqual(expect.arrayContaining(fixture as unknown[]));
  },
};

/** Fixture id of each lead the capture created earlier, per exchange that uses it. */
const CREATED_EARLIER: Record<string, number[]> = {
  json2_unlink_ok: [46],
  json2_write_ok: [53, 54],
  json2_unlink_many_ok: [53, 54],
  rpc_write_ok: [55],
  rpc_unlink_ok: [55],
};

const highestLeadId = Math.max(...loadDataset().models['crm.lead']!.records.map((record) => record.id));

function withStandinKeys<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('<ADMIN_API_KEY>', STANDIN_ADMIN_KEY).replaceAll('<DEMO_API_KEY>', STANDIN_DEMO_KEY)) as T;
}

function adminJson2(standin: OdooStandin, model: string, method: string, body: unknown): Promise<Response> {
  return standin.handle(
    new Request(`http://odoo.test/json/2/${model}/${method}`, {
      method: 'POST',
      headers: { Authorization: `bearer ${STANDIN_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

async function createLeads(standin: OdooStandin, count: number): Promise<number[]> {
  const response = await adminJson2(standin, 'crm.lead', 'create', {
    vals_list: Array.from({ length: count }, (_, i) => ({ name: `Lead ${i}` })),
  });
  return (await response.json()) as number[];
}

/** Puts the stand-in's ids where the captured request named the leads created earlier. */
function replaceIds(body: unknown, ids: number[]): unknown {
  const copy = structuredClone(body) as { ids?: number[]; params?: { args: unknown[][] } };
  if (copy.ids) copy.ids = ids;
  else copy.params!.args[5]![0] = ids;
  return copy;
}

async function replay(standin: OdooStandin, name: string, exchange: Exchange): Promise<Response> {
  const { method, path, headers, body } = withStandinKeys(exchange.request);
  const earlier = CREATED_EARLIER[name];
  const sent = earlier ? replaceIds(body, await createLeads(standin, earlier.length)) : body;
  return standin.handle(
    new Request(`http://odoo.test${path}`, { method, headers, body: typeof sent === 'string' ? sent : JSON.stringify(sent) }),
  );
}

describe('the stand-in replays every captured Odoo 19 exchange', () => {
  it('names only captured exchanges in its exception tables', () => {
    for (const name of [...Object.keys(SHAPE_ONLY), ...Object.keys(CREATED_EARLIER)]) expect(exchanges).toHaveProperty([name]);
  });

  it.each(Object.entries(exchanges))('%s', async (name, exchange) => {
    const standin = createOdooStandin();
    const response = await replay(standin, name, exchange);
    expect(response.status).toBe(exchange.http_status);
    for (const [header, value] of Object.entries(exchange.response_headers ?? {})) expect(response.headers.get(header)).toBe(value.trim());
    const body: unknown = await response.json();
    const shapeOnly = SHAPE_ONLY[name];
    if (shapeOnly) await shapeOnly(body, exchange.response, standin);
    else expect(body).toEqual(exchange.response);
  });
});
