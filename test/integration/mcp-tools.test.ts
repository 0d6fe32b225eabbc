import { describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, createConnection, seedOdooAccount, textOf } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

const odoo = useStandinOdoo();

const ALL_TOOLS = [
  'aggregate_records',
  'call_method',
  'count_records',
  'create_records',
  'delete_records',
  'describe_model',
  'list_models',
  'read_records',
  'search_records',
  'update_records',
];

type Api = 'json2' | 'jsonrpc';

/** json2 uses the default account from the environment; jsonrpc a stored account of the same Odoo. */
async function connect(api: Api, scope: unknown, account?: { apiKey: string; login?: string; uid?: number | null }): Promise<Client> {
  let odooAccountId: string | undefined;
  if (api === 'jsonrpc' || account) {
    odooAccountId = `acct_${api}_${crypto.randomUUID().slice(0, 8)}`;
    await seedOdooAccount({ id: odooAccountId, api, apiKey: account?.apiKey ?? 'admin-api-key', login: account?.login, uid: account?.uid });
  }
  const { key } = await createConnection({ scope, ...(odooAccountId ? { odoo_account_id: odooAccountId } : {}) });
  return connectClient(key);
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function expectNoLeak(result: CallToolResult): void {
  const wire = JSON.stringify(result);
  expect(wire).not.toMatch(/Traceback|server traceback|admin-api-key|demo-api-key|wrong-key/);
}

function errorOf(result: CallToolResult): { type: string; code: string; message: string } {
  expect(result.isError).toBe(true);
  expectNoLeak(result);
  return (result.structuredContent as { error: { type: string; code: string; message: string } }).error;
}

describe('tools/list per preset', () => {
  it.each([
    ['full', { preset: 'full' }, ALL_TOOLS],
    ['read_only', { preset: 'read_only' }, ['aggregate_records', 'count_records', 'describe_model', 'list_models', 'read_records', 'search_records']],
    ['custom create only', { preset: 'custom', operations: ['create'] }, ['create_records']],
    ['custom query only', { preset: 'custom', operations: ['query'] }, ['count_records']],
    ['custom execute and read', { preset: 'custom', operations: ['read', 'execute'] }, ['call_method', 'read_records']],
  ])('%s lists exactly its tools', async (_label, scope, expected) => {
    const client = await connect('json2', scope);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(expected);
    for (const tool of tools) {
      expect(tool.annotations).toEqual(
        expect.objectContaining({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean) }),
      );
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [field, schema] of Object.entries(properties)) expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
    }
  });

  it('marks read tools read-only and delete destructive', async () => {
    const client = await connect('json2', { preset: 'full' });
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(byName.search_records).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.delete_records).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.create_records).toMatchObject({ readOnlyHint: false, idempotentHint: false });
  });

  it('refuses a tool the scope hides, even when called by name, without calling Odoo', async () => {
    const client = await connect('json2', { preset: 'read_only' });
    const before = odoo.requests.length;
    const result = await call(client, 'delete_records', { model: 'res.partner', ids: [9] });
    expect(errorOf(result)).toMatchObject({ type: 'denied', code: 'operation_not_allowed' });
    expect(textOf(result)).toMatch(/delete/);
    expect(odoo.requests.length).toBe(before);
  });
});

describe.each<Api>(['json2', 'jsonrpc'])('every tool through a %s account', (api) => {
  it('search_records returns the asked fields, paged', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const result = await call(client, 'search_records', {
      model: 'res.partner',
      domain: [['is_company', '=', true]],
      fields: ['name', 'email'],
      limit: 3,
    });
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as { records: Array<Record<string, unknown>>; count: number; next_offset: number | null };
    expect(data.records).toHaveLength(3);
    for (const record of data.records) expect(Object.keys(record).sort()).toEqual(['email', 'id', 'name']);
    expect(data.next_offset).toBe(3);
    expect(JSON.parse(textOf(result))).toEqual(data);
  });

  it('count_records counts what search finds', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const counted = await call(client, 'count_records', { model: 'res.partner', domain: [['is_company', '=', true]] });
    const found = await call(client, 'search_records', { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name'], limit: 500 });
    expect((counted.structuredContent as { count: number }).count).toBe((found.structuredContent as { count: number }).count);
  });

  it('read_records reads by id and names the ids that were not found', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const result = await call(client, 'read_records', { model: 'res.partner', ids: [9, 15, 999999], fields: ['name'] });
    expect(result.structuredContent).toMatchObject({
      records: [
        { id: 9, name: 'Acme Corporation' },
        { id: 15, name: 'Azure Interior' },
      ],
      missing_ids: [999999],
    });
  });

  it('create_records, update_records and delete_records change records', async () => {
    const client = await connect(api, { preset: 'full' });
    const one = await call(client, 'create_records', { model: 'crm.lead', values: { name: 'From the gateway', email_from: 'a@example.com' } });
    const [id] = (one.structuredContent as { ids: number[] }).ids;
    const many = await call(client, 'create_records', { model: 'crm.lead', values: [{ name: 'Lead A' }, { name: 'Lead B' }] });
    expect((many.structuredContent as { ids: number[] }).ids).toHaveLength(2);

    const updated = await call(client, 'update_records', { model: 'crm.lead', ids: [id], values: { description: 'updated' } });
    expect(updated.structuredContent).toEqual({ model: 'crm.lead', ids: [id], updated: true });
    const read = await call(client, 'read_records', { model: 'crm.lead', ids: [id], fields: ['name', 'description'] });
    expect(read.structuredContent).toMatchObject({ records: [{ id, name: 'From the gateway', description: 'updated' }] });

    const deleted = await call(client, 'delete_records', { model: 'crm.lead', ids: [id] });
    expect(deleted.structuredContent).toEqual({ model: 'crm.lead', ids: [id], deleted: true });
    const gone = await call(client, 'read_records', { model: 'crm.lead', ids: [id] });
    expect(gone.structuredContent).toMatchObject({ records: [], missing_ids: [id] });
  });

  it('call_method runs a public method on records', async () => {
    const client = await connect(api, { preset: 'full' });
    const result = await call(client, 'call_method', {
      model: 'res.partner',
      method: 'message_post',
      ids: [3],
      kwargs: { body: 'Enriched by the gateway', message_type: 'comment' },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ model: 'res.partner', method: 'message_post', result: [expect.any(Number)] });
  });

  it('list_models lists models and leaves out the ones the scope cannot use', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const crm = await call(client, 'list_models', { filter: 'crm' });
    const names = (crm.structuredContent as { models: Array<{ model: string }> }).models.map((m) => m.model);
    expect(names).toContain('crm.lead');
    const settings = await call(client, 'list_models', { filter: 'ir.config' });
    expect((settings.structuredContent as { models: unknown[] }).models).toEqual([]);
  });

  it('describe_model describes fields', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const result = await call(client, 'describe_model', { model: 'res.partner' });
    const fields = (result.structuredContent as { fields: Record<string, { type: string }> }).fields;
    expect(fields.name).toMatchObject({ type: 'char' });
    expect(fields.country_id).toMatchObject({ type: 'many2one', relation: 'res.country' });
  });

  it('aggregate_records groups and totals', async () => {
    const client = await connect(api, { preset: 'read_only' });
    const result = await call(client, 'aggregate_records', {
      model: 'sale.order',
      group_by: ['state'],
      aggregates: ['amount_total:sum', '__count'],
    });
    expect(result.isError).toBeFalsy();
    const groups = (result.structuredContent as { groups: Array<{ group: { state: string }; count: number; aggregates: Record<string, unknown> }> }).groups;
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(typeof group.group.state).toBe('string');
      expect(group.count).toBeGreaterThan(0);
      expect(typeof group.aggregates['amount_total:sum']).toBe('number');
    }
  });

  it('uses exactly one Odoo request per tool call on the happy path, and one more for a write (the fields_get its values are checked against)', async () => {
    const client = await connect(api, { preset: 'full' });
    const calls: Array<[string, Record<string, unknown>]> = [
      ['search_records', { model: 'res.partner', limit: 2 }],
      ['count_records', { model: 'res.partner' }],
      ['read_records', { model: 'res.partner', ids: [9] }],
      ['describe_model', { model: 'res.partner' }],
      ['list_models', {}],
      ['aggregate_records', { model: 'sale.order', group_by: ['state'] }],
      ['create_records', { model: 'crm.lead', values: { name: 'x' } }],
      ['call_method', { model: 'res.partner', method: 'message_post', ids: [3], kwargs: { body: 'x' } }],
    ];
    for (const [name, args] of calls) {
      const before = odoo.requests.length;
      const result = await call(client, name, args);
      expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
      expect(odoo.requests.length - before, name).toBe(name === 'create_records' ? 2 : 1);
    }
  });
});

describe.each<Api>(['json2', 'jsonrpc'])('Odoo failures through a %s account become tool errors', (api) => {
  it.each([
    ['an unknown model', 'search_records', { model: 'no.such.model' }, 'unknown_model', /no\.such\.model/],
    ['a bad domain', 'search_records', { model: 'res.partner', domain: [['no_such_field', '=', 1]] }, 'invalid_request', /no_such_field/],
    ['an unknown field', 'search_records', { model: 'res.partner', fields: ['no_such_field'] }, 'invalid_request', /no_such_field/],
    ['a missing record on write', 'update_records', { model: 'res.partner', ids: [999999], values: { name: 'x' } }, 'missing_record', /does not exist or has been deleted/],
    ['a validation error', 'create_records', { model: 'res.partner', values: {} }, 'validation_error', /Contacts require a name/],
    ['an unknown method', 'call_method', { model: 'res.partner', method: 'no_such_method', ids: [1] }, 'unknown_method', /no_such_method/],
  ])('%s', async (_label, tool, args, code, text) => {
    const client = await connect(api, { preset: 'full' });
    const result = await call(client, tool, args);
    const error = errorOf(result);
    expect(error).toMatchObject({ type: 'odoo', code });
    expect(textOf(result)).toMatch(text);
  });

  it('refused credentials (AccessDenied / 401)', async () => {
    const client = await connect(api, { preset: 'read_only' }, { apiKey: 'wrong-key' });
    const result = await call(client, 'count_records', { model: 'res.partner' });
    expect(errorOf(result)).toMatchObject({ type: 'odoo', code: 'access_denied' });
  });

  it("Odoo's own access rules behind the gateway's (AccessError)", async () => {
    const client = await connect(api, { preset: 'read_only', models: { 'ir.config_parameter': {} } }, { apiKey: 'demo-api-key', login: 'demo', uid: 5 });
    const result = await call(client, 'search_records', { model: 'ir.config_parameter', limit: 1 });
    expect(errorOf(result)).toMatchObject({ type: 'odoo', code: 'access_error' });
    expect(textOf(result)).toMatch(/You are not allowed to access 'System Parameter' \(ir\.config_parameter\) records/);
  });

  it.each([
    ['unreachable', 'unreachable', /could not be reached/i],
    ['hang', 'timeout', /did not answer/i],
    ['html_502', 'bad_response', /.+/],
  ] as const)('Odoo %s', async (fault, code, text) => {
    const client = await connect(api, { preset: 'read_only' });
    odoo.fault = fault;
    const result = await call(client, 'count_records', { model: 'res.partner' });
    expect(errorOf(result)).toMatchObject({ type: 'odoo', code });
    expect(textOf(result)).toMatch(text);
  });

  it('refuses a private method before calling Odoo', async () => {
    const client = await connect(api, { preset: 'full' });
    const before = odoo.requests.length;
    const result = await call(client, 'call_method', { model: 'res.partner', method: '_compute_display_name', ids: [1] });
    expect(errorOf(result)).toMatchObject({ type: 'denied', code: 'private_method' });
    expect(odoo.requests.length).toBe(before);
  });

  it('refuses sensitive models by default, even with full access, before calling Odoo', async () => {
    const client = await connect(api, { preset: 'full' });
    const before = odoo.requests.length;
    const result = await call(client, 'search_records', { model: 'res.users.apikeys' });
    expect(errorOf(result)).toMatchObject({ type: 'denied', code: 'sensitive_model' });
    expect(odoo.requests.length).toBe(before);
  });

  it('refuses invalid arguments with the path of each problem', async () => {
    const client = await connect(api, { preset: 'full' });
    const result = await call(client, 'search_records', { model: 'Res Partner', limit: 100000 });
    const error = errorOf(result);
    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toMatch(/model: /);
    expect(error.message).toMatch(/limit: /);
  });
});
