import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/policy/decision';
import {
  authorizeMethod,
  authorizeOperation,
  matchesModelPattern,
  reachableOperations,
  resolveModelAccess,
  topLevelOperations,
} from '../../../src/policy/models';
import type { Operation } from '../../../src/policy/operations';
import { SENSITIVE_MODELS, type Scope } from '../../../src/policy/scope';

const allow: Decision = { effect: 'allow' };
const patterned: Scope = {
  preset: 'full',
  models: {
    '*': { operations: ['query'] },
    'sale.*': { operations: ['query', 'read'] },
    'sale.order.*': { operations: ['query', 'read', 'write'] },
    'sale.order': { operations: ['read', 'create'] },
    '*.line': { operations: ['delete'] },
    'res.partner': {},
  },
  deny_models: ['hr.*', 'account.move'],
};

describe('matchesModelPattern', () => {
  it.each<[string, string, boolean]>([
    ['sale.order', 'sale.order', true],
    ['sale.order', 'sale.order.line', false],
    ['sale.*', 'sale.order', true],
    ['sale.*', 'sale.order.line', true],
    ['sale.*', 'sale', false],
    ['sale.*', 'sales.order', false],
    ['sale*', 'sale', true],
    ['sale*', 'sale_stock.route', true],
    ['*.line', 'sale.order.line', true],
    ['*.line', 'sale.order.lines', false],
    ['*', 'anything.at.all', true],
    ['s*.o*r', 'sale.order', true],
    ['s*.o*x', 'sale.order', false],
    ['s*.x*r', 'sale.order', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*order*', 'sale.order.line', true],
    ['hr.*', 'hr.employee', true],
    ['hr.*', 'hrx.employee', false],
  ])('%s vs %s', (pattern, model, expected) => {
    expect(matchesModelPattern(pattern, model)).toBe(expected);
  });
});

describe('pattern precedence: exact, then the most specific wildcard, then *', () => {
  it.each<[string, string | null, Operation[]]>([
    ['sale.order', 'sale.order', ['read', 'create']],
    ['sale.order.line', 'sale.order.*', ['query', 'read', 'write']],
    ['sale.report', 'sale.*', ['query', 'read']],
    ['purchase.order.line', '*.line', ['delete']],
    ['res.partner', 'res.partner', ['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report']],
    ['crm.lead', '*', ['query']],
  ])('%s resolves to %s', (model, pattern, operations) => {
    const access = resolveModelAccess(patterned, model);
    expect(access.allowed && access.pattern).toBe(pattern);
    expect(access.allowed && [...access.operations]).toEqual(operations);
  });

  it('breaks ties between equally specific wildcards the same way whatever the key order', () => {
    const first: Scope = { preset: 'full', models: { 'sale.*': { operations: ['read'] }, '*.line': { operations: ['delete'] } } };
    const second: Scope = { preset: 'full', models: { '*.line': { operations: ['delete'] }, 'sale.*': { operations: ['read'] } } };
    const a = resolveModelAccess(first, 'sale.line');
    const b = resolveModelAccess(second, 'sale.line');
    expect(a.allowed && a.pattern).toBe('*.line');
    expect(b.allowed && b.pattern).toBe('*.line');
  });

  it('prefers fewer stars when literal lengths are equal', () => {
    const scope: Scope = { preset: 'full', models: { 'sale.*': {}, 'sa*le.*': {}, 'sale*.*': {} } };
    const access = resolveModelAccess(scope, 'sale.order');
    expect(access.allowed && access.pattern).toBe('sale.*');
  });

  it.each<[string, Scope, string]>([
    ['with models, an unmatched model is denied', { preset: 'full', models: { 'res.partner': {} } }, 'crm.lead'],
    ['only wildcards that do not match', { preset: 'full', models: { 'sale.*': {} } }, 'crm.lead'],
    ['an empty models object allows nothing', { preset: 'full', models: {} }, 'res.partner'],
  ])('%s', (_label, scope, model) => {
    expect(resolveModelAccess(scope, model)).toEqual({ allowed: false, reason: { code: 'model_not_allowed', model } });
  });

  it('without models every model gets the top-level operations and no limits', () => {
    expect(resolveModelAccess({ preset: 'read_only' }, 'crm.lead')).toEqual({
      allowed: true,
      operations: new Set(['query', 'read', 'schema', 'report']),
      readFields: null,
      writeFields: null,
      domain: null,
      methods: null,
      pattern: null,
    });
  });

  it.each(['', 'sale.*', '*', 'sale order', '.sale', 'sale.', 'sale..order', '__proto__', 'constructor.x;'])(
    'refuses the malformed model name %j',
    (model) => {
      expect(resolveModelAccess({ preset: 'full' }, model)).toEqual({ allowed: false, reason: { code: 'model_not_allowed', model } });
    },
  );

  it('does not mistake Object.prototype members for model entries', () => {
    const scope: Scope = { preset: 'full', models: { 'res.partner': {} } };
    expect(resolveModelAccess(scope, 'constructor').allowed).toBe(false);
    expect(resolveModelAccess(scope, 'toString').allowed).toBe(false);
  });
});

describe('deny_models and sensitive models win unless named exactly', () => {
  it.each<[string, Scope, string, Decision['effect'] | 'model_denied' | 'sensitive_model']>([
    ['deny pattern beats *', patterned, 'hr.employee', 'model_denied'],
    ['deny exact beats *', patterned, 'account.move', 'model_denied'],
    ['deny beats a more specific wildcard', { preset: 'full', models: { 'hr.employee*': {} }, deny_models: ['hr.*'] }, 'hr.employee', 'model_denied'],
    ['deny applies without models', { preset: 'full', deny_models: ['hr.*'] }, 'hr.leave', 'model_denied'],
    ['exact key beats a deny pattern', { preset: 'full', models: { 'hr.employee': {} }, deny_models: ['hr.*'] }, 'hr.employee', 'allow'],
    ['sensitive beats the full preset', { preset: 'full' }, 'ir.config_parameter', 'sensitive_model'],
    ['sensitive beats *', { preset: 'full', models: { '*': {} } }, 'res.users.apikeys', 'sensitive_model'],
    ['sensitive beats a matching wildcard', { preset: 'full', models: { 'ir.*': {} } }, 'ir.rule', 'sensitive_model'],
    ['a wildcard still reaches non-sensitive siblings', { preset: 'full', models: { 'ir.*': {} } }, 'ir.sequence', 'allow'],
    ['exact key reaches a sensitive model', { preset: 'read_only', models: { 'ir.config_parameter': {} } }, 'ir.config_parameter', 'allow'],
  ])('%s', (_label, scope, model, expected) => {
    const decision = authorizeOperation(scope, model, 'read');
    expect(decision.effect === 'deny' ? decision.reason.code : decision.effect).toBe(expected);
  });

  it('answers an allowed operation with what the scope grants on the model, for the tools to check fields and records with', () => {
    const scope = { preset: 'custom' as const, operations: ['query' as const, 'write' as const], models: { 'res.partner': { read_fields: ['name'], write_fields: ['name'], domain: [['is_company', '=', true]] } } };
    expect(authorizeOperation(scope, 'res.partner', 'write')).toEqual({
      effect: 'allow',
      access: {
        allowed: true,
        operations: new Set(['query', 'write']),
        readFields: ['name'],
        writeFields: ['name'],
        domain: [['is_company', '=', true]],
        methods: null,
        pattern: 'res.partner',
      },
    });
  });

  it('names the pattern that denied the model', () => {
    expect(authorizeOperation(patterned, 'hr.employee', 'read')).toEqual({
      effect: 'deny',
      reason: { code: 'model_denied', model: 'hr.employee', pattern: 'hr.*' },
    });
  });

  it.each(SENSITIVE_MODELS)('%s is out of reach of the full preset', (model) => {
    expect(authorizeOperation({ preset: 'full' }, model, 'query')).toEqual({ effect: 'deny', reason: { code: 'sensitive_model', model } });
  });
});

describe('operations narrowing', () => {
  it.each<[string, Scope, Operation[]]>([
    ['full', { preset: 'full' }, ['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report']],
    ['read_only', { preset: 'read_only' }, ['query', 'read', 'schema', 'report']],
    ['custom', { preset: 'custom', operations: ['read', 'query'] }, ['read', 'query']],
  ])('topLevelOperations of %s', (_label, scope, operations) => {
    expect(topLevelOperations(scope)).toEqual(new Set(operations));
  });

  it.each<[string, Scope, Operation, Decision['effect']]>([
    ['an entry cannot add to read_only', { preset: 'read_only', models: { 'crm.lead': { operations: ['read', 'create'] } } }, 'create', 'deny'],
    ['an entry keeps what both grant', { preset: 'read_only', models: { 'crm.lead': { operations: ['read', 'create'] } } }, 'read', 'allow'],
    ['an entry narrows full', { preset: 'full', models: { 'crm.lead': { operations: ['read'] } } }, 'write', 'deny'],
    ['an entry without operations inherits', { preset: 'custom', operations: ['query', 'write'], models: { 'crm.lead': {} } }, 'write', 'allow'],
    ['an inheriting entry cannot exceed custom', { preset: 'custom', operations: ['query', 'write'], models: { 'crm.lead': {} } }, 'delete', 'deny'],
    ['an entry with no operations allows none', { preset: 'full', models: { 'crm.lead': { operations: [] } } }, 'read', 'deny'],
  ])('%s', (_label, scope, operation, effect) => {
    expect(authorizeOperation(scope, 'crm.lead', operation).effect).toBe(effect);
  });

  it('says which operation on which model was refused', () => {
    expect(authorizeOperation({ preset: 'read_only' }, 'crm.lead', 'delete')).toEqual({
      effect: 'deny',
      reason: { code: 'operation_not_allowed', operation: 'delete', model: 'crm.lead' },
    });
  });

  it.each<[string, Scope, Operation[]]>([
    ['no models: the top level', { preset: 'read_only' }, ['query', 'read', 'schema', 'report']],
    [
      'the union over entries',
      { preset: 'full', models: { 'crm.lead': { operations: ['create'] }, 'res.partner': { operations: ['read', 'execute'] } } },
      ['read', 'create', 'execute'],
    ],
    ['entries cut by the top level', { preset: 'read_only', models: { 'crm.lead': { operations: ['create', 'read'] } } }, ['read']],
    ['empty models reach nothing', { preset: 'full', models: {} }, []],
  ])('reachableOperations: %s', (_label, scope, operations) => {
    expect([...reachableOperations(scope)]).toEqual(operations);
  });
});

describe('authorizeMethod checks private, then execute, then the methods list', () => {
  const scope: Scope = {
    preset: 'custom',
    operations: ['read', 'execute'],
    models: {
      'sale.order': { methods: ['action_confirm'] },
      'res.partner': {},
      'crm.lead': { operations: ['read'] },
    },
  };
  it.each<[string, string, string, Decision]>([
    ['listed method', 'sale.order', 'action_confirm', allow],
    ['any public method without a list', 'res.partner', 'message_post', allow],
    ['unlisted method', 'sale.order', 'action_cancel', { effect: 'deny', reason: { code: 'method_not_allowed', model: 'sale.order', method: 'action_cancel', allowed: ['action_confirm'] } }],
    ['private method on an allowed model', 'res.partner', '_compute_display_name', { effect: 'deny', reason: { code: 'private_method', model: 'res.partner', method: '_compute_display_name' } }],
    ['private method before the model check', 'hr.employee', '_secret', { effect: 'deny', reason: { code: 'private_method', model: 'hr.employee', method: '_secret' } }],
    ['private even when listed nowhere', 'sale.order', '__init__', { effect: 'deny', reason: { code: 'private_method', model: 'sale.order', method: '__init__' } }],
    ['execute not granted on the model', 'crm.lead', 'action_set_won', { effect: 'deny', reason: { code: 'operation_not_allowed', operation: 'execute', model: 'crm.lead' } }],
    ['unknown model', 'hr.employee', 'action_x', { effect: 'deny', reason: { code: 'model_not_allowed', model: 'hr.employee' } }],
    ['ORM write through call_method', 'res.partner', 'write', { effect: 'deny', reason: { code: 'method_reserved', model: 'res.partner', method: 'write', operation: 'write', tool: 'update_records' } }],
    ['ORM read through call_method', 'res.partner', 'search_read', { effect: 'deny', reason: { code: 'method_reserved', model: 'res.partner', method: 'search_read', operation: 'read', tool: 'search_records' } }],
    ['ORM unlink even if it were listed', 'sale.order', 'unlink', { effect: 'deny', reason: { code: 'method_reserved', model: 'sale.order', method: 'unlink', operation: 'delete', tool: 'delete_records' } }],
    ['a name that is not a method', 'res.partner', 'message_post()', { effect: 'deny', reason: { code: 'method_not_allowed', model: 'res.partner', method: 'message_post()', allowed: [] } }],
  ])('%s', (_label, model, method, expected) => {
    expect(authorizeMethod(scope, model, method)).toEqual(expected);
  });

  it('refuses execute on read_only even without a methods list', () => {
    expect(authorizeMethod({ preset: 'read_only' }, 'res.partner', 'message_post')).toEqual({
      effect: 'deny',
      reason: { code: 'operation_not_allowed', operation: 'execute', model: 'res.partner' },
    });
  });
});

describe('deletes that end more than the record', () => {
  it.each([
    ['full', { preset: 'full' as const }, 'res.users', 'sensitive_delete'],
    ['full', { preset: 'full' as const }, 'res.company', 'sensitive_delete'],
    ["'*'", { preset: 'full' as const, models: { '*': {} } }, 'res.users', 'sensitive_delete'],
    ["'res.*'", { preset: 'full' as const, models: { 'res.*': {} } }, 'res.company', 'sensitive_delete'],
    ['the exact entry', { preset: 'full' as const, models: { 'res.users': {} } }, 'res.users', 'allow'],
    ['full, an ordinary model', { preset: 'full' as const }, 'res.partner', 'allow'],
  ])('delete under %s on %s: %s', (_label, scope, model, expected) => {
    const decision = authorizeOperation(scope, model, 'delete');
    expect(decision.effect === 'deny' ? decision.reason.code : decision.effect).toBe(expected);
  });

  it('leaves reading and writing users to the usual rules', () => {
    expect(authorizeOperation({ preset: 'full' }, 'res.users', 'read').effect).toBe('allow');
    expect(authorizeOperation({ preset: 'full' }, 'res.users', 'write').effect).toBe('allow');
  });
});
