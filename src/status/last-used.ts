/**
 * Last-used timestamps live in KV, written in the background and at most
 * once per connection per minute: KV accepts one write per second per key,
 * and bookkeeping must never slow or fail a call. A Cache API marker per
 * minute remembers locally that this minute's write already happened.
 *
 * The time is also the entry's metadata, so one KV list page carries up to
 * 1000 of them without a read per key. Entries expire after a day: by then
 * the cron has flushed them into connections.last_used_at (src/status/flush.ts),
 * and the list stays as short as the set of recently used connections.
 */
export const LAST_USED_PREFIX = 'last-used:';
export const LAST_USED_TTL_SECONDS = 86_400;

export interface LastUsedMetadata {
  lastUsedAt: number;
}

export interface LastUsedEntry {
  connectionId: string;
  lastUsedAt: number;
}

/**
 * The marker names the key as well as the connection: a key issued by a
 * rotation must record its first use at once, even in the minute the old key
 * was last used, or the connection would look unused after the rotation.
 */
export async function touchLastUsed(kv: KVNamespace, connectionId: string, keyPublicId: string, now: number): Promise<void> {
  const minute = Math.floor(now / 60_000);
  const marker = new Request(
    `https://last-used.invalid/${encodeURIComponent(connectionId)}/${encodeURIComponent(keyPublicId)}/${minute}`,
  );
  const cache = await caches.open('last-used');
  if (await cache.match(marker)) return;
  await cache.put(marker, new Response('1', { headers: { 'Cache-Control': 'max-age=120' } }));
  await recordLastUsed(kv, connectionId, now);
}

export async function recordLastUsed(kv: KVNamespace, connectionId: string, at: number): Promise<void> {
  const metadata: LastUsedMetadata = { lastUsedAt: at };
  await kv.put(LAST_USED_PREFIX + connectionId, String(at), { metadata, expirationTtl: LAST_USED_TTL_SECONDS });
}

export async function readLastUsed(kv: KVNamespace, connectionId: string): Promise<number | null> {
  const value = await kv.get(LAST_USED_PREFIX + connectionId);
  const at = value === null ? NaN : Number(value);
  return Number.isSafeInteger(at) ? at : null;
}

/** One page of the KV list: the times come from the metadata, no value is read. */
export async function listLastUsed(
  kv: KVNamespace,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ entries: LastUsedEntry[]; cursor: string | null }> {
  const page = await kv.list<LastUsedMetadata>({ prefix: LAST_USED_PREFIX, cursor: options.cursor, limit: options.limit ?? 1000 });
  const entries: LastUsedEntry[] = [];
  for (const key of page.keys) {
    const at = key.metadata?.lastUsedAt;
    if (Number.isSafeInteger(at)) entries.push({ connectionId: key.name.slice(LAST_USED_PREFIX.length), lastUsedAt: at! });
  }
  return { entries, cursor: page.list_complete ? null : page.cursor };
}
