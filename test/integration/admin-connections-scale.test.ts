import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectionListQuery } from '../../src/connections/query';
import { openDatabase } from '../../src/db/client';
import { walkConnections } from '../support/connections-api';
import { seedOdooAccount } from '../support/gateway';

const COUNT = 10_000;
const NOW = Date.parse('2026-12-10T12:00:00Z');
const WINDOW_MS = 15 * 60_000;

/**
 * One INSERT ... SELECT seeds every row. Row i was created at NOW - i s; every
 * third row was never used, the others were last used i s ago (so the first
 * ~900 used ones are connected, the rest idle); every tenth row is revoked.
 */
beforeAll(async () => {
  await seedOdooAccount({ id: 'acct_scale', api: 'json2', apiKey: 'scale-key' });
  await env.DB.prepare(
    `INSERT INTO connections (id, name, odoo_account_id, scope, state, key_public_id, key_hash, key_created_at, last_used_at, created_at, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     SELECT printf('con_%05d', i), printf('Integration %05d', i), 'acct_scale', '{"preset":"read_only"}',
            CASE WHEN i % 10 = 0 THEN 'revoked' ELSE 'active' END,
            printf('pub%05d', i), CASE WHEN i % 10 = 0 THEN NULL ELSE 'hash' END, 0,
            CASE WHEN i % 3 = 0 THEN NULL ELSE ?2 - i * 1000 END,
            ?2 - i * 1000, ?2 - i * 1000
     FROM n`,
  )
    .bind(COUNT, NOW)
    .run();
});

afterEach(() => {
  vi.useRealTimers();
});

const expectedIdle = Array.from({ length: COUNT }, (_, index) => index + 1).filter(
  (i) => i % 10 !== 0 && i % 3 !== 0 && i * 1000 > WINDOW_MS,
).length;

describe('listing 10,000 connections', () => {
  it('walks every connection exactly once, 200 per page, newest first, with no KV read per row', async () => {
    vi.setSystemTime(NOW);
    const get = vi.spyOn(env.LAST_USED, 'get');
    const items = await walkConnections({ limit: 200 });
    expect(items).toHaveLength(COUNT);
    expect(new Set(items.map((item) => item.id)).size).toBe(COUNT);
    expect(items[0].id).toBe('con_00001');
    expect(items.at(-1).id).toBe(`con_${String(COUNT).padStart(5, '0')}`);
    expect(get).not.toHaveBeenCalled();
  });

  it('walks the idle ones, longest idle first', async () => {
    vi.setSystemTime(NOW);
    const items = await walkConnections({ status: 'idle', sort: 'last_used', order: 'asc', limit: 200 });
    expect(items).toHaveLength(expectedIdle);
    expect(items.every((item) => item.status === 'idle')).toBe(true);
    const idle = items.map((item) => item.idle_for_seconds as number);
    expect(idle).toEqual([...idle].sort((a, b) => b - a));
  });

  it('walks by name across pages with no duplicates or gaps', async () => {
    vi.setSystemTime(NOW);
    const items = await walkConnections({ sort: 'name', order: 'desc', limit: 200, q: 'integration 0' });
    const expected = Array.from({ length: 9999 }, (_, index) => `Integration ${String(9999 - index).padStart(5, '0')}`);
    expect(items.map((item) => item.name)).toEqual(expected);
  });

  it.each([
    ['created', 'desc', 'connections_created_at_id'],
    ['created', 'asc', 'connections_created_at_id'],
    ['name', 'asc', 'connections_name_id'],
    ['name', 'desc', 'connections_name_id'],
    ['last_used', 'desc', 'connections_last_used_id'],
    ['last_used', 'asc', 'connections_last_used_id'],
  ] as const)('sort=%s order=%s reads its index in order, for the first page and after a cursor', async (sort, order, index) => {
    const db = openDatabase(env.DB);
    for (const after of [undefined, { value: sort === 'name' ? 'Integration 05000' : NOW - 5_000_000, id: 'con_05000' }]) {
      const { sql, params } = connectionListQuery(db, { sort, order, limit: 200, after }, NOW, 900).toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const plan = results.map((step) => step.detail).join('\n');
      // The first page scans the index from its start; a later page seeks straight to the cursor.
      expect(plan).toMatch(after ? new RegExp(`SEARCH connections USING (COVERING )?INDEX ${index} \\(`) : new RegExp(`INDEX ${index}`));
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });
});
