import { env } from 'cloudflare:test';
import { afterEach, expect, it, vi } from 'vitest';
import { connectionAction, expectJson, getConnection, lastUsedLanded } from '../support/connections-api';
import { connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

it('records the first use of a rotated key in the same minute the old key was last used', async () => {
  const start = Date.parse('2026-12-02T10:00:05Z');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  const { key, connection } = await createConnection({ scope: { preset: 'read_only' } });
  await (await connectClient(key)).listTools();
  await lastUsedLanded(connection.id, start);

  vi.setSystemTime(start + 10_000);
  const rotated = await expectJson(await connectionAction(connection.id, 'rotate'), 200);
  expect((await getConnection(connection.id)).status).toBe('awaiting_connection');

  vi.setSystemTime(start + 20_000);
  await (await connectClient(rotated.key as string)).listTools();
  await lastUsedLanded(connection.id, start + 20_000);
  expect(Number(await env.LAST_USED.get(`last-used:${connection.id}`))).toBe(start + 20_000);
  expect((await getConnection(connection.id)).status).toBe('connected');
});
