import { describe, expect, it } from 'vitest';
import { connectionStatus, type StatusInput } from '../../../src/connections/status';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const WINDOW = 900;
const MINUTE = 60_000;

const active: StatusInput = { state: 'active', expiresAt: null, hasKey: true, keyCreatedAt: NOW - 60 * MINUTE, lastUsedAt: null };

describe('connectionStatus', () => {
  it.each<[string, Partial<StatusInput>, string, number | null]>([
    ['a fresh key never used', {}, 'awaiting_connection', null],
    ['used just now', { lastUsedAt: NOW }, 'connected', 0],
    ['used 14 minutes ago', { lastUsedAt: NOW - 14 * MINUTE }, 'connected', 840],
    ['used exactly at the edge of the window', { lastUsedAt: NOW - WINDOW * 1000 }, 'connected', 900],
    ['used one millisecond past the window', { lastUsedAt: NOW - WINDOW * 1000 - 1 }, 'idle', 900],
    ['used two hours ago', { lastUsedAt: NOW - 120 * MINUTE, keyCreatedAt: NOW - 180 * MINUTE }, 'idle', 7200],
    ['last used with the previous key (just rotated)', { lastUsedAt: NOW - 2 * MINUTE, keyCreatedAt: NOW - MINUTE }, 'awaiting_connection', null],
    ['used in the same millisecond the key was made', { lastUsedAt: NOW - MINUTE, keyCreatedAt: NOW - MINUTE }, 'connected', 60],
    ['reactivated without a key', { hasKey: false, lastUsedAt: NOW - MINUTE }, 'awaiting_connection', null],
    ['revoked, even if used a second ago', { state: 'revoked', hasKey: false, lastUsedAt: NOW - 1000 }, 'revoked', null],
    ['revoked with a past expiry', { state: 'revoked', hasKey: false, expiresAt: NOW - MINUTE }, 'revoked', null],
    ['expired by the cron', { state: 'expired', hasKey: false, lastUsedAt: NOW - MINUTE }, 'expired', null],
    ['past its expiry before the cron ran', { expiresAt: NOW, lastUsedAt: NOW - MINUTE }, 'expired', null],
    ['one millisecond before its expiry', { expiresAt: NOW + 1, lastUsedAt: NOW - MINUTE }, 'connected', 60],
    ['a clock skew that puts the last use in the future', { lastUsedAt: NOW + 5000 }, 'connected', 0],
  ])('%s', (_label, change, status, idleForSeconds) => {
    expect(connectionStatus({ ...active, ...change }, NOW, WINDOW)).toEqual({ status, idleForSeconds });
  });

  it('takes the window from the caller', () => {
    const input = { ...active, lastUsedAt: NOW - 2 * MINUTE };
    expect(connectionStatus(input, NOW, 60).status).toBe('idle');
    expect(connectionStatus(input, NOW, 180).status).toBe('connected');
  });
});
