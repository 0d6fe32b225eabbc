/**
 * Last-used timestamps live in KV, written in the background and at most
 * once per connection per minute: KV accepts one write per second per key,
 * and bookkeeping must never slow or fail a call. Two marks per minute
 * remember that this minute's write already happened: one in the isolate's
 * memory, checked first and free, and one in the Cache API, shared by the
 * isolates of a data centre, consulted once per minute per isolate.
 *
 * The time is also the entry's metadata, so one KV list page carries up to
 * 1000 of them without a read per key. Entries expire after a day: by then
 * the cron has flushed them into connections.last_used_at (src/last-used/flush.ts),
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
export async function touchLastUsed(
  kv: KVNamespace,
  connectionId: string,
  keyPublicId: string,
  now: number,
  marks: MinuteMarks = isolateMarks,
): Promise<void> {
  const minute = Math.floor(now / 60_000);
  const id = `${encodeURIComponent(connectionId)}/${encodeURIComponent(keyPublicId)}`;
  if (!marks.mark(id, minute)) return;
  const marker = new Request(`https://last-used.invalid/${id}/${minute}`);
  const cache = await caches.open('last-used');
  if (await cache.match(marker)) return;
  await cache.put(marker, new Response('1', { headers: { 'Cache-Control': 'max-age=120' } }));
  await recordLastUsed(kv, connectionId, now);
}

/**
 * The minute each key was last marked in this isolate. It only spares the
 * Cache API a lookup on every call; it says nothing about whether a key is
 * valid. Bounded: past `capacity` keys, marks of other minutes are dropped,
 * and if every key was used this minute the map starts afresh.
 */
export class MinuteMarks {
  readonly #minutes = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Notes `id` as used in `minute`; false when it already was. */
  mark(id: string, minute: number): boolean {
    if (this.#minutes.get(id) === minute) return false;
    if (this.#minutes.size >= this.capacity && !this.#minutes.has(id)) this.#keepOnly(minute);
    this.#minutes.set(id, minute);
    return true;
  }

  get size(): number {
    return this.#minutes.size;
  }

  #keepOnly(minute: number): void {
    for (const [id, marked] of this.#minutes) if (marked !== minute) this.#minutes.delete(id);
    if (this.#minutes.size >= this.capacity) this.#minutes.clear();
  }
}

const isolateMarks = new MinuteMarks();

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
