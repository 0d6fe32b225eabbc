import { describe, expect, it } from 'vitest';
import { parseScope, type Scope } from '../../../src/policy/scope';
import { scopeFromForm } from '../../../src/console/scope-form';
import { formFromScope, sameScope, scopeJsonToForm } from '../../../src/console/scope-prefill';

function scope(input: unknown): Scope {
  const parsed = parseScope(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.scope;
}

describe('formFromScope', () => {
  it.each([
    ['a preset', { preset: 'read_only' }],
    ['custom operations', { preset: 'custom', operations: ['query', 'read', 'write'] }],
    [
      'every part the form has',
      {
        preset: 'custom',
        operations: ['read', 'write', 'execute'],
        models: { 'sale.*': { operations: ['read'], read_fields: ['name', 'state'], domain: [['state', '=', 'sale']], methods: ['action_confirm'] }, 'crm.lead': {} },
        deny_models: ['sale.report'],
        ip_allow: ['10.0.0.0/8', '2001:db8::/32'],
        time_windows: [{ days: ['mon', 'fri'], start: '02:00', end: '03:00', tz: 'UTC' }],
        rate_limit: { requests: 60, per_seconds: 60 },
      },
    ],
  ])('%s comes back from the form as it was', (_name, input) => {
    const { values, exact } = formFromScope(scope(input));
    expect(exact).toBe(true);
    expect(sameScope(scopeFromForm(values).scope, input)).toBe(true);
  });

  it.each([
    ['read_fields: [] (ids only)', { preset: 'read_only', models: { 'res.partner': { read_fields: [] } } }],
    ['methods: [] (none)', { preset: 'full', models: { 'res.partner': { write_fields: ['name'], methods: [] } } }],
    ['operations: [] on a model (nothing)', { preset: 'read_only', models: { 'res.partner': { operations: [] } } }],
  ])('is not exact for %s, which the form would widen', (_name, input) => {
    expect(formFromScope(scope(input)).exact).toBe(false);
  });
});

describe('sameScope', () => {
  it('ignores key order and the order of operations and days', () => {
    expect(sameScope({ operations: ['read', 'query'], preset: 'custom' }, { preset: 'custom', operations: ['query', 'read'] })).toBe(true);
    expect(
      sameScope(
        { preset: 'read_only', time_windows: [{ days: ['fri', 'mon'], start: '09:00', end: '17:00', tz: 'UTC' }] },
        { preset: 'read_only', time_windows: [{ tz: 'UTC', days: ['mon', 'fri'], start: '09:00', end: '17:00' }] },
      ),
    ).toBe(true);
  });

  it('tells different scopes apart, and an invalid scope from a valid one', () => {
    expect(sameScope({ preset: 'read_only' }, { preset: 'full' })).toBe(false);
    expect(sameScope({ preset: 'read_only', ip_allow: ['10.0.0.0/8'] }, { preset: 'read_only' })).toBe(false);
    expect(sameScope({ preset: 'everything' }, { preset: 'read_only' })).toBe(false);
  });
});

describe('scopeJsonToForm', () => {
  it('takes JSON the form can say, and says why it keeps what it cannot', () => {
    expect(scopeJsonToForm('{"preset": "custom", "operations": ["read"]}')).toMatchObject({ ok: true, values: { preset: 'custom', operations: ['read'] } });
    expect(scopeJsonToForm('{"preset":')).toMatchObject({ ok: false, message: expect.stringContaining('is not valid JSON') });
    expect(scopeJsonToForm('{"preset": "everything"}')).toMatchObject({ ok: false, message: expect.stringContaining('not a valid scope') });
    expect(scopeJsonToForm('{"preset": "read_only", "models": {"res.partner": {"read_fields": []}}}')).toMatchObject({ ok: false, message: expect.stringContaining('cannot show exactly') });
  });
});
