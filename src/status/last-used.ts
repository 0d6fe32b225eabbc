/**
 * Last-used timestamps live in KV, written in the background and at most
 * once per connection per minute: KV accepts one write per second per key,
 * and bookkeeping must never slow or fail a call. A Cache API marker per
 * minute remembers locally that this minute's write already happened.
 */
export const LAST_USED_PREFIX = 'last-used:';

export async function touchLastUsed(kv: KVNamespace, connectionId: string, now: number): Promise<void> {
  const minute = Math.floor(now / 60_000);
  const marker = new Request(`https://last-used.invalid/${encodeURIComponent(connectionId)}/${minute}`);
  const cache = await caches.open('last-used');
  if (await cache.match(marker)) return;
  await cache.put(marker, new Response('1', { headers: { 'Cache-Control': 'max-age=120' } }));
  await kv.put(LAST_USED_PREFIX + connectionId, String(now), { metadata: { lastUsedAt: now } });
}

export async function readLastUsed(kv: KVNamespace, connectionId: string): Promise<number | null> {
  const value = await kv.get(LAST_USED_PREFIX + connectionId);
  return value === null ? null : Number(value);
}
