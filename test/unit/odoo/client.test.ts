import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STANDIN_ADMIN_KEY, STANDIN_DEMO_KEY, type OdooStandin } from '../../../odoo-standin/standin';
import { createOdooClient, type OdooClient, type OdooResult } from '../../../src/odoo/client';
import type { OdooApi } from '../../../src/odoo/types';
import { accountFor, routeFetchToStandin, type SentRequest } from './standin-fetch';

function value<T>(result: OdooResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.failure)}`);
  return result.value;
}

let standin: OdooStandin;
let sent: SentRequest[];
beforeEach(() => {
  ({ standin, sent } = routeFetchToStandin());
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe.each<OdooApi>(['json2', 'jsonrpc'])('the Odoo client over %s', (api) => {
  let client: OdooClient;
  beforeEach(() => {
    client = createOdooClient(accountFor(api));
  });

  it('searches and reads records in one HTTP call', async () => {
    const records = value(await client.searchRead('res.partner', { domain: [['is_company', '=', true]], fields: ['name'], limit: 2, offset: 1, order: 'name' }));
    expect(records).toEqual([
      { id: 15, name: 'Azure Interior' },
      { id: 10, name: 'Gemini Furniture' },
    ]);
    expect(sent).toHaveLength(1);
  });

  it('counts, reads by id (missing ids are left out) and gets fields', async () => {
    expect(value(await client.searchCount('res.partner', [['is_company', '=', true]]))).toBe(11);
    expect(value(await client.read('res.partner', [9, 999999], ['name', 'country_id']))).toEqual([{ id: 9, name: 'Acme Corporation', country_id: [233, 'United States'] }]);
    const fields = value(await client.fieldsGet('crm.lead', ['string', 'type']));
    expect(fields.stage_id).toEqual({ string: 'Stage', type: 'many2one' });
    expect(sent).toHaveLength(3);
  });

  it('creates, writes and unlinks, one call each', async () => {
    const ids = value(await client.create('crm.lead', [{ name: 'From the gateway' }, { name: 'And another' }]));
    expect(ids).toEqual([45, 46]);
    expect(value(await client.write('crm.lead', ids, { description: 'checked' }))).toBe(true);
    expect(value(await client.read('crm.lead', ids, ['name', 'description']))).toEqual([
      { id: 45, name: 'From the gateway', description: 'checked' },
      { id: 46, name: 'And another', description: 'checked' },
    ]);
    expect(value(await client.unlink('crm.lead', ids))).toBe(true);
    expect(value(await client.read('crm.lead', ids))).toEqual([]);
    expect(sent).toHaveLength(5);
  });

  it('normalises grouped aggregates to the same shape on both APIs', async () => {
    const groups = value(await client.readGroup('sale.order', { domain: [], groupby: ['state'], aggregates: ['amount_total:sum', '__count'] }));
    expect(groups).toEqual([
      { group: { state: 'draft' }, count: 4, aggregates: { 'amount_total:sum': 5470 } },
      { group: { state: 'sale' }, count: 15, aggregates: { 'amount_total:sum': 17670.5 } },
      { group: { state: 'sent' }, count: 1, aggregates: { 'amount_total:sum': 1740 } },
    ]);
    expect(sent).toHaveLength(1);
  });

  it('keeps two aggregates of one field apart', async () => {
    const groups = value(await client.readGroup('sale.order', { domain: [['state', '=', 'sent']], groupby: ['state'], aggregates: ['amount_total:sum', 'amount_total:max'] }));
    expect(groups).toEqual([{ group: { state: 'sent' }, count: 1, aggregates: { 'amount_total:sum': 1740, 'amount_total:max': 1740 } }]);
  });

  it('executes any public method with ids and keyword arguments', async () => {
    expect(value(await client.execute('res.partner', 'search', { kwargs: { domain: [['name', '=', 'Ready Mat']] } }))).toEqual([11]);
    const posted = value(await client.execute('res.partner', 'message_post', { ids: [9], kwargs: { body: 'Hello', message_type: 'comment' } }));
    expect(posted).toEqual([expect.any(Number)]);
  });

  it('authenticates the login and reports the server version', async () => {
    const user = value(await client.authenticate());
    expect(user.uid).toBe(2);
    if (api === 'json2') expect(user.name).toBe('Mitchell Admin');
    expect(value(await client.version()).serverVersion).toBe('19.0');
    // JSON-2 also asks which user owns the key (see authenticate()).
    expect(sent).toHaveLength(api === 'json2' ? 3 : 2);
  });

  it('gives every request its own timeout signal', async () => {
    await client.searchCount('crm.stage', []);
    await client.searchCount('crm.stage', []);
    expect(sent.map((request) => request.signal)).toEqual([expect.any(AbortSignal), expect.any(AbortSignal)]);
    expect(sent[0]!.signal).not.toBe(sent[1]!.signal);
  });

  it('arms one timer per exchange and clears it once the answer is read', async () => {
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    const timed = createOdooClient(accountFor(api), { timeoutMs: 4321 });
    await timed.searchCount('crm.stage', []);
    await timed.searchCount('crm.stage', []);
    const timers = armed.mock.calls.flatMap((call, index) => (call[1] === 4321 ? [armed.mock.results[index]!.value] : []));
    expect(timers).toHaveLength(2);
    for (const timer of timers) expect(cleared).toHaveBeenCalledWith(timer);
    expect(sent.every((request) => request.signal?.aborted === false)).toBe(true);
  });
});

describe('what goes over the wire', () => {
  it('JSON-2: POST /json/2/<model>/<method>, bearer key, database header, named arguments with ids', async () => {
    const client = createOdooClient(accountFor('json2', { url: 'https://odoo.test//' }));
    await client.read('res.partner', [9], ['name']);
    const [request] = sent;
    expect(request!.url).toBe('https://odoo.test/json/2/res.partner/read');
    expect(request!.method).toBe('POST');
    expect(request!.headers.get('Authorization')).toBe(`bearer ${STANDIN_ADMIN_KEY}`);
    expect(request!.headers.get('Content-Type')).toBe('application/json');
    expect(request!.headers.get('X-Odoo-Database')).toBe('odoo');
    expect(request!.body).toEqual({ ids: [9], fields: ['name'] });
  });

  it('JSON-2: authenticate() searches res.users by login', async () => {
    await createOdooClient(accountFor('json2', { login: 'demo' })).authenticate();
    expect(sent[0]!.url).toBe('https://odoo.test/json/2/res.users/search_read');
    expect(sent[0]!.body).toEqual({ domain: [['login', '=', 'demo']], fields: ['id', 'name'], limit: 1 });
  });

  it("JSON-2: authenticate() refuses a key that belongs to another user than the login", async () => {
    const result = await createOdooClient(accountFor('json2', { login: 'admin', apiKey: STANDIN_DEMO_KEY })).authenticate();
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'access_denied' }) });
    expect(!result.ok && result.failure.message).toMatch(/does not belong to the Odoo user with the login 'admin'/);
    expect(sent[1]!.url).toBe('https://odoo.test/json/2/res.users.apikeys/search_read');
  });

  it('JSON-2: authenticate() accepts the key of the login it names', async () => {
    const result = await createOdooClient(accountFor('json2', { login: 'demo', apiKey: STANDIN_DEMO_KEY })).authenticate();
    expect(result).toEqual({ ok: true, value: { uid: 5, name: expect.any(String) } });
  });

  it('JSON-2: refuses positional arguments without calling Odoo', async () => {
    const result = await createOdooClient(accountFor('json2')).execute('res.partner', 'search', { args: [[]] });
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'invalid_request', odooName: null }) });
    expect(!result.ok && result.failure.message).toMatch(/named arguments/);
    expect(sent).toHaveLength(0);
  });

  it('/jsonrpc: execute_kw with database, uid, key, ids first among the positional arguments', async () => {
    const client = createOdooClient(accountFor('jsonrpc', { url: 'https://odoo.test' }));
    await client.execute('res.partner', 'read', { ids: [9], args: [['name']], kwargs: { load: null } });
    const [request] = sent;
    expect(request!.url).toBe('https://odoo.test/jsonrpc');
    expect(request!.headers.get('Authorization')).toBeNull();
    expect(request!.body).toEqual({
      jsonrpc: '2.0',
      method: 'call',
      id: expect.any(Number),
      params: { service: 'object', method: 'execute_kw', args: ['odoo', 2, STANDIN_ADMIN_KEY, 'res.partner', 'read', [[9], ['name']], { load: null }] },
    });
  });

  it('/jsonrpc: create sends the list positionally; readGroup uses read_group with lazy=false', async () => {
    const client = createOdooClient(accountFor('jsonrpc'));
    await client.create('crm.lead', [{ name: 'x' }]);
    await client.readGroup('sale.order', { domain: [], groupby: ['state'], aggregates: ['amount_total:sum', 'amount_total:max', '__count'] });
    expect((sent[0]!.body as { params: { args: unknown[] } }).params.args.slice(3)).toEqual(['crm.lead', 'create', [[{ name: 'x' }]], {}]);
    expect((sent[1]!.body as { params: { args: unknown[] } }).params.args.slice(3)).toEqual([
      'sale.order',
      'read_group',
      [],
      { domain: [], fields: ['amount_total_sum:sum(amount_total)', 'amount_total_max:max(amount_total)'], groupby: ['state'], lazy: false },
    ]);
  });

  it('/jsonrpc: authenticates once when the uid is unknown, then reuses it', async () => {
    const client = createOdooClient(accountFor('jsonrpc', { uid: null }));
    expect(value(await client.searchCount('crm.stage', []))).toBe(4);
    expect(value(await client.searchCount('crm.stage', []))).toBe(4);
    expect(sent.map((request) => (request.body as { params: { service: string; method: string } }).params.method)).toEqual([
      'authenticate',
      'execute_kw',
      'execute_kw',
    ]);
    expect((sent[1]!.body as { params: { args: unknown[] } }).params.args[1]).toBe(2);
    expect(standin.calls.map((call) => call.api)).toEqual(['common', 'jsonrpc', 'jsonrpc']);
  });

  it('/jsonrpc: version() asks the common service; JSON-2 reads /web/version', async () => {
    value(await createOdooClient(accountFor('jsonrpc')).version());
    value(await createOdooClient(accountFor('json2')).version());
    expect((sent[0]!.body as { params: unknown }).params).toEqual({ service: 'common', method: 'version', args: [] });
    expect([sent[1]!.method, sent[1]!.url]).toEqual(['GET', 'https://odoo.test/web/version']);
  });
});
