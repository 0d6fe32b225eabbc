import { describe, expect, it } from 'vitest';
import { createRequestBody, defaultWizardValues, fieldForIssue, readWizardForm, scopeFromForm, splitList, type ScopeLayout } from '../../../src/console/scope-form';

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(name, item);
  return params;
}

describe('splitList', () => {
  it.each([
    ['name, email_from', ['name', 'email_from']],
    ['name\nemail_from\n\n', ['name', 'email_from']],
    ['  ', []],
  ])('%j', (text, expected) => {
    expect(splitList(text)).toEqual(expected);
  });
});

describe('scopeFromForm', () => {
  it('keeps only what the admin filled in, and operations only for Custom', () => {
    const values = readWizardForm(form({ preset: 'read_only', operations: ['create'], 'model.0.pattern': '', 'window.0.start': '', 'window.0.tz': 'UTC' }));
    expect(scopeFromForm(values.scope).scope).toEqual({ preset: 'read_only' });
  });

  it('skips blank rows and remembers which row each model and window came from', () => {
    const values = readWizardForm(
      form({
        preset: 'custom',
        operations: ['read', 'write'],
        'model.0.pattern': '',
        'model.1.pattern': 'sale.order',
        'model.1.ops': ['write'],
        'model.1.write_fields': 'note',
        'window.0.start': '',
        'window.1.days': ['sat'],
        'window.1.start': '22:00',
        'window.1.end': '02:00',
        'window.1.tz': '',
      }),
    );
    const { scope, issues, layout } = scopeFromForm(values.scope);
    expect(issues).toEqual([]);
    expect(scope).toEqual({
      preset: 'custom',
      operations: ['read', 'write'],
      models: { 'sale.order': { operations: ['write'], write_fields: ['note'] } },
      time_windows: [{ days: ['sat'], start: '22:00', end: '02:00', tz: 'UTC' }],
    });
    expect(layout).toEqual({ modelRows: [{ pattern: 'sale.order', row: 1 }], windowRows: [1] });
  });

  it('passes numbers it cannot read on as typed, for the API to name the problem', () => {
    const values = readWizardForm(form({ preset: 'full', rate_requests: 'ten', rate_per_seconds: '60' }));
    expect(scopeFromForm(values.scope).scope).toEqual({ preset: 'full', rate_limit: { requests: 'ten', per_seconds: 60 } });
  });

  it('reports a domain that is not JSON and a rule without a model', () => {
    const values = readWizardForm(form({ preset: 'full', 'model.0.pattern': 'crm.lead', 'model.0.domain': '[[', 'model.1.pattern': '', 'model.1.read_fields': 'name' }));
    expect(scopeFromForm(values.scope).issues).toEqual([
      { path: 'scope.models.crm.lead.domain', message: expect.stringContaining('not valid JSON') },
      { path: 'model.1.pattern', message: expect.stringContaining('model name') },
    ]);
  });
});

describe('createRequestBody', () => {
  it('reads validity inputs as UTC and leaves out what was not chosen', () => {
    const values = { ...defaultWizardValues(), name: 'Import', notBefore: '2026-03-01T08:30', expiryMode: 'days' as const, validForDays: '1', expiresAt: '2026-04-01T00:00' };
    expect(createRequestBody(values).body).toEqual({ name: 'Import', scope: { preset: 'read_only' }, not_before: '2026-03-01T08:30:00Z', valid_for_days: 1 });
  });

  it('takes raw JSON in JSON mode and reports JSON that does not parse', () => {
    const values = { ...defaultWizardValues(), name: 'Raw', scopeMode: 'json' as const, scopeJson: '{"preset":"full"}' };
    expect(createRequestBody(values).body.scope).toEqual({ preset: 'full' });
    expect(createRequestBody({ ...values, scopeJson: '{' }).issues).toEqual([{ path: 'scope', message: expect.stringMatching(/^is not valid JSON/) }]);
  });
});

describe('fieldForIssue', () => {
  const layout: ScopeLayout = {
    modelRows: [
      { pattern: 'sale.order', row: 0 },
      { pattern: 'sale.order.line', row: 2 },
    ],
    windowRows: [1, 3],
  };

  it.each([
    ['name', 'name'],
    ['valid_for_days', 'valid_for_days'],
    ['scope', 'scope'],
    ['scope.preset', 'preset'],
    ['scope.operations.2', 'operations'],
    ['scope.models.sale.order.read_fields.1', 'model.0.read_fields'],
    ['scope.models.sale.order.line.operations.0', 'model.2.ops'],
    ['scope.models.sale.order.line', 'model.2.pattern'],
    ['scope.models.stock.move', 'models'],
    ['scope.time_windows.1.tz', 'window.3.tz'],
    ['scope.time_windows.0.days', 'window.1.days'],
    ['scope.ip_allow.0', 'ip_allow'],
    ['scope.rate_limit.requests', 'rate_limit'],
    ['model.4.pattern', 'model.4.pattern'],
  ])('puts %s next to %s', (path, field) => {
    expect(fieldForIssue(path, 'form', layout)).toBe(field);
  });

  it('puts every scope issue next to the JSON editor in JSON mode', () => {
    expect(fieldForIssue('scope.models.sale.order.read_fields.1', 'json', layout)).toBe('scope_json');
    expect(fieldForIssue('name', 'json', layout)).toBe('name');
  });
});
