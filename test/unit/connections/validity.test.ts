import { describe, expect, it } from 'vitest';
import { DAY_MS, resolveValidity, type Validity, type ValidityInput } from '../../../src/connections/validity';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const none: Validity = { notBefore: null, expiresAt: null };
const iso = (ms: number) => new Date(ms).toISOString();

describe('resolveValidity', () => {
  it.each<[string, ValidityInput, Validity, Validity]>([
    ['nothing given keeps nothing', {}, none, none],
    ['nothing given keeps the current validity, even a past one', {}, { notBefore: null, expiresAt: NOW - 1 }, { notBefore: null, expiresAt: NOW - 1 }],
    ['valid_for_days counts from now', { valid_for_days: 1 }, none, { notBefore: null, expiresAt: NOW + DAY_MS }],
    ['valid_for_days may be a fraction of a day', { valid_for_days: 0.5 }, none, { notBefore: null, expiresAt: NOW + DAY_MS / 2 }],
    [
      'valid_for_days counts from a future not_before',
      { not_before: iso(NOW + DAY_MS), valid_for_days: 2 },
      none,
      { notBefore: NOW + DAY_MS, expiresAt: NOW + 3 * DAY_MS },
    ],
    [
      'valid_for_days counts from now when not_before has passed',
      { valid_for_days: 1 },
      { notBefore: NOW - DAY_MS, expiresAt: null },
      { notBefore: NOW - DAY_MS, expiresAt: NOW + DAY_MS },
    ],
    ['expires_at with an offset', { expires_at: '2026-03-11T14:00:00+02:00' }, none, { notBefore: null, expiresAt: Date.parse('2026-03-11T12:00:00Z') }],
    ['null removes the expiry', { expires_at: null }, { notBefore: null, expiresAt: NOW + DAY_MS }, none],
    ['null removes not_before', { not_before: null }, { notBefore: NOW + DAY_MS, expiresAt: NOW + 2 * DAY_MS }, { notBefore: null, expiresAt: NOW + 2 * DAY_MS }],
  ])('%s', (_label, input, current, expected) => {
    expect(resolveValidity(input, current, NOW)).toEqual({ ok: true, validity: expected });
  });

  it.each<[string, ValidityInput, Validity, string]>([
    ['an expiry in the past', { expires_at: iso(NOW - 1) }, none, 'expires_at'],
    ['an expiry of right now', { expires_at: iso(NOW) }, none, 'expires_at'],
    ['an expiry before not_before', { not_before: iso(NOW + 2 * DAY_MS), expires_at: iso(NOW + DAY_MS) }, none, 'expires_at'],
    ['a not_before moved past the current expiry', { not_before: iso(NOW + 2 * DAY_MS) }, { notBefore: null, expiresAt: NOW + DAY_MS }, 'not_before'],
  ])('refuses %s and names the field', (_label, input, current, path) => {
    const result = resolveValidity(input, current, NOW);
    expect(result).toEqual({ ok: false, issue: { path, message: 'the validity must end after now and after not_before' } });
  });
});
