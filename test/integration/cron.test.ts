import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPIRE_BATCH } from '../../src/connections/expiry';
import { openDatabase } from '../../src/db/client';
import { FLUSH_CURSOR_KEY, flushLastUsed } from '../../src/last-used/flush';
import { recordLastUsed } from '../../src/last-used/marks';
import { connectionAction, expectJson, getConnection, runCron } from '../support/connections-api';
import { connectClient, createConnection, rawInitialize } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const DAY = 86_400_000;

async function initializeStatus(key: string): Promise<number> {
  const response = await rawInitialize(key);
  await response.body?.cancel();
  return response.status;
}

async function rowOf(id: string) {
  return env.DB.prepare('SELECT state, key_hash, expired_at, last_used_at FROM connections WHERE id = ?').bind(id).first<{
    state: string;
    key_hash: string | null;
    expired_at: number | null;
    last_used_at: number | null;
  }>();
}

async function expiryEvents(id: string) {
  const { results } = await env.DB.prepare("SELECT kind, method, key_public_id, detail FROM audit_events WHERE connection_id = ? AND method = 'connection.expire'")
    .bind(id)
    .all<{ kind: string; method: string; key_public_id: string; detail: string }>();
  return results;
}

async function clearLastUsed(): Promise<void> {
  const { keys } = await env.LAST_USED.list({ prefix: 'last-used:' });
  await Promise.all(keys.map((key) => env.LAST_USED.delete(key.name)));
}

/** Connections inserted straight into D1, the cheap way to have many. */
async function seedConnections(count: number, values: { prefix: string; expiresAt: number | null }): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO connections (id, name, odoo_account_id, scope, state, key_public_id, key_hash, key_created_at, expires_at, created_at, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     SELECT ?2 || i, 'seeded ' || i, 'default', '{"preset":"read_only"}', 'active', ?2 || 'k' || i, 'hash' || i, 0, ?3, i, i FROM n`,
  )
    .bind(count, values.prefix, values.expiresAt)
    .run();
}

describe('cron: expiry', () => {
  it('a connection valid for one day is refused after it; the cron marks it expired, deletes the hash, ends sessions and audits once', async () => {
    const start = Date.parse('2026-12-01T09:00:00Z');
    vi.setSystemTime(start);
    const { key, connection } = await createConnection({ name: 'one-off import', scope: { preset: 'full' }, valid_for_days: 1 });
    expect(connection.expires_at).toBe(new Date(start + DAY).toISOString());
    const client = await connectClient(key);
    await client.listTools();

    vi.setSystemTime(start + DAY - 1000);
    expect(await initializeStatus(key)).toBe(200);

    const after = start + DAY + 1000;
    vi.setSystemTime(after);
    expect(await initializeStatus(key)).toBe(401);
    await expect(client.listTools()).rejects.toThrow();
    expect(await getConnection(connection.id)).toMatchObject({ status: 'expired', has_key: true });

    await runCron(after);
    expect(await rowOf(connection.id)).toMatchObject({ state: 'expired', key_hash: null, expired_at: after });
    expect(await getConnection(connection.id)).toMatchObject({ status: 'expired', has_key: false, expired_at: new Date(after).toISOString() });
    const { results: sessions } = await env.DB.prepare('SELECT ended_at, ended_reason FROM mcp_sessions WHERE connection_id = ?').bind(connection.id).all();
    expect(sessions).toHaveLength(2);
    expect(sessions).toEqual(sessions.map(() => ({ ended_at: after, ended_reason: 'expired' })));
    const events = await expiryEvents(connection.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'system', method: 'connection.expire', key_public_id: connection.key_public_id });

    await runCron(after + 5 * 60_000);
    expect(await expiryEvents(connection.id)).toHaveLength(1);
    expect(await rowOf(connection.id)).toMatchObject({ expired_at: after });
  });

  it('an expired connection cannot rotate or get a key, and reactivates only with a new validity', async () => {
    const start = Date.parse('2026-12-02T09:00:00Z');
    vi.setSystemTime(start);
    const { connection } = await createConnection({ name: 'short-lived', scope: { preset: 'read_only' }, valid_for_days: 1 });
    vi.setSystemTime(start + 2 * DAY);
    await runCron(start + 2 * DAY);

    expect((await connectionAction(connection.id, 'rotate')).status).toBe(409);
    expect((await connectionAction(connection.id, 'keys')).status).toBe(409);
    const withoutValidity = await expectJson(await connectionAction(connection.id, 'reactivate'), 400);
    expect(withoutValidity.error.details.issues[0].path).toBe('expires_at');
    expect((await rowOf(connection.id))!.state).toBe('expired');

    const reactivated = await expectJson(await connectionAction(connection.id, 'reactivate', { valid_for_days: 7 }), 200);
    expect(reactivated).toMatchObject({ status: 'awaiting_connection', has_key: false, expired_at: null });
    expect(reactivated.expires_at).toBe(new Date(start + 2 * DAY + 7 * DAY).toISOString());
    const issued = await expectJson(await connectionAction(connection.id, 'keys'), 201);
    expect(await initializeStatus(issued.key)).toBe(200);
  });

  it('expires at most EXPIRE_BATCH connections per run and works off the rest in the next', async () => {
    const now = Date.parse('2026-12-03T09:00:00Z');
    await seedConnections(EXPIRE_BATCH + 5, { prefix: 'con_batch_', expiresAt: now - 1000 });
    const remaining = () =>
      env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE id LIKE 'con_batch_%' AND state = 'active'").first<{ n: number }>();
    await runCron(now);
    expect(await remaining()).toEqual({ n: 5 });
    await runCron(now + 1);
    expect(await remaining()).toEqual({ n: 0 });
    const audited = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE connection_id LIKE 'con_batch_%'").first<{ n: number }>();
    expect(audited).toEqual({ n: EXPIRE_BATCH + 5 });
  });
});

describe('cron: last-used flush', () => {
  it('copies KV last-used times into D1, only forwards, idempotently', async () => {
    const a = await createConnection({ name: 'flush a', scope: { preset: 'read_only' } });
    const b = await createConnection({ name: 'flush b', scope: { preset: 'read_only' } });
    const t = Date.parse('2026-12-04T09:00:00Z');
    await recordLastUsed(env.LAST_USED, a.connection.id, t);
    await recordLastUsed(env.LAST_USED, b.connection.id, t + 1000);
    await recordLastUsed(env.LAST_USED, 'con_that_does_not_exist', t);

    await runCron(t + 60_000);
    expect((await rowOf(a.connection.id))!.last_used_at).toBe(t);
    expect((await rowOf(b.connection.id))!.last_used_at).toBe(t + 1000);

    const db = openDatabase(env.DB);
    expect(await flushLastUsed(env.LAST_USED, db)).toMatchObject({ updated: 0, complete: true });

    await recordLastUsed(env.LAST_USED, a.connection.id, t - 60_000);
    await runCron(t + 120_000);
    expect((await rowOf(a.connection.id))!.last_used_at).toBe(t);
  });

  it('lists a bounded number of KV pages per run and resumes from a saved cursor', async () => {
    await clearLastUsed();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createConnection({ name: `paged ${i}`, scope: { preset: 'read_only' } })).connection.id);
    const t = Date.parse('2026-12-05T09:00:00Z');
    for (const id of ids) await recordLastUsed(env.LAST_USED, id, t);
    const db = openDatabase(env.DB);
    const flushed = async () =>
      (await env.DB.prepare(`SELECT COUNT(*) AS n FROM connections WHERE last_used_at = ?`).bind(t).first<{ n: number }>())!.n;

    expect(await flushLastUsed(env.LAST_USED, db, { maxPages: 1, pageSize: 2 })).toEqual({ pages: 1, updated: 2, complete: false });
    expect(await flushed()).toBe(2);
    expect(await env.LAST_USED.get(FLUSH_CURSOR_KEY)).not.toBeNull();
    expect(await flushLastUsed(env.LAST_USED, db, { maxPages: 1, pageSize: 2 })).toEqual({ pages: 1, updated: 2, complete: false });
    expect(await flushLastUsed(env.LAST_USED, db, { maxPages: 1, pageSize: 2 })).toEqual({ pages: 1, updated: 1, complete: true });
    expect(await flushed()).toBe(5);
    expect(await env.LAST_USED.get(FLUSH_CURSOR_KEY)).toBeNull();
  });

  it('forgets a saved cursor KV no longer accepts, so the next run starts over', async () => {
    await env.LAST_USED.put(FLUSH_CURSOR_KEY, 'a-cursor-kv-no-longer-knows');
    const list = env.LAST_USED.list.bind(env.LAST_USED);
    vi.spyOn(env.LAST_USED, 'list').mockImplementation((async (options?: KVNamespaceListOptions) => {
      if (options?.cursor) throw new Error('KV GET failed: 400 Bad Request (invalid cursor)');
      return list(options);
    }) as KVNamespace['list']);
    const db = openDatabase(env.DB);
    await expect(flushLastUsed(env.LAST_USED, db)).rejects.toThrow('invalid cursor');
    expect(await env.LAST_USED.get(FLUSH_CURSOR_KEY)).toBeNull();
    expect(await flushLastUsed(env.LAST_USED, db)).toMatchObject({ complete: true });
  });
});

describe('cron: every job runs', () => {
  it('applies audit retention', async () => {
    const now = Date.parse('2026-12-06T09:00:00Z');
    const insert = env.DB.prepare("INSERT INTO audit_events (id, at, kind, outcome, method) VALUES (?, ?, 'admin', 'allowed', 'test.retention')");
    await env.DB.batch([insert.bind('retention-old', now - 366 * DAY), insert.bind('retention-new', now - DAY)]);
    await runCron(now);
    const { results } = await env.DB.prepare("SELECT id FROM audit_events WHERE method = 'test.retention'").all();
    expect(results).toEqual([{ id: 'retention-new' }]);
  });

  it('a failing job does not keep the others from running, and the run still fails', async () => {
    const now = Date.parse('2026-12-07T09:00:00Z');
    const { connection } = await createConnection({ name: 'expires despite KV', scope: { preset: 'read_only' }, expires_at: new Date(Date.now() + 1000).toISOString() });
    vi.spyOn(env.LAST_USED, 'list').mockRejectedValue(new Error('KV is down'));
    await expect(runCron(now)).rejects.toThrow('cron jobs failed: flush_last_used');
    expect((await rowOf(connection.id))!.state).toBe('expired');
  });
});
