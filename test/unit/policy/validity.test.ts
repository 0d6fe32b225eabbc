import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/policy/decision';
import { checkValidity } from '../../../src/policy/validity';

const notBefore = '2026-03-02T08:00:00.000Z';
const expiresAt = '2026-03-03T08:00:00.000Z';
const allow: Decision = { effect: 'allow' };

describe('checkValidity', () => {
  it.each<[string, string | null, string | null, string, Decision]>([
    ['no bounds', null, null, '2030-01-01T00:00:00Z', allow],
    ['one ms before not_before', notBefore, expiresAt, '2026-03-02T07:59:59.999Z', { effect: 'deny', reason: { code: 'not_yet_valid', notBefore } }],
    ['exactly at not_before', notBefore, expiresAt, notBefore, allow],
    ['inside', notBefore, expiresAt, '2026-03-02T20:00:00Z', allow],
    ['one ms before expires_at', notBefore, expiresAt, '2026-03-03T07:59:59.999Z', allow],
    ['exactly at expires_at', notBefore, expiresAt, expiresAt, { effect: 'deny', reason: { code: 'expired', expiresAt } }],
    ['after expires_at', notBefore, expiresAt, '2026-04-01T00:00:00Z', { effect: 'deny', reason: { code: 'expired', expiresAt } }],
    ['only not_before, later', notBefore, null, '2099-01-01T00:00:00Z', allow],
    ['only expires_at, earlier', null, expiresAt, '2000-01-01T00:00:00Z', allow],
    ['offset notation is compared as an instant', '2026-03-02T09:00:00+01:00', null, notBefore, allow],
    ['unparsable not_before refuses', 'soon', null, notBefore, { effect: 'deny', reason: { code: 'not_yet_valid', notBefore: 'soon' } }],
    ['unparsable expires_at refuses', null, 'never', notBefore, { effect: 'deny', reason: { code: 'expired', expiresAt: 'never' } }],
  ])('%s', (_label, start, end, now, expected) => {
    expect(checkValidity({ notBefore: start, expiresAt: end }, new Date(now))).toEqual(expected);
  });
});
