import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordLastUsed } from '../../src/last-used/marks';
import { listConnectionsPage, walkConnections, type Json } from '../support/connections-api';
import { seedOdooAccount } from '../support/gateway';

const NOW = Date.parse('2026-12-10T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Fixture {
  id: string;
  name: string;
  createdAt: number;
  state?: 'active' | 'revoked' | 'expired';
  hasKey?: boolean;
  keyCreatedAt?: number;
  lastUsedAt?: number | null;
  expiresAt?: number | null;
  status: string;
}

/** Every status, rotated and keyless connections, ties on created_at and on last_used_at, and a name with LIKE wildcards. */
const FIXTURES: Fixture[] = [
  { id: 'con_01', name: 'Alpha assistant', createdAt: NOW - 10 * DAY, lastUsedAt: NOW - MIN, status: 'connected' },
  { id: 'con_02', name: 'beta sync', createdAt: NOW - 9 * DAY, lastUsedAt: NOW - 2 * HOUR, status: 'idle' },
  { id: 'con_03', name: 'Gamma form', createdAt: NOW - 8 * DAY, lastUsedAt: null, status: 'awaiting_connection' },
  { id: 'con_04', name: 'delta import', createdAt: NOW - 7 * DAY, state: 'expired', hasKey: false, lastUsedAt: NOW - 3 * DAY, expiresAt: NOW - DAY, status: 'expired' },
  { id: 'con_05', name: 'Epsilon n8n', createdAt: NOW - 6 * DAY, state: 'revoked', hasKey: false, lastUsedAt: NOW - 5 * DAY, status: 'revoked' },
  { id: 'con_06', name: 'zeta rotated', createdAt: NOW - 5 * DAY, keyCreatedAt: NOW - HOUR, lastUsedAt: NOW - 2 * HOUR - 1, status: 'awaiting_connection' },
  { id: 'con_07', name: 'Eta late cron', createdAt: NOW - 4 * DAY, lastUsedAt: NOW - DAY, expiresAt: NOW - HOUR, status: 'expired' },
  { id: 'con_08', name: 'theta 100%_off', createdAt: NOW - 3 * DAY, lastUsedAt: NOW - 14 * MIN, status: 'connected' },
  { id: 'con_09', name: 'Iota keyless', createdAt: NOW - 2 * DAY, hasKey: false, lastUsedAt: NOW - 3 * HOUR, status: 'awaiting_connection' },
  { id: 'con_10', name: 'kappa idle', createdAt: NOW - DAY, lastUsedAt: NOW - 16 * MIN, status: 'idle' },
  { id: 'con_11', name: 'Lambda twin', createdAt: NOW - DAY, lastUsedAt: NOW - 2 * HOUR, expiresAt: NOW + DAY, status: 'idle' },
];

async function seed(): Promise<void> {
  await env.DB.batch([env.DB.prepare('DELETE FROM mcp_sessions'), env.DB.prepare('DELETE FROM connections')]);
  const insert = env.DB.prepare(
    `INSERT INTO connections (id, name, odoo_account_id, scope, state, key_public_id, key_hash, key_created_at, expires_at,
       last_used_at, last_client_name, last_client_version, created_at, updated_at)
     VALUES (?, ?, 'acct_list', '{"preset":"read_only"}', ?, ?, ?, ?, ?, ?, 'Cursor', '1.7.2', ?, ?)`,
  );
  await env.DB.batch(
    FIXTURES.map((f) =>
      insert.bind(
        f.id,
        f.name,
        f.state ?? 'active',
        `pub${f.id.slice(4)}`,
        f.hasKey === false ? null : 'hash',
        f.keyCreatedAt ?? f.createdAt,
        f.expiresAt ?? null,
        f.lastUsedAt ?? null,
        f.createdAt,
        f.createdAt,
      ),
    ),
  );
}

beforeEach(async () => {
  vi.setSystemTime(NOW);
  if (!(await env.DB.prepare("SELECT 1 FROM odoo_accounts WHERE id = 'acct_list'").first())) {
    await seedOdooAccount({ id: 'acct_list', api: 'json2', apiKey: 'list-key', login: 'admin', uid: 2 });
  }
  await seed();
  const { keys } = await env.LAST_USED.list();
  await Promise.all(keys.map((key) => env.LAST_USED.delete(key.name)));
});

afterEach(() => {
  vi.useRealTimers();
});

const ids = (items: Json[]) => items.map((item) => item.id);
const byKey = (key: (f: Fixture) => number | string, order: 'asc' | 'desc') => (a: Fixture, b: Fixture) => {
  const [ka, kb] = [key(a), key(b)];
  const primary = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return order === 'asc' ? primary : -primary;
};
const SORT_KEYS: Record<'created' | 'name' | 'last_used', (f: Fixture) => number | string> = {
  created: (f: Fixture) => f.createdAt,
  name: (f: Fixture) => f.name.toLowerCase(),
  last_used: (f: Fixture) => f.lastUsedAt ?? 0,
};
const expectedOrder = (sort: keyof typeof SORT_KEYS, order: 'asc' | 'desc', filter: (f: Fixture) => boolean = () => true) =>
  FIXTURES.filter(filter).sort(byKey(SORT_KEYS[sort], order)).map((f) => f.id);

describe('GET /admin/api/connections: rows', () => {
  it('shows each row with the fields of the list, and neither the scope body nor any key material', async () => {
    const { items } = await listConnectionsPage({ q: 'alpha' });
    expect(items).toEqual([
      {
        id: 'con_01',
        name: 'Alpha assistant',
        status: 'connected',
        auth: 'key',
        key_public_id: 'pub01',
        has_key: true,
        odoo_account_id: 'acct_list',
        odoo_user: { uid: 2, login: 'admin', name: 'Mitchell Admin' },
        scope_summary: 'Read only',
        idle_for_seconds: 60,
        last_used_at: new Date(NOW - MIN).toISOString(),
        last_client: { name: 'Cursor', version: '1.7.2' },
        created_at: new Date(NOW - 10 * DAY).toISOString(),
        expires_at: null,
        oauth: null,
      },
    ]);
  });

  it('answers newest first by default, { items, next_cursor }', async () => {
    const page = await listConnectionsPage();
    expect(Object.keys(page).sort()).toEqual(['items', 'next_cursor']);
    expect(ids(page.items)).toEqual(expectedOrder('created', 'desc'));
    expect(page.next_cursor).toBeNull();
  });
});

describe('GET /admin/api/connections: filters', () => {
  it.each(['awaiting_connection', 'connected', 'idle', 'revoked', 'expired'])('status=%s returns exactly those, computed in SQL like the row status', async (status) => {
    const items = await walkConnections({ status, limit: 2 });
    expect(ids(items).sort()).toEqual(FIXTURES.filter((f) => f.status === status).map((f) => f.id));
    expect(items.every((item) => item.status === status)).toBe(true);
  });

  it('every connection has exactly one status', async () => {
    const all = await walkConnections();
    for (const fixture of FIXTURES) expect(all.find((item) => item.id === fixture.id)!.status, fixture.id).toBe(fixture.status);
  });

  it.each([
    ['a part of a name, case-insensitively', 'ALPHA', ['con_01']],
    ['LIKE wildcards as plain characters', '%_', ['con_08']],
    ['an underscore alone', '_', ['con_08']],
    ['a common part', 'ta', ['con_01', 'con_02', 'con_04', 'con_06', 'con_07', 'con_08', 'con_09']],
    ['nothing', 'omega', []],
  ])('q matches %s', async (_label, q, expected) => {
    expect(ids(await walkConnections({ q })).sort()).toEqual(expected);
  });

  it('combines status, q and sort', async () => {
    const items = await walkConnections({ status: 'idle', q: 'a', sort: 'last_used', order: 'asc', limit: 1 });
    expect(ids(items)).toEqual(expectedOrder('last_used', 'asc', (f) => f.status === 'idle' && f.name.toLowerCase().includes('a')));
  });
});

describe('GET /admin/api/connections: sorts and pagination', () => {
  const combinations = (['created', 'name', 'last_used'] as const).flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const));

  it.each(combinations)('sort=%s order=%s, walked one, two and three rows per page, has no duplicates or gaps', async (sort, order) => {
    const expected = expectedOrder(sort, order);
    for (const limit of [1, 2, 3]) {
      expect(ids(await walkConnections({ sort, order, limit }))).toEqual(expected);
    }
  });

  it('default orders: created and last_used newest first, name A to Z', async () => {
    expect(ids((await listConnectionsPage({ sort: 'created' })).items)).toEqual(expectedOrder('created', 'desc'));
    expect(ids((await listConnectionsPage({ sort: 'last_used' })).items)).toEqual(expectedOrder('last_used', 'desc'));
    expect(ids((await listConnectionsPage({ sort: 'name' })).items)).toEqual(expectedOrder('name', 'asc'));
  });

  it('sort=last_used&order=asc puts never-used connections first, then the longest idle', async () => {
    const items = (await listConnectionsPage({ sort: 'last_used', order: 'asc' })).items;
    expect(ids(items).slice(0, 1)).toEqual(['con_03']);
    expect(ids((await listConnectionsPage({ status: 'idle', sort: 'last_used', order: 'asc' })).items)).toEqual(['con_02', 'con_11', 'con_10']);
  });

  it('hands out a next_cursor only while rows remain', async () => {
    const first = await listConnectionsPage({ limit: FIXTURES.length - 1 });
    expect(first.next_cursor).not.toBeNull();
    const second = await listConnectionsPage({ limit: FIXTURES.length - 1, cursor: first.next_cursor! });
    expect(second.items).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect((await listConnectionsPage({ limit: FIXTURES.length })).next_cursor).toBeNull();
  });
});

describe('GET /admin/api/connections: last-used freshness', () => {
  it('the first page sees uses KV recorded since the last cron flush, through one KV list', async () => {
    await recordLastUsed(env.LAST_USED, 'con_03', NOW - 30_000);
    const get = vi.spyOn(env.LAST_USED, 'get');
    const list = vi.spyOn(env.LAST_USED, 'list');
    const connected = await listConnectionsPage({ status: 'connected' });
    expect(ids(connected.items).sort()).toEqual(['con_01', 'con_03', 'con_08']);
    expect(connected.items.find((item: Json) => item.id === 'con_03').idle_for_seconds).toBe(30);
    expect(get).not.toHaveBeenCalled();
    expect(list).toHaveBeenCalledTimes(1);
    const row = await env.DB.prepare("SELECT last_used_at FROM connections WHERE id = 'con_03'").first();
    expect(row).toEqual({ last_used_at: NOW - 30_000 });
  });

  it('a KV failure costs freshness, not the answer', async () => {
    vi.spyOn(env.LAST_USED, 'list').mockRejectedValue(new Error('KV is down'));
    expect((await listConnectionsPage()).items).toHaveLength(FIXTURES.length);
  });
});
