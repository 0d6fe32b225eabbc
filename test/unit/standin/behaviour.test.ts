import { beforeEach, describe, expect, it } from 'vitest';
import { createOdooStandin, STANDIN_ADMIN_KEY, type OdooStandin } from '../../../odoo-standin/standin';
import { executeKw, json2, jsonRpc } from './requests';

let standin: OdooStandin;
beforeEach(() => {
  standin = createOdooStandin();
});

const names = (body: unknown) => (body as Array<{ name: string }>).map((row) => row.name);

describe('searching', () => {
  it('hides archived records unless the domain or the context asks for them', async () => {
    const ids = async (body: object) => ((await json2(standin, 'res.partner', 'search', body)).body as number[]).sort((a, b) => a - b);
    expect(await ids({ domain: [['id', 'in', [1, 2, 3]]] })).toEqual([1, 3]);
    expect(await ids({ domain: [['id', 'in', [1, 2, 3]], ['active', '=', false]] })).toEqual([2]);
    expect(await ids({ domain: [['id', 'in', [1, 2, 3]]], context: { active_test: false } })).toEqual([1, 2, 3]);
    expect((await json2(standin, 'res.partner', 'read', { ids: [2], fields: ['active'] })).body).toEqual([{ id: 2, active: false }]);
  });

  it('orders by the model order by default, and by "name desc, id" when asked', async () => {
    const companies = { domain: [['is_company', '=', true]], fields: ['name'] };
    expect(names((await json2(standin, 'res.partner', 'search_read', { ...companies, limit: 3 })).body)).toEqual([
      'Acme Corporation',
      'Azure Interior',
      'Gemini Furniture',
    ]);
    expect(names((await json2(standin, 'res.partner', 'search_read', { ...companies, order: 'name desc, id', limit: 2 })).body)).toEqual([
      'YourCompany',
      'Wood Corner',
    ]);
    const bad = await json2(standin, 'res.partner', 'search_read', { ...companies, order: 'nope' });
    expect([bad.status, (bad.body as { name: string }).name]).toEqual([500, 'builtins.ValueError']);
  });

  it('answers search, search_count with a limit, and name_search', async () => {
    expect((await json2(standin, 'crm.stage', 'search', { domain: [] })).body).toEqual([1, 2, 3, 4]);
    expect((await json2(standin, 'res.partner', 'search_count', { domain: [], limit: 5 })).body).toBe(5);
    expect((await json2(standin, 'res.partner', 'name_search', { name: 'azure', limit: 2 })).body).toEqual([
      [15, 'Azure Interior'],
      [27, 'Azure Interior, Brandon Freeman'],
    ]);
  });

  it('filters fields_get by field names and attributes', async () => {
    const answer = await json2(standin, 'sale.order', 'fields_get', { allfields: ['state', 'nope'], attributes: ['type', 'selection'] });
    expect(answer.body).toEqual({
      state: { type: 'selection', selection: [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']] },
    });
  });

  it('lists ir.model with like on model', async () => {
    const answer = await json2(standin, 'ir.model', 'search_read', { domain: [['model', '=', 'res.partner']], fields: ['model', 'name', 'transient'] });
    expect(answer.body).toEqual([{ id: expect.any(Number), model: 'res.partner', name: 'Contact', transient: false }]);
  });

  it('lets each user see only their own API keys', async () => {
    expect((await json2(standin, 'res.users.apikeys', 'search_read', { domain: [] }, 'admin')).body).toEqual([]);
    expect(names((await json2(standin, 'res.users.apikeys', 'search_read', { domain: [] }, 'demo')).body)).toEqual(['gateway-demo']);
  });

  it.each([
    ['ir.config_parameter', 'System Parameter', 'Role / Administrator'],
    ['ir.cron', 'Scheduled Actions', 'Role / Administrator'],
    ['ir.rule', 'Record Rule', 'Access Rights'],
    ['ir.model.access', 'Model Access', 'Access Rights'],
    ['res.groups', 'Access Groups', 'Access Rights'],
  ])('refuses %s to the demo user and lets the admin through', async (model, description, group) => {
    const refused = await json2(standin, model, 'search_read', { domain: [] }, 'demo');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      name: 'odoo.exceptions.AccessError',
      message: `You are not allowed to access '${description}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- ${group}\n\nContact your administrator to request access if necessary.`,
    });
    expect((await json2(standin, model, 'search_read', { domain: [] }, 'admin')).status).toBe(200);
  });
});

describe('grouping', () => {
  it('read_group with lazy=false answers __count and every groupby', async () => {
    const answer = await json2(standin, 'sale.order', 'read_group', { domain: [['state', '=', 'sale']], fields: ['amount_total:max'], groupby: ['state', 'user_id'], lazy: false });
    const rows = answer.body as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toEqual({
      state: 'sale',
      user_id: expect.any(Array),
      __count: expect.any(Number),
      amount_total: expect.any(Number),
      __domain: ['&', '&', ['state', '=', 'sale'], ['user_id', '=', expect.any(Number)], ['state', '=', 'sale']],
    });
    expect(rows.reduce((sum, row) => sum + (row.__count as number), 0)).toBe(15);
  });

  it('read_group lists every stage of crm.lead (group_expand), in stage order', async () => {
    const rows = (await json2(standin, 'crm.lead', 'read_group', { domain: [['id', '=', 1]], fields: [], groupby: ['stage_id'] })).body as Array<Record<string, unknown>>;
    expect(rows.map((row) => [row.stage_id, row.stage_id_count])).toEqual([
      [[1, 'New'], 1],
      [[2, 'Qualified'], 0],
      [[3, 'Proposition'], 0],
      [[4, 'Won'], 0],
    ]);
  });

  it('formatted_read_group groups by a many2one, counts and aggregates', async () => {
    const rows = (await json2(standin, 'sale.order', 'formatted_read_group', { domain: [], groupby: ['partner_id'], aggregates: ['__count', 'amount_total:sum'], limit: 2 })).body as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      partner_id: [expect.any(Number), expect.any(String)],
      __extra_domain: [['partner_id', '=', expect.any(Number)]],
      __count: expect.any(Number),
      'amount_total:sum': expect.any(Number),
    });
    const bad = await json2(standin, 'sale.order', 'formatted_read_group', { groupby: ['state'], aggregates: ['nope:sum'] });
    expect(bad.body).toMatchObject({ name: 'builtins.ValueError', message: "Invalid field 'nope' on model 'sale.order'" });
  });
});

describe('argument binding', () => {
  it('JSON-2 answers 422 for a missing or unexpected argument of a strict signature', async () => {
    expect((await json2(standin, 'res.partner', 'search', {})).body).toMatchObject({
      name: 'werkzeug.exceptions.UnprocessableEntity',
      message: "missing a required argument: 'domain'",
      arguments: ["missing a required argument: 'domain'", 422],
    });
    const unexpected = await json2(standin, 'res.partner', 'search', { domain: [], bogus: 1 });
    expect([unexpected.status, (unexpected.body as { message: string }).message]).toEqual([422, "got an unexpected keyword argument 'bogus'"]);
  });

  it('/jsonrpc answers the TypeErrors Python raises', async () => {
    expect((await executeKw(standin, 'res.partner', 'search', [])).error?.message).toBe("BaseModel.search() missing 1 required positional argument: 'domain'");
    expect((await executeKw(standin, 'res.partner', 'search', [[], 0, 1, 'id', 'extra'])).error?.message).toBe(
      'BaseModel.search() takes from 2 to 5 positional arguments but 6 were given',
    );
    expect((await executeKw(standin, 'res.partner', 'search', [[]], { domain: [] })).error?.message).toBe(
      "BaseModel.search() got multiple values for argument 'domain'",
    );
    expect((await executeKw(standin, 'res.partner', 'read', [])).error).toMatchObject({ name: 'builtins.IndexError' });
  });
});

describe('HTTP edges', () => {
  const post = (path: string, init: RequestInit) => standin.handle(new Request(`http://odoo.test${path}`, { method: 'POST', ...init }));
  const auth = { Authorization: `bearer ${STANDIN_ADMIN_KEY}` };

  it('answers 404 (HTML) for another database, 415 for a body that is not declared JSON', async () => {
    const otherDb = await post('/json/2/res.partner/search_count', { headers: { ...auth, 'Content-Type': 'application/json', 'X-Odoo-Database': 'other' }, body: '{"domain":[]}' });
    expect([otherDb.status, otherDb.headers.get('Content-Type')]).toEqual([404, 'text/html; charset=utf-8']);
    const form = await post('/json/2/res.partner/search_count', { headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'domain=' });
    expect(form.status).toBe(415);
  });

  it('takes an empty body as no arguments and refuses a JSON body that is not an object', async () => {
    expect(await (await post('/json/2/crm.stage/search_count', { headers: { ...auth, 'Content-Type': 'application/json' } })).status).toBe(422);
    const nullBody = await post('/json/2/crm.stage/search_count', { headers: { ...auth, 'Content-Type': 'application/json' }, body: 'null' });
    expect([nullBody.status, ((await nullBody.json()) as { message: string }).message]).toEqual([400, 'could not parse the body, expecting a json object']);
  });

  it('checks the key before the body, and sends WWW-Authenticate with both 401s', async () => {
    const badKey = await post('/json/2/res.partner/search_count', { headers: { Authorization: 'bearer nope', 'Content-Type': 'application/json' }, body: '{oops' });
    expect([badKey.status, badKey.headers.get('WWW-Authenticate')]).toEqual([401, 'Bearer']);
  });

  it('answers the other routes like Odoo', async () => {
    expect(await (await standin.handle(new Request('http://odoo.test/web/version'))).json()).toEqual({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
    const catchAll = await standin.handle(new Request('http://odoo.test/json/2/res.partner'));
    expect([catchAll.status, ((await catchAll.json()) as { message: string }).message]).toEqual([404, 'Did you mean POST /json/2/<model>/<method>?']);
    expect((await standin.handle(new Request('http://odoo.test/web/nothing'))).status).toBe(404);
    const notJson = await post('/jsonrpc', { headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect([notJson.status, await notJson.text()]).toEqual([400, 'Invalid JSON data']);
  });

  it('serves common.login, execute, and refuses other databases and services', async () => {
    const result = async (params: object) => (await jsonRpc(standin, params)).body as { result?: unknown; error?: { data: { name: string } } };
    expect(await result({ service: 'common', method: 'login', args: ['odoo', 'demo', 'demo-api-key'] })).toMatchObject({ result: 5 });
    expect(await result({ service: 'common', method: 'login', args: ['odoo', 'admin', 'demo-api-key'] })).toMatchObject({ result: false });
    expect(await result({ service: 'object', method: 'execute', args: ['odoo', 2, STANDIN_ADMIN_KEY, 'crm.stage', 'search_count', []] })).toMatchObject({ result: 4 });
    expect((await result({ service: 'object', method: 'execute_kw', args: ['nope', 2, STANDIN_ADMIN_KEY, 'crm.stage', 'search', [[]]] })).error?.data.name).toBe('psycopg2.OperationalError');
    expect((await result({ service: 'db', method: 'list', args: [] })).error?.data.name).toBe('builtins.KeyError');
  });
});

describe('bookkeeping', () => {
  it('records every call that reached model code or the common service', async () => {
    await jsonRpc(standin, { service: 'common', method: 'authenticate', args: ['odoo', 'admin', STANDIN_ADMIN_KEY, {}] });
    await json2(standin, 'res.partner', 'search_count', { domain: [] }, 'demo');
    await executeKw(standin, 'crm.lead', 'search', [[]]);
    await json2(standin, 'res.partner', '_private', {});
    await json2(standin, 'no.such.model', 'search', { domain: [] });
    await standin.handle(new Request('http://odoo.test/json/2/res.partner/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(standin.calls).toEqual([
      { api: 'common', method: 'authenticate', uid: 2 },
      { api: 'json2', model: 'res.partner', method: 'search_count', uid: 5 },
      { api: 'jsonrpc', model: 'crm.lead', method: 'search', uid: 2 },
    ]);
  });

  it('waits latencyMs before answering', async () => {
    const slow = createOdooStandin({ latencyMs: 60 });
    const started = performance.now();
    await json2(slow, 'crm.stage', 'search_count', { domain: [] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('accepts its own keys, database and dataset', async () => {
    const custom = createOdooStandin({
      apiKeys: { k: { uid: 7, login: 'bot' } },
      database: 'prod',
      dataset: { server_version: '19.0', ir_model: [], models: { 'x.thing': { fields_get: { id: { string: 'ID', type: 'integer' } }, records: [{ id: 1 }] } } },
    });
    const answer = await custom.handle(
      new Request('http://odoo.test/json/2/x.thing/search', { method: 'POST', headers: { Authorization: 'bearer k', 'Content-Type': 'application/json', 'X-Odoo-Database': 'prod' }, body: '{"domain":[]}' }),
    );
    expect(await answer.json()).toEqual([1]);
    expect(custom.calls).toEqual([{ api: 'json2', model: 'x.thing', method: 'search', uid: 7 }]);
  });
});
