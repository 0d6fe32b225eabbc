import { describe, expect, it } from 'vitest';
import { resolveConnectionChoice } from '../../../src/console/audit-connection';
import { issueInWords, valueAt } from '../../../src/console/issue-words';
import { precheckCreateBody } from '../../../src/console/precheck';
import { defaultWizardValues, type WizardValues } from '../../../src/console/scope-form';

const NOW = Date.parse('2026-05-01T12:00:00Z');

const scope = {
  preset: 'custom',
  operations: ['read'],
  models: { 'sale.order': { read_fields: ['name', 'bad-field'] }, sale: { read_fields: ['x'] } },
  ip_allow: ['10.0.0.0/8', '192.168.1.300/24'],
  time_windows: [{ days: ['mon'], start: '25:00', end: '03:00', tz: 'Mars/Olympus' }],
  rate_limit: { requests: 'ten', per_seconds: 0 },
};

const values = (overrides: Partial<WizardValues> = {}): WizardValues => ({ ...defaultWizardValues(), ...overrides });

describe('issueInWords', () => {
  it.each([
    [{ path: 'valid_for_days', message: 'Too small: expected number to be >0' }, { validForDays: '-1' }, 'Number of days must be more than 0, got -1'],
    [{ path: 'valid_for_days', message: 'Too big: expected number to be <=3650' }, { validForDays: '9999' }, 'Number of days must be at most 3650, got 9999'],
    [{ path: 'valid_for_days', message: 'Invalid input: expected number, received NaN' }, { validForDays: 'e' }, 'Number of days must be a number, got e'],
    [{ path: 'name', message: 'must not be empty' }, { name: '  ' }, 'Name must not be empty.'],
    [{ path: 'name', message: 'Too big: expected string to have <=100 characters' }, { name: 'x'.repeat(120) }, 'Name must be at most 100 characters, got 120'],
    [{ path: 'not_before', message: 'Invalid ISO datetime' }, { notBefore: 'soon' }, 'Valid from is not a date and time, got soon'],
    [{ path: 'valid_for_days', message: 'give the number of days, or choose another validity' }, {}, 'Number of days: give the number of days, or choose another validity'],
    [{ path: 'model.1.pattern', message: 'give the model name or pattern this row is about, or clear the row' }, {}, 'Give the model name or pattern this row is about, or clear the row'],
  ])('body issue %j in words', (issue, overrides, words) => {
    expect(issueInWords(issue, { values: values(overrides), scope })).toBe(words);
  });

  it.each([
    ['scope.ip_allow.1', 'not a valid CIDR', '192.168.1.300/24 is not an IP range'],
    ['scope.ip_allow.0', 'not a valid CIDR: host bits are set (did you mean 10.0.0.0/8?)', '10.0.0.0/8 is not an IP range: host bits are set (did you mean 10.0.0.0/8?)'],
    ['scope.time_windows.0.start', 'start must be HH:MM', 'From must be a time such as 09:00, got 25:00'],
    ['scope.time_windows.0.tz', "unknown time zone 'Mars/Olympus'", 'Mars/Olympus is not a time zone; use an IANA name such as Europe/Brussels'],
    ['scope.rate_limit.requests', 'Invalid input: expected int, received string', 'The number of requests must be a whole number, got ten'],
    ['scope.rate_limit.per_seconds', 'per_seconds must be at least 1', 'The number of seconds must be at least 1, got 0'],
    ['scope.operations', 'operations must not be empty', 'Tick at least one operation for a Custom scope.'],
    ['scope.models.sale.order.read_fields.1', "'bad-field' is not a field name", "'bad-field' is not a field name"],
    ['scope.preset', 'preset must be one of full, read_only, custom', 'Preset must be one of full, read_only, custom'],
    ['scope', 'is not valid JSON: Unexpected end of JSON input', 'The scope JSON is not valid JSON: Unexpected end of JSON input'],
  ])('scope issue at %s in words', (path, message, words) => {
    expect(issueInWords({ path, message }, { values: values(), scope })).toBe(words);
  });

  it('keeps the path in JSON mode, the one way to find the place in the JSON', () => {
    expect(issueInWords({ path: 'scope.ip_allow.1', message: 'not a valid CIDR' }, { values: values({ scopeMode: 'json' }), scope })).toBe(
      '192.168.1.300/24 is not an IP range (at scope.ip_allow.1)',
    );
  });
});

describe('valueAt', () => {
  it.each([
    ['ip_allow.1', '192.168.1.300/24'],
    ['models.sale.order.read_fields.1', 'bad-field'],
    ['models.sale.read_fields.0', 'x'],
    ['time_windows.0.tz', 'Mars/Olympus'],
    ['models.purchase.order', undefined],
    ['ip_allow.7', undefined],
  ])('%s', (path, value) => {
    expect(valueAt(scope, path)).toBe(value);
  });
});

describe('precheckCreateBody', () => {
  it('finds the body’s and the scope’s problems in one pass, in the API’s path/message shape', () => {
    const issues = precheckCreateBody({ name: '', scope: { preset: 'read_only', ip_allow: ['192.168.1.300/24'] }, valid_for_days: -1 }, [], NOW);
    expect(issues).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'valid_for_days', message: 'Too small: expected number to be >0' },
      { path: 'scope.ip_allow.0', message: 'not a valid CIDR' },
    ]);
  });

  it('checks the validity against now once the body is valid', () => {
    expect(precheckCreateBody({ name: 'x', scope: { preset: 'full' }, expires_at: '2026-04-01T00:00:00Z' }, [], NOW)).toEqual([
      { path: 'expires_at', message: 'the validity must end after now and after not_before' },
    ]);
    expect(precheckCreateBody({ name: 'x', scope: { preset: 'full' }, expires_at: '2026-06-01T00:00:00Z' }, [], NOW)).toEqual([]);
  });

  it('does not judge a scope the console could not read, nor repeat a path it already named', () => {
    expect(precheckCreateBody({ name: 'x', scope: undefined }, [{ path: 'scope', message: 'is not valid JSON' }], NOW)).toEqual([]);
    expect(precheckCreateBody({ name: '', scope: { preset: 'full' } }, [{ path: 'name', message: 'already said' }], NOW)).toEqual([]);
  });
});

describe('resolveConnectionChoice', () => {
  const row = (id: string, name: string) => ({ id, name, key_public_id: null, status: 'connected' });

  it.each([
    ['exact name, case and spaces aside', ' invoicing BOT ', [row('con_a', 'Invoicing bot'), row('con_b', 'Invoicing bot 2')], { kind: 'found', id: 'con_a', name: 'Invoicing bot' }],
    ['the one name that contains it', 'invo', [row('con_a', 'Invoicing bot')], { kind: 'found', id: 'con_a', name: 'Invoicing bot', partial: 'invo' }],
    ['several names that contain it', 'bot', [row('con_a', 'A bot'), row('con_b', 'B bot')], { kind: 'ambiguous', typed: 'bot', exact: false, candidates: [row('con_a', 'A bot'), row('con_b', 'B bot')] }],
    ['one name, two connections', 'Twin', [row('con_a', 'Twin'), row('con_b', 'Twin')], { kind: 'ambiguous', typed: 'Twin', exact: true, candidates: [row('con_a', 'Twin'), row('con_b', 'Twin')] }],
    ['nothing', 'nobody', [], { kind: 'not_found', typed: 'nobody' }],
  ])('%s', (_, typed, matches, choice) => {
    expect(resolveConnectionChoice(typed, matches)).toEqual(choice);
  });
});
