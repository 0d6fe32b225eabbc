import { describe, expect, it } from 'vitest';
import { checkRequestContext, type RequestContext } from '../../../src/policy/request';
import type { Scope } from '../../../src/policy/scope';

const guarded: Scope = {
  preset: 'read_only',
  ip_allow: ['203.0.113.0/24'],
  time_windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' }],
};
const mondayNoon = new Date('2026-03-09T11:00:00Z');
const good: RequestContext = { ip: '203.0.113.7', now: mondayNoon, notBefore: null, expiresAt: null };

describe('checkRequestContext checks validity, then IP, then time window', () => {
  it.each<[string, Scope, Partial<RequestContext>, string | null]>([
    ['all good', guarded, {}, null],
    ['no restrictions at all', { preset: 'full' }, { ip: null, now: new Date('2026-03-08T03:00:00Z') }, null],
    ['wrong ip', guarded, { ip: '198.51.100.1' }, 'ip_not_allowed'],
    ['missing ip', guarded, { ip: null }, 'ip_not_allowed'],
    ['outside hours', guarded, { now: new Date('2026-03-09T19:00:00Z') }, 'outside_time_window'],
    ['expired beats a wrong ip and hour', guarded, { ip: '198.51.100.1', now: new Date('2026-03-09T19:00:00Z'), expiresAt: '2026-03-01T00:00:00Z' }, 'expired'],
    ['not yet valid beats a wrong ip', guarded, { ip: '198.51.100.1', notBefore: '2026-04-01T00:00:00Z' }, 'not_yet_valid'],
    ['wrong ip beats outside hours', guarded, { ip: '198.51.100.1', now: new Date('2026-03-09T19:00:00Z') }, 'ip_not_allowed'],
  ])('%s', (_label, scope, overrides, code) => {
    const decision = checkRequestContext(scope, { ...good, ...overrides });
    expect(decision.effect === 'deny' ? decision.reason.code : null).toBe(code);
  });

  it('names the refused ip and the windows in the reason', () => {
    expect(checkRequestContext(guarded, { ...good, ip: '198.51.100.1' })).toEqual({
      effect: 'deny',
      reason: { code: 'ip_not_allowed', ip: '198.51.100.1' },
    });
    expect(checkRequestContext(guarded, { ...good, now: new Date('2026-03-09T19:00:00Z') })).toEqual({
      effect: 'deny',
      reason: { code: 'outside_time_window', windows: guarded.time_windows },
    });
  });
});
