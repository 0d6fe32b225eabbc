import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { listLastUsed, type LastUsedEntry } from './marks';

/** Where a flush that hit its page bound resumes on the next run. */
export const FLUSH_CURSOR_KEY = 'cron:last-used-flush-cursor';
export const FLUSH_MAX_PAGES = 10;

/**
 * Copies last-used times into connections.last_used_at in one statement,
 * however many entries: they travel as one JSON parameter (D1 binds at most
 * 100 parameters). Only moves times forward, so applying the same entries
 * twice changes nothing. Returns how many rows changed.
 */
export async function applyLastUsed(db: Database, entries: LastUsedEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const fresh = JSON.stringify(entries.map((entry) => [entry.connectionId, entry.lastUsedAt]));
  const result = await db.run(sql`
    update connections set last_used_at = fresh.at
    from (select json_extract(value, '$[0]') as id, json_extract(value, '$[1]') as at from json_each(${fresh})) as fresh
    where connections.id = fresh.id and (connections.last_used_at is null or connections.last_used_at < fresh.at)`);
  return result.meta.changes;
}

/**
 * The cron's flush of KV into D1: at most maxPages list pages per run. A
 * longer list is resumed from a saved cursor by the next run, so every entry
 * is reached however many there are, and no run grows without bound.
 */
export async function flushLastUsed(
  kv: KVNamespace,
  db: Database,
  options: { maxPages?: number; pageSize?: number } = {},
): Promise<{ pages: number; updated: number; complete: boolean }> {
  const saved = await kv.get(FLUSH_CURSOR_KEY);
  let cursor: string | null = saved;
  let pages = 0;
  let updated = 0;
  do {
    let page: Awaited<ReturnType<typeof listLastUsed>>;
    try {
      page = await listLastUsed(kv, { cursor: cursor ?? undefined, limit: options.pageSize });
    } catch (error) {
      // A stale or foreign saved cursor must not wedge every later run: forget it, start over next time.
      if (saved !== null) await kv.delete(FLUSH_CURSOR_KEY);
      throw error;
    }
    pages += 1;
    updated += await applyLastUsed(db, page.entries);
    cursor = page.cursor;
  } while (cursor !== null && pages < (options.maxPages ?? FLUSH_MAX_PAGES));
  if (cursor !== null) await kv.put(FLUSH_CURSOR_KEY, cursor, { expirationTtl: 3600 });
  else if (saved !== null) await kv.delete(FLUSH_CURSOR_KEY);
  return { pages, updated, complete: cursor === null };
}

/**
 * Before the admin list's first page: the first KV page goes into D1 (every
 * entry while fewer than 1000 connections were used in the last day), so
 * status filters and the last_used sort, both computed in SQL, see uses since
 * the last cron run. One KV list and one D1 statement, whatever the number of
 * connections; beyond one page the cron's flush catches up.
 */
export async function refreshRecentLastUsed(kv: KVNamespace, db: Database): Promise<number> {
  const page = await listLastUsed(kv);
  return applyLastUsed(db, page.entries);
}
