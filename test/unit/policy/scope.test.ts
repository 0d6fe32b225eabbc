import { describe, expect, it } from 'vitest';
import { PRESET_OPERATIONS, SENSITIVE_MODELS, SENSITIVE_MODEL_REASONS, parseScope, type Scope } from '../../../src/policy/scope';
import { summarizeScope } from '../../../src/policy/scope-summary';
import { exampleScopes, ISSUE_SCOPE } from './examples';

const specExample = ISSUE_SCOPE;

function withChanges(changes: Record<string, unknown>): unknown {
  return { ...specExample, ...changes };
}

describe('parseScope accepts', () => {
  it.each<[string, unknown]>([
    ['the example of the spec', specExample],
    ['a bare full preset', { preset: 'full' }],
    ['a bare read_only preset', { preset: 'read_only' }],
    ['a model entry with empty operations', { preset: 'full', models: { 'res.partner': { operations: [] } } }],
    ['end of day 24:00', { preset: 'full', time_windows: [{ days: ['sat'], start: '10:00', end: '24:00', tz: 'UTC' }] }],
    ['a bare address in ip_allow', { preset: 'full', ip_allow: ['203.0.113.7', '2001:db8::1'] }],
    ['the largest per_seconds', { preset: 'full', rate_limit: { requests: 1, per_seconds: 86400 } }],
    ['wildcards inside a pattern', { preset: 'full', models: { 'sale.*.line': {}, '*.line': {}, x_custom: {} } }],
    ['upper-case field names, which Odoo allows (check_pg_name is case-insensitive)', { preset: 'full', models: { x_custom: { read_fields: ['x_Studio_Name'], write_fields: ['x_Studio_Name'], methods: [] } } }],
    ...Object.entries(exampleScopes).map(([name, scope]): [string, unknown] => [`example ${name}`, scope]),
  ])('%s', (_label, input) => {
    const result = parseScope(input);
    expect(result).toEqual({ ok: true, scope: input });
  });
});

describe('parseScope refuses with a path and a precise message', () => {
  it.each<[string, unknown, Array<{ path: string; message: string }>]>([
    ['not an object', 'full', [{ path: '', message: 'Invalid input: expected object, received string' }]],
    ['missing preset', {}, [{ path: 'preset', message: 'preset is required (full, read_only, custom)' }]],
    ['unknown preset', { preset: 'admin' }, [{ path: 'preset', message: 'preset must be one of full, read_only, custom' }]],
    ['custom without operations', { preset: 'custom' }, [{ path: 'operations', message: "operations is required with preset 'custom'" }]],
    ['custom with no operations', { preset: 'custom', operations: [] }, [{ path: 'operations', message: 'operations must not be empty' }]],
    [
      'operations with another preset',
      { preset: 'read_only', operations: ['read'] },
      [{ path: 'operations', message: "operations is only allowed with preset 'custom' (preset 'read_only' fixes them)" }],
    ],
    ['unknown operation', withChanges({ operations: ['query', 'delet'] }), [{ path: 'operations.1', message: "unknown operation 'delet'" }]],
    ['non-string operation', withChanges({ operations: [3] }), [{ path: 'operations.0', message: 'operation must be one of query, read, create, write, delete, execute, schema, report' }]],
    ['unknown top-level key', withChanges({ foo: 1 }), [{ path: 'foo', message: "unrecognized key 'foo'" }]],
    [
      'unknown keys in a model entry',
      { preset: 'full', models: { 'crm.lead': { fields: ['name'], foo: 1 } } },
      [
        { path: 'models.crm.lead.fields', message: "unrecognized key 'fields'" },
        { path: 'models.crm.lead.foo', message: "unrecognized key 'foo'" },
      ],
    ],
    [
      'unknown operation in a model entry',
      { preset: 'full', models: { 'crm.lead': { operations: ['read', 'update'] } } },
      [{ path: 'models.crm.lead.operations.1', message: "unknown operation 'update'" }],
    ],
    [
      'bad field name',
      { preset: 'full', models: { 'crm.lead': { operations: ['create'], write_fields: ['name; drop table'] } } },
      [{ path: 'models.crm.lead.write_fields.0', message: "'name; drop table' is not a field name" }],
    ],
    [
      'bad model pattern',
      { preset: 'full', models: { 'crm lead': {} } },
      [{ path: 'models.crm lead', message: "'crm lead' is not a model name or pattern such as 'sale.order' or 'sale.*'" }],
    ],
    ['deny_models not a list', { preset: 'full', deny_models: 'hr.*' }, [{ path: 'deny_models', message: 'Invalid input: expected array, received string' }]],
    ['a model entry that is not an object', { preset: 'full', models: { 'res.partner': null } }, [{ path: 'models.res.partner', message: 'Invalid input: expected object, received null' }]],
    [
      'a mixed-case deny pattern, which could never match',
      { preset: 'full', deny_models: ['Sale.Order'] },
      [{ path: 'deny_models.0', message: "'Sale.Order' can never match: Odoo model names are lower case (use 'sale.order')" }],
    ],
    [
      'a mixed-case model entry',
      { preset: 'full', models: { 'Res.*': { operations: ['read'] } } },
      [{ path: 'models.Res.*', message: "'Res.*' can never match: Odoo model names are lower case (use 'res.*')" }],
    ],
    ['bad deny pattern', { preset: 'full', deny_models: ['hr.*', ''] }, [{ path: 'deny_models.1', message: "'' is not a model name or pattern such as 'sale.order' or 'sale.*'" }]],
    [
      'a model both denied and named',
      { preset: 'full', models: { 'account.move': {} }, deny_models: ['account.move'] },
      [{ path: 'deny_models.0', message: "'account.move' is both denied and named in models; remove one of them" }],
    ],
    [
      'invalid domain',
      { preset: 'full', models: { 'sale.order': { domain: [['state', 'equals', 'draft']] } } },
      [{ path: 'models.sale.order.domain', message: "domain[0]: unknown operator 'equals'" }],
    ],
    [
      'a private method',
      { preset: 'full', models: { 'sale.order': { methods: ['_action_confirm'] } } },
      [{ path: 'models.sale.order.methods.0', message: "'_action_confirm' is private and can never be called" }],
    ],
    [
      'an ORM method',
      { preset: 'full', models: { 'sale.order': { methods: ['action_confirm', 'unlink'] } } },
      [{ path: 'models.sale.order.methods.1', message: "'unlink' reads or writes fields or records of the caller's choosing, so it is never callable as a method: grant the 'delete' operation instead (tool delete_records)" }],
    ],
    ['invalid cidr', withChanges({ ip_allow: ['203.0.113.0/24', '300.1.1.1/8'] }), [{ path: 'ip_allow.1', message: 'not a valid CIDR' }]],
    [
      'cidr with host bits',
      withChanges({ ip_allow: ['203.0.113.7/24'] }),
      [{ path: 'ip_allow.0', message: 'not a valid CIDR: host bits are set (did you mean 203.0.113.0/24?)' }],
    ],
    ['empty ip_allow', withChanges({ ip_allow: [] }), [{ path: 'ip_allow', message: 'ip_allow must not be empty (leave it out to allow every IP)' }]],
    [
      'unknown time zone',
      withChanges({ time_windows: [{ days: ['mon'], start: '08:00', end: '18:00', tz: 'Mars/Base' }] }),
      [{ path: 'time_windows.0.tz', message: "unknown time zone 'Mars/Base'" }],
    ],
    [
      'start not HH:MM',
      withChanges({ time_windows: [{ days: ['mon'], start: '8:00', end: '18:00', tz: 'UTC' }] }),
      [{ path: 'time_windows.0.start', message: 'start must be HH:MM' }],
    ],
    [
      'start 24:00',
      withChanges({ time_windows: [{ days: ['mon'], start: '24:00', end: '18:00', tz: 'UTC' }] }),
      [{ path: 'time_windows.0.start', message: 'start must be HH:MM' }],
    ],
    [
      'end out of range',
      withChanges({ time_windows: [{ days: ['mon'], start: '08:00', end: '24:01', tz: 'UTC' }] }),
      [{ path: 'time_windows.0.end', message: 'end must be HH:MM' }],
    ],
    [
      'empty days',
      withChanges({ time_windows: [{ days: [], start: '08:00', end: '18:00', tz: 'UTC' }] }),
      [{ path: 'time_windows.0.days', message: 'days must not be empty' }],
    ],
    [
      'unknown day',
      withChanges({ time_windows: [{ days: ['monday'], start: '08:00', end: '18:00', tz: 'UTC' }] }),
      [{ path: 'time_windows.0.days.0', message: "unknown day 'monday' (use mon, tue, wed, thu, fri, sat, sun)" }],
    ],
    [
      'unknown key in a time window',
      withChanges({ time_windows: [{ days: ['mon'], start: '08:00', end: '18:00', tz: 'UTC', zone: 'UTC' }] }),
      [{ path: 'time_windows.0.zone', message: "unrecognized key 'zone'" }],
    ],
    ['empty time_windows', withChanges({ time_windows: [] }), [{ path: 'time_windows', message: 'time_windows must not be empty (leave it out to allow every hour)' }]],
    ['zero requests', withChanges({ rate_limit: { requests: 0, per_seconds: 60 } }), [{ path: 'rate_limit.requests', message: 'requests must be at least 1' }]],
    ['fractional requests', withChanges({ rate_limit: { requests: 1.5, per_seconds: 60 } }), [{ path: 'rate_limit.requests', message: 'Invalid input: expected int, received number' }]],
    [
      'per_seconds over a day',
      withChanges({ rate_limit: { requests: 1, per_seconds: 86401 } }),
      [{ path: 'rate_limit.per_seconds', message: 'per_seconds must be at most 86400 (one day)' }],
    ],
  ])('%s', (_label, input, issues) => {
    expect(parseScope(input)).toEqual({ ok: false, issues });
  });

  it('reports every issue at once', () => {
    const result = parseScope({ preset: 'custom', operations: ['delet'], ip_allow: ['x'], foo: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual(['operations.0', 'ip_allow.0', 'foo']);
  });

  it('drops a __proto__ model key instead of letting it reach the prototype', () => {
    const result = parseScope(JSON.parse('{"preset":"full","models":{"__proto__":{"operations":["read"]},"res.partner":{}}}'));
    expect(result.ok && Object.keys(result.scope.models ?? {})).toEqual(['res.partner']);
    const models = result.ok ? (result.scope.models as Record<string, unknown>) : {};
    expect(Object.hasOwn(models, '__proto__')).toBe(false);
    expect([null, Object.prototype]).toContain(Object.getPrototypeOf(models));
  });
});

describe('presets and the sensitive list', () => {
  it('full grants all eight classes and read_only the four reading ones', () => {
    expect(PRESET_OPERATIONS.full).toEqual(['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report']);
    expect(PRESET_OPERATIONS.read_only).toEqual(['query', 'read', 'schema', 'report']);
  });

  it('lists the sensitive models, each with a reason', () => {
    expect([...SENSITIVE_MODELS].sort()).toEqual(
      [
        'res.users.apikeys', 'res.users.apikeys.description', 'res.users.identitycheck', 'change.password.wizard',
        'change.password.user', 'ir.config_parameter', 'ir.rule', 'ir.model.access', 'ir.model', 'ir.model.fields',
        'ir.model.data', 'res.groups', 'ir.module.module', 'ir.cron', 'ir.actions.server', 'base.automation',
        'ir.mail_server', 'fetchmail.server', 'ir.ui.view', 'auth.oauth.provider', 'payment.provider', 'iap.account',
        // Read from Odoo 19 for issue 12: code, modules, credentials, security, templates that evaluate code.
        'res.users.apikeys.show', 'change.password.own', 'auth_totp.device', 'auth_totp.wizard', 'auth.passkey.key',
        'res.device', 'res.device.log', 'res.company.ldap', 'res.config.settings', 'res.config', 'ir.default',
        'base.module.upgrade', 'base.module.uninstall', 'base.module.update', 'base.module.install.request',
        'base.module.install.review', 'base_import.import', 'ir.actions.actions', 'ir.actions.act_window',
        'ir.actions.act_url', 'ir.actions.client', 'ir.actions.report', 'mail.template', 'sms.template',
        'mail.compose.message', 'ir.attachment', 'ir.asset', 'res.users.settings',
        // Credentials, code and schema an outside review reached under full.
        'res.users.settings.embedded.action', 'mail.ice.server', 'payment.token', 'ir.actions.server.history',
        'ir.cron.trigger', 'ir.cron.progress', 'ir.embedded.actions', 'ir.model.constraint', 'ir.model.relation',
        'ir.model.fields.selection', 'ir.model.inherit', 'ir.ui.view.custom', 'ir.ui.menu', 'ir.actions.todo',
        'ir.profile', 'ir.logging',
      ].sort(),
    );
    for (const model of SENSITIVE_MODELS) expect(SENSITIVE_MODEL_REASONS[model].length).toBeGreaterThan(10);
  });
});

describe('summarizeScope', () => {
  it.each<[string, Scope, string]>([
    ['read only', { preset: 'read_only' }, 'Read only'],
    ['full', { preset: 'full' }, 'Full access'],
    ['full on one model', { preset: 'full', models: { 'res.partner': {} } }, 'Full access on 1 model'],
    ['custom in canonical order', { preset: 'custom', operations: ['create', 'query', 'read', 'read'] }, 'Custom: query, read, create'],
    ['custom on models', { preset: 'custom', operations: ['query', 'read', 'create'], models: { '*': {}, 'crm.lead': {}, 'sale.order': {} } }, 'Custom: query, read, create on 3 models'],
    ['the website form', exampleScopes.website_form, 'Custom: create on 1 model'],
  ])('%s', (_label, scope, text) => {
    expect(summarizeScope(scope)).toBe(text);
  });
});
