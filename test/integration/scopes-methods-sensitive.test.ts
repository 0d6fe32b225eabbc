import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminRequest } from '../support/gateway';
import { callTool, expectAllowed, expectRefused, useScopedGateway } from './scopes-helpers';

/**
 * Issue 12, items 3 and 4, through a real MCP client against the stand-in
 * Odoo: call_method cannot step around field and record limits, and sensitive
 * models, fields and methods need to be named exactly. Every refusal is checked
 * together with what reached Odoo: nothing that changes data ever does.
 */

const { connectWithScope } = useScopedGateway();

/** Odoo methods that change data; none may reach the stand-in when a call is refused. */
const CHANGES_DATA = /\.(create|write|unlink|web_save|web_save_multi|web_resequence|load|copy|action_\w+|toggle_active|message_\w+|update_field_translations|web_override_translations|change_password|\w+_password)$/;

function expectNothingChanged(methods: string[]): void {
  expect(methods.filter((method) => CHANGES_DATA.test(method))).toEqual([]);
}

const DRAFT_ONLY = { domain: [['state', '=', 'draft']] };

describe('call_method refuses the Odoo 19 methods that read or write fields or records of the caller\'s choosing, on every model', () => {
  type Row = [method: string, call: Record<string, unknown>, tool: string];
  const ROWS: Row[] = [
    ['web_name_search', { kwargs: { name: 'Acme', specification: { email: {} } } }, 'search_records'],
    ['web_search_read', { kwargs: { domain: [], specification: { email: {} } } }, 'search_records'],
    ['web_read', { ids: [9], kwargs: { specification: { user_ids: { fields: { login: {} } } } } }, 'read_records'],
    ['onchange', { kwargs: { values: { id: 9 }, field_names: [], fields_spec: { email: {} } } }, 'read_records'],
    ['web_save', { ids: [9], kwargs: { vals: { email: 'x@evil.example' }, specification: {} } }, 'update_records'],
    ['web_save_multi', { ids: [9, 10], kwargs: { vals_list: [{ name: 'x' }, { name: 'y' }], specification: {} } }, 'update_records'],
    ['web_resequence', { ids: [10, 9], kwargs: { specification: {}, field_name: 'color' } }, 'update_records'],
    ['formatted_read_grouping_sets', { kwargs: { domain: [], grouping_sets: [['email']], aggregates: ['__count'] } }, 'aggregate_records'],
    ['formatted_read_group', { kwargs: { domain: [], groupby: ['email'], aggregates: ['__count'] } }, 'aggregate_records'],
    ['search_panel_select_range', { kwargs: { field_name: 'parent_id', enable_counters: true } }, 'aggregate_records'],
    ['search_panel_select_multi_range', { kwargs: { field_name: 'category_id', search_domain: [] } }, 'aggregate_records'],
    ['get_field_translations', { ids: [9], kwargs: { field_name: 'comment' } }, 'read_records'],
    ['update_field_translations', { ids: [9], kwargs: { field_name: 'comment', translations: { fr_FR: 'x' } } }, 'update_records'],
    ['web_override_translations', { ids: [9], kwargs: { values: { comment: 'x' } } }, 'update_records'],
    ['action_archive', { ids: [9] }, 'update_records'],
    ['action_unarchive', { ids: [9] }, 'update_records'],
    ['toggle_active', { ids: [9] }, 'update_records'],
    ['get_metadata', { ids: [9] }, 'read_records'],
    ['copy_data', { ids: [9] }, 'read_records'],
    ['export_data', { ids: [9], kwargs: { fields_to_export: ['email'] } }, 'read_records'],
    ['load', { kwargs: { fields: ['name', 'email'], data: [['x', 'x@evil.example']] } }, 'create_records'],
    ['message_new', { kwargs: { msg_dict: {}, custom_values: { name: 'x', email: 'x@evil.example' } } }, 'create_records'],
    ['message_update', { ids: [9], kwargs: { msg_dict: {}, update_vals: { email: 'x@evil.example' } } }, 'update_records'],
    ['hierarchy_read', { kwargs: { domain: [], specification: { email: {} }, parent_field: 'parent_id' } }, 'search_records'],
    ['get_views', { kwargs: { views: [[false, 'form']] } }, 'describe_model'],
  ];

  it.each(ROWS)('%s, even with full access', async (method, call, tool) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectRefused(await callTool(client, 'call_method', { model: 'res.partner', method, ...call }), 'method_reserved', `'${method}' cannot be called as a method`, `use the ${tool} tool`);
    expect(odoo.requests()).toEqual([]);
  });

  const NEWLY_RESERVED = new Set(['web_name_search', 'onchange', 'web_save_multi', 'action_archive', 'get_field_translations', 'search_panel_select_range', 'message_update']);
  it.each(ROWS.filter(([method]) => NEWLY_RESERVED.has(method)))('%s, even on a model that names it in methods (a stored scope)', async (method, call) => {
    const { client, odoo, connection } = await connectWithScope({ preset: 'full', models: { 'res.partner': { methods: ['message_post'] } } });
    // The admin API no longer saves a reserved method in methods; a row stored before is refused at call time all the same.
    await storeScope(connection.id, { preset: 'full', models: { 'res.partner': { methods: ['message_post', method] } } });
    expectRefused(await callTool(client, 'call_method', { model: 'res.partner', method, ...call }), 'method_reserved');
    expect(odoo.requests()).toEqual([]);
  });
});

describe('call_method refuses the record-set helpers of BaseModel and the portal token, which Odoo 18 and older would run', () => {
  const HELPERS: Array<[method: string, call: Record<string, unknown>, mention: string]> = [
    ['mapped', { ids: [9], kwargs: { func: 'user_ids.login' } }, 'use the read_records tool'],
    ['filtered', { ids: [9, 10], kwargs: { func: 'email' } }, 'use the read_records tool'],
    ['filtered_domain', { ids: [9, 10], kwargs: { domain: [['email', 'ilike', 'a']] } }, 'use the search_records tool'],
    ['sorted', { ids: [9, 10], kwargs: { key: 'email' } }, 'use the read_records tool'],
    ['exists', { ids: [9, 10] }, 'use the read_records tool'],
    ['browse', { args: [[9]] }, 'use the read_records tool'],
    ['update', { ids: [9], kwargs: { values: { email: 'x@evil.example' } } }, 'use the update_records tool'],
    ['sudo', { ids: [9] }, 'superuser'],
    ['with_user', { ids: [9], kwargs: { user: 2 } }, 'another Odoo user'],
    ['with_company', { ids: [9], kwargs: { company: 1 } }, 'another company'],
    ['with_context', { ids: [9], kwargs: { active_test: false } }, 'context'],
    ['with_env', { ids: [9] }, 'another environment'],
    ['with_prefetch', { ids: [9] }, 'helper of server code'],
    ['ensure_one', { ids: [9] }, 'helper of server code'],
    ['get_portal_url', { ids: [9] }, 'access token'],
  ];
  it.each(HELPERS)('%s, even with full access and named in methods', async (method, call, mention) => {
    const args = { model: 'res.partner', method, ...call };
    for (const scope of [{ preset: 'full' }, { preset: 'full', models: { 'res.partner': { methods: ['message_post'] } } }]) {
      const { client, odoo, connection } = await connectWithScope(scope);
      if (scope.models) await storeScope(connection.id, { preset: 'full', models: { 'res.partner': { methods: ['message_post', method] } } });
      expectRefused(await callTool(client, 'call_method', args), 'method_reserved', `'${method}' cannot be called as a method`, mention);
      expect(odoo.requests()).toEqual([]);
    }
  });

  it.each([
    ['sale.order', 'action_preview_sale_order', 1],
    ['account.move', 'preview_invoice', 1],
  ] as const)('%s.%s (the portal address with its access token) needs the model named exactly and the method in methods', async (model, method, id) => {
    const { client, odoo } = await connectWithScope({ preset: 'full', models: { [model]: {}, '*': {} } });
    expectRefused(await callTool(client, 'call_method', { model, method, ids: [id] }), 'sensitive_method', 'access token', `name ${model} exactly`);
    expect(odoo.requests()).toEqual([]);
  });
});

/** Writes a scope the way an older gateway stored it, past today's validation: the policy must hold at call time too. */
async function storeScope(connectionId: string, scope: unknown): Promise<void> {
  await env.DB.prepare('UPDATE connections SET scope = ? WHERE id = ?').bind(JSON.stringify(scope), connectionId).run();
}

describe('where an entry limits fields or records, call_method runs only the methods it names', () => {
  const LIMITED: Array<[string, Record<string, unknown>, string]> = [
    ['a domain', DRAFT_ONLY, 'domain'],
    ['read_fields', { read_fields: ['name', 'state'] }, 'read_fields'],
    ['write_fields', { write_fields: ['note'] }, 'write_fields'],
  ];

  it.each(LIMITED)('a scope with %s, execute and no methods is refused when saved (POST and PATCH)', async (_label, rule, limit) => {
    const scope = { preset: 'full', models: { 'sale.order': rule } };
    const created = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'steps around limits', scope } });
    expect(created.status).toBe(400);
    const body = (await created.json()) as { error: { code: string; details: { issues: Array<{ path: string; message: string }> } } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues).toEqual([
      {
        path: 'scope.models.sale.order.methods',
        message: `'sale.order' limits ${limit} and allows 'execute', so call_method may only call the methods named here: list them in methods ([] for none), or leave 'execute' out of its operations`,
      },
    ]);

    const { client, connection, odoo } = await connectWithScope({ preset: 'full', models: { 'sale.order': { ...rule, methods: ['action_confirm'] } } });
    const patched = await adminRequest(`/admin/api/connections/${connection.id}`, { method: 'PATCH', json: { scope } });
    expect(patched.status).toBe(400);
    expect(((await patched.json()) as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues.map((issue) => issue.path)).toEqual([
      'scope.models.sale.order.methods',
    ]);
    // The stored scope did not change: its allow-list still refuses another method, before Odoo.
    expectRefused(await callTool(client, 'call_method', { model: 'sale.order', method: 'action_cancel', ids: [1] }), 'method_not_allowed', 'allowed: action_confirm');
    expect(odoo.requests()).toEqual([]);
  });

  it.each(LIMITED)('a stored scope with %s and no methods refuses every method at call time, before Odoo', async (_label, rule, limit) => {
    const { client, connection, odoo } = await connectWithScope({ preset: 'full', models: { 'sale.order': { ...rule, methods: ['action_confirm'] } } });
    await storeScope(connection.id, { preset: 'full', models: { 'sale.order': rule } });
    for (const method of ['action_confirm', 'action_cancel', 'message_post']) {
      expectRefused(
        await callTool(client, 'call_method', { model: 'sale.order', method, ids: [1] }),
        'method_not_allowed',
        `its scope limits sale.order with ${limit}, so only methods named in its methods may be called`,
      );
    }
    expect(odoo.requests()).toEqual([]);
  });

  it('a named method still runs, inside the domain', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full', models: { 'res.partner': { ...{ domain: [['is_company', '=', true]] }, methods: ['message_post'] } } });
    expectAllowed(await callTool(client, 'call_method', { model: 'res.partner', method: 'message_post', ids: [9], kwargs: { body: 'Hello' } }));
    expect(odoo.methods()).toEqual(['res.partner.search', 'res.partner.message_post']);
  });
});

describe('sensitive models are refused under full access and wildcards', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['res.config.settings', 'create_records', { values: { module_crm: true } }],
    ['res.config.settings', 'call_method', { method: 'execute', ids: [1] }],
    ['base.module.upgrade', 'call_method', { method: 'upgrade_module', ids: [1] }],
    ['base.module.uninstall', 'call_method', { method: 'action_uninstall', ids: [1] }],
    ['res.users.apikeys.show', 'search_records', {}],
    ['auth_totp.device', 'search_records', {}],
    ['ir.default', 'create_records', { values: { field_id: 1, json_value: 'true' } }],
    ['mail.template', 'call_method', { method: 'send_mail', ids: [1], kwargs: { res_id: 9 } }],
    ['ir.actions.report', 'update_records', { ids: [1], values: { print_report_name: "object.name" } }],
    ['ir.attachment', 'search_records', { fields: ['datas'] }],
    ['ir.actions.act_window', 'update_records', { ids: [1], values: { context: '{}' } }],
    ['res.users.settings', 'search_records', {}],
    ['base_import.import', 'call_method', { method: 'execute_import', ids: [1], kwargs: { fields: ['name'], columns: ['name'] } }],
    ['change.password.own', 'create_records', { values: { new_password: 'x', confirm_password: 'x' } }],
  ])('%s (%s)', async (model, tool, args) => {
    for (const scope of [{ preset: 'full' }, { preset: 'full', models: { '*': {} } }]) {
      const { client, odoo } = await connectWithScope(scope);
      expectRefused(await callTool(client, tool, { model, ...args }), 'sensitive_model', `model '${model}'`);
      expect(odoo.requests()).toEqual([]);
    }
  });
});

describe('sensitive fields need the model and the field named exactly', () => {
  type Row = [label: string, tool: string, args: Record<string, unknown>, field: string, access: 'read' | 'write'];
  const ROWS: Row[] = [
    ['set a password', 'update_records', { model: 'res.users', ids: [5], values: { password: 'owned' } }, 'password', 'write'],
    ['set a new password', 'update_records', { model: 'res.users', ids: [5], values: { new_password: 'owned' } }, 'new_password', 'write'],
    ['grant a group', 'update_records', { model: 'res.users', ids: [5], values: { group_ids: [[4, 2]] } }, 'group_ids', 'write'],
    ['replace the groups', 'update_records', { model: 'res.users', ids: [5], values: { group_ids: [[6, 0, [1, 2]]] } }, 'group_ids', 'write'],
    ['drop a group', 'update_records', { model: 'res.users', ids: [2], values: { group_ids: [[3, 1]] } }, 'group_ids', 'write'],
    ['make an administrator', 'update_records', { model: 'res.users', ids: [5], values: { role: 'group_system' } }, 'role', 'write'],
    ['change a login', 'update_records', { model: 'res.users', ids: [2], values: { login: 'attacker@evil.example' } }, 'login', 'write'],
    ['grant a company', 'update_records', { model: 'res.users', ids: [5], values: { company_ids: [[4, 1]] } }, 'company_ids', 'write'],
    ['link an OAuth account', 'update_records', { model: 'res.users', ids: [2], values: { oauth_uid: 'attacker', oauth_provider_id: 1 } }, 'oauth_uid', 'write'],
    ['make a user another partner', 'update_records', { model: 'res.users', ids: [5], values: { partner_id: 3 } }, 'partner_id', 'write'],
    ['turn a portal user internal', 'update_records', { model: 'res.users', ids: [6], values: { share: false } }, 'share', 'write'],
    ['move a user to another company', 'update_records', { model: 'res.users', ids: [5], values: { company_id: 1 } }, 'company_id', 'write'],
    ['unarchive a user', 'update_records', { model: 'res.users', ids: [5], values: { active: true } }, 'active', 'write'],
    ['set the home action', 'update_records', { model: 'res.users', ids: [5], values: { action_id: false } }, 'action_id', 'write'],
    ['write the groups editor', 'update_records', { model: 'res.users', ids: [5], values: { view_group_hierarchy: { groups: [2] } } }, 'view_group_hierarchy', 'write'],
    ['change the roles', 'update_records', { model: 'res.users', ids: [5], values: { role_ids: [[6, 0, []]] } }, 'role_ids', 'write'],
    ['move a user under another partner from its side', 'update_records', { model: 'res.partner', ids: [3], values: { user_ids: [[4, 5]] } }, 'partner_id', 'write'],
    ['create a user with a partner', 'create_records', { model: 'res.users', values: { name: 'x', partner_id: 3 } }, 'partner_id', 'write'],
    ['create a user with a password', 'create_records', { model: 'res.users', values: { name: 'x', login: 'x', password: 'owned' } }, 'login', 'write'],
    ['set a password in nested values', 'update_records', { model: 'res.partner', ids: [3], values: { user_ids: [[1, 2, { password: 'owned' }]] } }, 'password', 'write'],
    ['grant a group in nested values', 'update_records', { model: 'res.partner', ids: [6], values: { user_ids: [[1, 5, { group_ids: [[4, 2]] }]] } }, 'group_ids', 'write'],
    ['create a user in nested values', 'create_records', { model: 'res.partner', values: { name: 'x', user_ids: [[0, 0, { name: 'x', login: 'x', password: 'owned' }]] } }, 'login', 'write'],
    // Odoo sets a one2many's inverse on every line it creates: a nested create writes res.users.partner_id.
    ['create a user under a partner from its side', 'update_records', { model: 'res.partner', ids: [12], values: { user_ids: [[0, 0, { name: 'x' }]] } }, 'partner_id', 'write'],
    ['create a partner with a new user of its own', 'create_records', { model: 'res.partner', values: { name: 'x', user_ids: [[0, 0, { name: 'u' }]] } }, 'partner_id', 'write'],
    ['create a user under a partner with a boolean command', 'update_records', { model: 'res.partner', ids: [12], values: { user_ids: [[false, false, { name: 'x' }]] } }, 'partner_id', 'write'],
    ['grant a company from its side', 'update_records', { model: 'res.company', ids: [1], values: { user_ids: [[4, 6]] } }, 'user_ids', 'write'],
    ['read a password', 'read_records', { model: 'res.users', ids: [2], fields: ['name', 'password'] }, 'password', 'read'],
    ['filter on a password', 'search_records', { model: 'res.users', domain: [['password', '!=', false]], fields: ['name'] }, 'password', 'read'],
    ['sort on API keys', 'search_records', { model: 'res.users', fields: ['name'], order: 'api_key_ids' }, 'api_key_ids', 'read'],
    ['group by a two-factor secret', 'aggregate_records', { model: 'res.users', group_by: ['totp_secret'] }, 'totp_secret', 'read'],
    ['read a portal token', 'read_records', { model: 'sale.order', ids: [1], fields: ['name', 'access_token'] }, 'access_token', 'read'],
    ['filter through a relation on a portal token', 'search_records', { model: 'res.partner', domain: [['sale_order_ids.access_token', '=', 'x']], fields: ['name'] }, 'access_token', 'read'],
  ];

  it.each(ROWS)('%s is refused under full access', async (_label, tool, args, field, access) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    const verb = access === 'read' ? 'read' : 'written';
    expectRefused(await callTool(client, tool, args), 'sensitive_field', `field '${field}' may not be ${verb}`, /name \S+ exactly in the scope/);
    expectNothingChanged(odoo.methods());
    // At most the fields_get that resolves a nested value's or a relation's model reached Odoo.
    expect(odoo.methods().every((method) => method.endsWith('.fields_get'))).toBe(true);
  });

  it.each(ROWS.filter(([, , args]) => args.model === 'res.users'))('%s is refused under a wildcard that lists the field, and an exact key that does not', async (_label, tool, args, field) => {
    for (const scope of [
      { preset: 'full', models: { 'res.*': { read_fields: ['name', field], write_fields: ['name', field], methods: [] } } },
      { preset: 'full', models: { 'res.users': {} } },
    ]) {
      const { client, odoo } = await connectWithScope(scope);
      const result = await callTool(client, tool, args);
      expect((result.structuredContent as { error?: { code: string } }).error?.code).toMatch(/^(sensitive_field|field_not_readable|field_not_writable)$/);
      expectNothingChanged(odoo.methods());
    }
  });

  it('a scope that names res.users and password in write_fields sets it; the other sensitive fields stay refused', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full', models: { 'res.users': { write_fields: ['password', 'name'], methods: [] } } });
    expectRefused(await callTool(client, 'update_records', { model: 'res.users', ids: [5], values: { name: 'x', group_ids: [[4, 2]] } }), 'sensitive_field', "field 'group_ids'");
    expect(odoo.requests()).toEqual([]);
    expectAllowed(await callTool(client, 'update_records', { model: 'res.users', ids: [5], values: { password: 'chosen by the admin' } }));
    expect(odoo.methods()).toEqual(['res.users.fields_get', 'res.users.write']);
  });

  it('naming group_ids is not enough to link a group: res.groups must be named too', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'full', models: { 'res.users': { write_fields: ['group_ids'], methods: [] } } });
    expectRefused(await callTool(client, 'update_records', { model: 'res.users', ids: [5], values: { group_ids: [[4, 2]] } }), 'sensitive_model', "model 'res.groups'");
    expectNothingChanged(odoo.methods());
  });

  it('describe_model shows sensitive fields as readonly and hides the secret ones', async () => {
    const { client } = await connectWithScope({ preset: 'full' });
    const described = expectAllowed<{ fields: Record<string, { readonly?: boolean }> }>(await callTool(client, 'describe_model', { model: 'res.users' }));
    expect(described.fields.password).toBeUndefined();
    expect(described.fields.group_ids?.readonly).toBe(true);
    expect(described.fields.login?.readonly).toBe(true);
  });
});

describe('sensitive methods of res.users', () => {
  it.each([
    ['change_password', { kwargs: { old_passwd: 'admin', new_passwd: 'owned' } }],
    ['preference_change_password', { ids: [2] }],
    ['action_reset_password', { ids: [5] }],
    ['action_totp_disable', { ids: [2] }],
    ['api_key_wizard', { ids: [2] }],
  ])('%s is refused under full access and an exact key that does not name it', async (method, call) => {
    for (const scope of [{ preset: 'full' }, { preset: 'full', models: { 'res.users': {} } }]) {
      const { client, odoo } = await connectWithScope(scope);
      expectRefused(await callTool(client, 'call_method', { model: 'res.users', method, ...call }), 'sensitive_method', `method '${method}'`, 'the method in its methods');
      expect(odoo.requests()).toEqual([]);
    }
  });
});

describe('deleting users or companies needs the model named exactly', () => {
  it.each([
    ['a user, directly', 'delete_records', { model: 'res.users', ids: [5] }, 'res.users'],
    ['a company, directly', 'delete_records', { model: 'res.company', ids: [1] }, 'res.company'],
    ["a user, from its partner's side", 'update_records', { model: 'res.partner', ids: [3], values: { user_ids: [[2, 5]] } }, 'res.users'],
  ])('refuses deleting %s under full, with the model to name', async (_label, tool, args, model) => {
    const { client, odoo } = await connectWithScope({ preset: 'full' });
    expectRefused(await callTool(client, tool, args), 'sensitive_delete', `${model}: records may not be deleted`, `name ${model} exactly in the scope with the delete operation`);
    expectNothingChanged(odoo.methods());
  });

  it('refuses it under a wildcard entry, and lets an entry that names res.users delete a user', async () => {
    const wildcard = await connectWithScope({ preset: 'full', models: { 'res.*': {} } });
    expectRefused(await callTool(wildcard.client, 'delete_records', { model: 'res.users', ids: [5] }), 'sensitive_delete');
    expectNothingChanged(wildcard.odoo.methods());

    const named = await connectWithScope({ preset: 'full', models: { 'res.users': {} } });
    expectAllowed(await callTool(named.client, 'delete_records', { model: 'res.users', ids: [5] }));
    expect(named.odoo.methods()).toContain('res.users.unlink');
  });
});
