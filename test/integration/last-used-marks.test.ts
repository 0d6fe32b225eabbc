import { env } from 'cloudflare:test';
import { afterEach, expect, it, vi } from 'vitest';
import { MinuteMarks, touchLastUsed } from '../../src/last-used/marks';

afterEach(() => {
  vi.restoreAllMocks();
});

it('asks the Cache API once per key and minute in an isolate, and writes KV once', async () => {
  const open = vi.spyOn(caches, 'open');
  const put = vi.spyOn(env.LAST_USED, 'put');
  const marks = new MinuteMarks();
  const minute = Date.parse('2026-12-03T09:00:00Z');

  await touchLastUsed(env.LAST_USED, 'conn-marks', 'pub1', minute + 1_000, marks);
  await touchLastUsed(env.LAST_USED, 'conn-marks', 'pub1', minute + 2_000, marks);
  await touchLastUsed(env.LAST_USED, 'conn-marks', 'pub1', minute + 59_000, marks);
  expect(open).toHaveBeenCalledTimes(1);
  expect(put).toHaveBeenCalledTimes(1);
  expect(await env.LAST_USED.get('last-used:conn-marks')).toBe(String(minute + 1_000));

  await touchLastUsed(env.LAST_USED, 'conn-marks', 'pub1', minute + 61_000, marks);
  expect(open).toHaveBeenCalledTimes(2);
  expect(put).toHaveBeenCalledTimes(2);
  expect(await env.LAST_USED.get('last-used:conn-marks')).toBe(String(minute + 61_000));
});

it('still writes once per minute across isolates, through the Cache API mark', async () => {
  const put = vi.spyOn(env.LAST_USED, 'put');
  const minute = Date.parse('2026-12-03T10:00:00Z');
  // Two isolates: each has its own marks, and they share the data centre's cache.
  await touchLastUsed(env.LAST_USED, 'conn-shared', 'pub2', minute + 1_000, new MinuteMarks());
  await touchLastUsed(env.LAST_USED, 'conn-shared', 'pub2', minute + 5_000, new MinuteMarks());
  expect(put).toHaveBeenCalledTimes(1);
  expect(await env.LAST_USED.get('last-used:conn-shared')).toBe(String(minute + 1_000));
});
