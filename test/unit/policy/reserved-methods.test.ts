import { describe, expect, it } from 'vitest';
import type { DenialReason } from '../../../src/policy/decision';
import { checkDomainFields, checkReadFields, checkWriteFields, describableFields, filterRecordFields } from '../../../src/policy/fields';
import { authorizeMethod, resolveModelAccess, type ModelAccess } from '../../../src/policy/models';
import { RESERVED_METHODS } from '../../../src/policy/orm-methods';
import { describeDenial } from '../../../src/policy/reasons';
import { parseScope, type Scope } from '../../../src/policy/scope';
import { sensitiveField } from '../../../src/policy/sensitive-models';

/** Issue 12, items 3 and 4: call_method cannot step around field and record limits; sensitive fields and methods need the model and the field or method named exactly. */

const reasonOf = (decision: ReturnType<typeof authorizeMethod>): DenialReason | 'allow' => (decision.effect === 'allow' ? 'allow' : decision.reason);

function accessFor(scope: Scope, model: string): ModelAccess {
  const access = resolveModelAccess(scope, model);
  if (!access.allowed) throw new Error(`${model} is not allowed`);
  return access;
}

describe("reserved methods: the Odoo 19 methods that read or write fields or records of the caller's choosing", () => {
  it.each<[string, string, string]>([
    // addons/web/models/models.py
    ['web_name_search', 'read', 'search_records'],
    ['web_search_read', 'read', 'search_records'],
    ['web_read', 'read', 'read_records'],
    ['web_save', 'write', 'update_records'],
    ['web_save_multi', 'write', 'update_records'],
    ['web_resequence', 'write', 'update_records'],
    ['web_read_group', 'report', 'aggregate_records'],
    ['formatted_read_group', 'report', 'aggregate_records'],
    ['formatted_read_grouping_sets', 'report', 'aggregate_records'],
    ['read_progress_bar', 'report', 'aggregate_records'],
    ['search_panel_select_range', 'report', 'aggregate_records'],
    ['search_panel_select_multi_range', 'report', 'aggregate_records'],
    ['onchange', 'read', 'read_records'],
    ['web_override_translations', 'write', 'update_records'],
    // odoo/orm/models.py
    ['search', 'query', 'search_records'],
    ['search_count', 'query', 'count_records'],
    ['search_read', 'read', 'search_records'],
    ['name_search', 'read', 'search_records'],
    ['read', 'read', 'read_records'],
    ['export_data', 'read', 'read_records'],
    ['copy_data', 'read', 'read_records'],
    ['get_metadata', 'read', 'read_records'],
    ['get_field_translations', 'read', 'read_records'],
    ['update_field_translations', 'write', 'update_records'],
    ['copy_translations', 'write', 'update_records'],
    ['create', 'create', 'create_records'],
    ['name_create', 'create', 'create_records'],
    ['copy', 'create', 'create_records'],
    ['load', 'create', 'create_records'],
    ['write', 'write', 'update_records'],
    ['toggle_active', 'write', 'update_records'],
    ['action_archive', 'write', 'update_records'],
    ['action_unarchive', 'write', 'update_records'],
    ['unlink', 'delete', 'delete_records'],
    ['fields_get', 'schema', 'describe_model'],
    ['get_property_definition', 'schema', 'describe_model'],
    ['read_group', 'report', 'aggregate_records'],
    // odoo/addons/base/models/ir_ui_view.py, addons/web_hierarchy, addons/mail/models/mail_thread.py
    ['get_views', 'schema', 'describe_model'],
    ['get_view', 'schema', 'describe_model'],
    ['hierarchy_read', 'read', 'search_records'],
    ['message_new', 'create', 'create_records'],
    ['message_process', 'create', 'create_records'],
    ['message_update', 'write', 'update_records'],
    ['message_change_thread', 'write', 'update_records'],
  ])('%s is refused as %s, pointing to %s, on every model and under full access', (method, operation, tool) => {
    expect(RESERVED_METHODS.get(method)).toEqual({ operation, tool });
    for (const scope of [{ preset: 'full' }, { preset: 'full', models: { 'res.partner': { methods: [method] } } }] as Scope[]) {
      expect(reasonOf(authorizeMethod(scope, 'res.partner', method))).toEqual({ code: 'method_reserved', model: 'res.partner', method, operation, tool });
    }
    expect(describeDenial({ code: 'method_reserved', model: 'res.partner', method, operation: operation as 'read', tool })).toContain(`use the ${tool} tool`);
  });

  it.each<[string, string, string]>([
    // odoo/orm/models.py record-set helpers that read, search or write (public before Odoo 19's @api.private)
    ['browse', 'read', 'read_records'],
    ['exists', 'read', 'read_records'],
    ['mapped', 'read', 'read_records'],
    ['filtered', 'read', 'read_records'],
    ['filtered_domain', 'query', 'search_records'],
    ['sorted', 'read', 'read_records'],
    ['grouped', 'read', 'read_records'],
    ['get_external_id', 'read', 'read_records'],
    ['update', 'write', 'update_records'],
    ['new', 'create', 'create_records'],
    ['check_field_access_rights', 'schema', 'describe_model'],
  ])('record-set helper %s is refused as %s, pointing to %s', (method, operation, tool) => {
    expect(RESERVED_METHODS.get(method)).toEqual({ operation, tool });
    expect(reasonOf(authorizeMethod({ preset: 'full' }, 'sale.order', method))).toEqual({ code: 'method_reserved', model: 'sale.order', method, operation, tool });
  });

  it.each([
    'sudo', 'with_user', 'with_company', 'with_context', 'with_env', 'with_prefetch', 'ensure_one', 'concat', 'union',
    'flush_model', 'flush_recordset', 'invalidate_model', 'invalidate_recordset', 'modified', 'lock_for_update',
    'try_lock_for_update', 'init', 'check_access', 'has_access', 'check_access_rights', 'check_access_rule', 'get_portal_url',
  ])('helper %s is refused on every model, even named in methods, and cannot be saved in methods', (method) => {
    for (const scope of [{ preset: 'full' }, { preset: 'full', models: { 'sale.order': { methods: [method] } } }] as Scope[]) {
      expect(reasonOf(authorizeMethod(scope, 'sale.order', method))).toEqual({ code: 'method_reserved', model: 'sale.order', method });
    }
    const words = describeDenial({ code: 'method_reserved', model: 'sale.order', method });
    expect(words).toContain(`'${method}' cannot be called as a method (it `);
    expect(words).not.toContain('dedicated tool');
    const parsed = parseScope({ preset: 'full', models: { 'sale.order': { methods: [method] } } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]!.message).toMatch(new RegExp(`^'${method}' .+, so it is never callable as a method$`));
  });

  it('says why get_portal_url and sudo are refused', () => {
    expect(describeDenial({ code: 'method_reserved', model: 'sale.order', method: 'get_portal_url' })).toContain('access token');
    expect(describeDenial({ code: 'method_reserved', model: 'sale.order', method: 'sudo' })).toContain('superuser');
  });

  it.each([
    ['sale.order', 'action_preview_sale_order'],
    ['account.move', 'preview_invoice'],
  ])('%s.%s answers the portal address with its access token: a sensitive method', (model, method) => {
    expect(reasonOf(authorizeMethod({ preset: 'full' }, model, method))).toEqual({ code: 'sensitive_method', model, method });
    expect(reasonOf(authorizeMethod({ preset: 'full', models: { [model]: {} } }, model, method))).toEqual({ code: 'sensitive_method', model, method });
    expect(authorizeMethod({ preset: 'full', models: { [model]: { methods: [method] } } }, model, method)).toEqual({ effect: 'allow' });
    expect(describeDenial({ code: 'sensitive_method', model, method })).toContain('access token');
  });

  it('refuses a reserved method when a scope is saved, naming the tool to use instead', () => {
    const parsed = parseScope({ preset: 'full', models: { 'res.partner': { methods: ['message_post', 'web_save_multi'] } } });
    expect(parsed).toEqual({
      ok: false,
      issues: [
        {
          path: 'models.res.partner.methods.1',
          message: "'web_save_multi' reads or writes fields or records of the caller's choosing, so it is never callable as a method: grant the 'write' operation instead (tool update_records)",
        },
      ],
    });
  });

  it('keeps ordinary business methods callable on a model without limits', () => {
    for (const method of ['action_confirm', 'message_post', 'message_subscribe', 'activity_schedule', 'default_get']) {
      expect(authorizeMethod({ preset: 'full' }, 'sale.order', method)).toEqual({ effect: 'allow' });
    }
  });
});

describe('on a model whose entry limits fields or records, methods are an allow-list', () => {
  const limits: Array<[string, Record<string, unknown>, string[]]> = [
    ['read_fields', { read_fields: ['name'] }, ['read_fields']],
    ['write_fields', { write_fields: ['name'] }, ['write_fields']],
    ['domain', { domain: [['state', '=', 'draft']] }, ['domain']],
    ['all three', { read_fields: ['name'], write_fields: ['name'], domain: [['state', '=', 'draft']] }, ['read_fields', 'write_fields', 'domain']],
  ];

  it.each(limits)('a scope granting execute with %s and no methods is refused when saved', (_label, rule, named) => {
    for (const scope of [
      { preset: 'full', models: { 'sale.order': rule } },
      { preset: 'custom', operations: ['read', 'execute'], models: { 'sale.order': rule } },
      { preset: 'custom', operations: ['read', 'execute'], models: { 'sale.order': { ...rule, operations: ['read', 'execute'] } } },
      { preset: 'full', models: { 'sale.*': rule } },
    ]) {
      const pattern = Object.keys(scope.models)[0]!;
      const parsed = parseScope(scope);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.issues).toEqual([
        {
          path: `models.${pattern}.methods`,
          message: `'${pattern}' limits ${named.join(', ')} and allows 'execute', so call_method may only call the methods named here: list them in methods ([] for none), or leave 'execute' out of its operations`,
        },
      ]);
    }
  });

  it.each(limits)('with %s, a scope is saved when it names methods, names none, or does not grant execute', (_label, rule) => {
    for (const scope of [
      { preset: 'full', models: { 'sale.order': { ...rule, methods: ['action_confirm'] } } },
      { preset: 'full', models: { 'sale.order': { ...rule, methods: [] } } },
      { preset: 'full', models: { 'sale.order': { ...rule, operations: ['read', 'write'] } } },
      { preset: 'read_only', models: { 'sale.order': rule } },
      { preset: 'custom', operations: ['read', 'write'], models: { 'sale.order': rule } },
      { preset: 'custom', operations: ['read', 'execute'], models: { 'sale.order': { ...rule, operations: ['read'] } } },
    ]) {
      expect(parseScope(scope).ok, JSON.stringify(scope)).toBe(true);
    }
  });

  it('an empty domain limits nothing', () => {
    expect(parseScope({ preset: 'full', models: { 'sale.order': { domain: [] } } }).ok).toBe(true);
  });

  it("refuses a pattern in methods: they are names, not patterns", () => {
    const parsed = parseScope({ preset: 'full', models: { 'sale.order': { domain: [['state', '=', 'draft']], methods: ['*'] } } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]).toEqual({ path: 'models.sale.order.methods.0', message: "'*': methods takes method names, not patterns (name each method call_method may call)" });
  });

  // A scope stored before this rule existed is not re-validated: the call itself is refused.
  it.each(limits)('a stored scope with %s and no methods refuses every method at call time', (_label, rule, named) => {
    const scope = { preset: 'full', models: { 'sale.order': rule } } as Scope;
    const decision = authorizeMethod(scope, 'sale.order', 'action_confirm');
    expect(reasonOf(decision)).toEqual({ code: 'method_not_allowed', model: 'sale.order', method: 'action_confirm', allowed: [], limits: named });
    expect(describeDenial((decision as { reason: DenialReason }).reason)).toBe(
      `sale.order: method 'action_confirm' may not be called by this connection (its scope limits sale.order with ${named.join(', ')}, so only methods named in its methods may be called, and it names none)`,
    );
  });

  it('a named method runs; an unnamed one and a named reserved one do not', () => {
    const scope = { preset: 'full', models: { 'sale.order': { domain: [['state', '=', 'draft']], methods: ['action_confirm', 'web_save'] } } } as Scope;
    expect(authorizeMethod(scope, 'sale.order', 'action_confirm')).toEqual({ effect: 'allow' });
    expect(reasonOf(authorizeMethod(scope, 'sale.order', 'action_cancel'))).toMatchObject({ code: 'method_not_allowed', allowed: ['action_confirm', 'web_save'] });
    expect(reasonOf(authorizeMethod(scope, 'sale.order', 'web_save'))).toMatchObject({ code: 'method_reserved', tool: 'update_records' });
  });
});

describe('sensitive methods', () => {
  it.each(['change_password', 'preference_change_password', 'action_reset_password', 'reset_password', 'signup', 'action_totp_disable', 'api_key_wizard', 'auth_oauth'])(
    'res.users.%s needs res.users named exactly and the method in its methods',
    (method) => {
      for (const scope of [{ preset: 'full' }, { preset: 'full', models: { 'res.*': {} } }, { preset: 'full', models: { 'res.users': {} } }, { preset: 'full', models: { 'res.*': { methods: [method] } } }] as Scope[]) {
        expect(reasonOf(authorizeMethod(scope, 'res.users', method))).toEqual({ code: 'sensitive_method', model: 'res.users', method });
      }
      expect(authorizeMethod({ preset: 'full', models: { 'res.users': { methods: [method] } } }, 'res.users', method)).toEqual({ effect: 'allow' });
    },
  );

  it('says what the method does and how to allow it', () => {
    expect(describeDenial({ code: 'sensitive_method', model: 'res.users', method: 'change_password' })).toBe(
      "res.users: method 'change_password' may not be called by this connection (it changes the password of the acting user; name res.users exactly in the scope and the method in its methods to allow it)",
    );
  });
});

describe('sensitive fields', () => {
  const WRITE_ONLY = [
    'login', 'group_ids', 'role', 'company_ids', 'oauth_provider_id', 'oauth_uid',
    // who the user is and what it may do
    'partner_id', 'share', 'company_id', 'active', 'action_id', 'all_group_ids', 'view_group_hierarchy', 'role_ids', 'employee_id', 'employee_ids',
  ];
  const SECRET = ['password', 'new_password', 'api_key_ids', 'totp_secret', 'totp_trusted_device_ids', 'oauth_access_token'];

  it.each([...WRITE_ONLY, ...SECRET])('res.users.%s is refused in values under full, *, res.* and an exact key without it in write_fields', (field) => {
    for (const scope of [
      { preset: 'full' },
      { preset: 'full', models: { '*': {} } },
      { preset: 'full', models: { 'res.*': { write_fields: [field] } } },
      { preset: 'full', models: { 'res.users': {} } },
      { preset: 'full', models: { 'res.users': { write_fields: ['name'] } } },
    ] as Scope[]) {
      expect(checkWriteFields(accessFor(scope, 'res.users'), 'res.users', [{ name: 'x' }, { [field]: 'x' }])).toEqual({
        effect: 'deny',
        reason: { code: 'sensitive_field', model: 'res.users', field, access: 'write' },
      });
    }
    const named = { preset: 'full', models: { 'res.users': { write_fields: ['name', field], methods: [] } } } as Scope;
    expect(checkWriteFields(accessFor(named, 'res.users'), 'res.users', [{ [field]: 'x' }])).toEqual({ effect: 'allow' });
  });

  it.each(SECRET)('res.users.%s may not be read, filtered on or sorted on unless named in an exact read_fields', (field) => {
    const full = accessFor({ preset: 'full' }, 'res.users');
    const denied = { code: 'sensitive_field', model: 'res.users', field, access: 'read' };
    expect(checkReadFields(full, 'res.users', ['name', field])).toEqual({ ok: false, reason: denied });
    expect(checkDomainFields(full, 'res.users', [[field, '!=', false]])).toEqual({ effect: 'deny', reason: denied });
    const wildcard = accessFor({ preset: 'read_only', models: { 'res.*': { read_fields: ['name', field] } } }, 'res.users');
    expect(checkReadFields(wildcard, 'res.users', [field])).toEqual({ ok: false, reason: denied });
    expect(checkReadFields(wildcard, 'res.users', undefined)).toEqual({ ok: true, fields: ['name'] });
    const named = accessFor({ preset: 'read_only', models: { 'res.users': { read_fields: ['name', field] } } }, 'res.users');
    expect(checkReadFields(named, 'res.users', [field])).toEqual({ ok: true, fields: [field] });
  });

  it.each(WRITE_ONLY)('res.users.%s stays readable', (field) => {
    expect(checkReadFields(accessFor({ preset: 'full' }, 'res.users'), 'res.users', [field])).toEqual({ ok: true, fields: [field] });
  });

  it.each([
    ['sale.order', 'access_token'],
    ['res.company', 'l10n_in_edi_password'],
    ['res.users', 'google_calendar_rtoken'],
    ['res.company.ldap', 'ldap_password'],
    ['mail.guest', 'access_token'],
    ['res.company', 'l10n_rs_edi_api_key'],
  ])('%s.%s is named like a credential: secret on any model', (model, field) => {
    expect(sensitiveField(model, field)?.secret).toBe(true);
  });

  it.each(['payment_token_ids', 'payment_token_id', 'is_token_out_of_sync', 'support_tokenization', 'password_hint_x', 'name'])('%s is an ordinary field', (field) => {
    expect(sensitiveField('res.partner', field)).toBeUndefined();
  });

  it('a read without read_fields drops fields named like credentials from the records', () => {
    expect(filterRecordFields([{ id: 1, name: 'S1', access_token: 'abc' }], null)).toEqual([{ id: 1, name: 'S1' }]);
    expect(filterRecordFields([{ id: 1, name: 'S1', access_token: 'abc' }], ['name', 'access_token'])).toEqual([{ id: 1, name: 'S1', access_token: 'abc' }]);
  });

  it('describe_model hides secret fields and shows sensitive ones as readonly', () => {
    const fields = { name: { type: 'char', readonly: false }, password: { type: 'char', readonly: false }, group_ids: { type: 'many2many', readonly: false } };
    expect(describableFields(fields, accessFor({ preset: 'full' }, 'res.users'), 'res.users')).toEqual({
      name: { type: 'char', readonly: false },
      group_ids: { type: 'many2many', readonly: true },
    });
    const named = accessFor({ preset: 'full', models: { 'res.users': { write_fields: ['name', 'password', 'group_ids'], methods: [] } } }, 'res.users');
    expect(describableFields(fields, named, 'res.users')).toEqual(fields);
  });

  it('says what the field does and how to allow it', () => {
    expect(describeDenial({ code: 'sensitive_field', model: 'res.users', field: 'password', access: 'write' })).toBe(
      "res.users: field 'password' may not be written by this connection (it sets the password of an Odoo login, a way in that bypasses the gateway and its audit; name res.users exactly in the scope and the field in its write_fields to allow it)",
    );
    expect(describeDenial({ code: 'sensitive_field', model: 'sale.order', field: 'access_token', access: 'read' })).toBe(
      "sale.order: field 'access_token' may not be read by this connection (it is named like a credential (a password, secret, token or API key); name sale.order exactly in the scope and the field in its read_fields to allow it)",
    );
  });
});
