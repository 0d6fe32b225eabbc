import { ALLOW, deny, type Decision } from './decision';

export type RateLimit = { requests: number; per_seconds: number };

/**
 * A sliding-window log whose timestamps are rounded down into at most
 * BUCKETS_PER_WINDOW buckets, so the stored state stays small whatever the
 * limit. A bucket counts until its end has left the window, which can refuse a
 * request slightly early but never lets more than `requests` through in any
 * window of `per_seconds`.
 */
export type RateLimitState = { bucketMs: number; buckets: Array<[startMs: number, count: number]> };

export type RateLimitStep = { allowed: boolean; retryAfterSeconds: number; state: RateLimitState; decision: Decision };

const BUCKETS_PER_WINDOW = 60;

export function rateLimitBucketMs(limit: RateLimit): number {
  return Math.max(1, Math.ceil((limit.per_seconds * 1000) / BUCKETS_PER_WINDOW));
}

export function rateLimitStep(state: RateLimitState | null, nowMs: number, limit: RateLimit): RateLimitStep {
  const windowMs = limit.per_seconds * 1000;
  const bucketMs = rateLimitBucketMs(limit);
  // A changed limit changes the bucket width; old buckets cannot be re-cut, so they are dropped.
  const previous = state !== null && state.bucketMs === bucketMs ? state.buckets : [];
  const live = previous.filter(([startMs]) => startMs + bucketMs + windowMs > nowMs);
  const used = live.reduce((total, [, count]) => total + count, 0);
  if (used >= limit.requests) {
    const retryAfterSeconds = secondsUntilFree(live, used - limit.requests + 1, bucketMs + windowMs, nowMs);
    return {
      allowed: false,
      retryAfterSeconds,
      state: { bucketMs, buckets: live },
      decision: deny({ code: 'rate_limited', retryAfterSeconds, limit: { ...limit } }),
    };
  }
  return { allowed: true, retryAfterSeconds: 0, state: { bucketMs, buckets: record(live, nowMs, bucketMs) }, decision: ALLOW };
}

/** When enough of the oldest requests have left the window to free `needed` slots. */
function secondsUntilFree(buckets: ReadonlyArray<[number, number]>, needed: number, lifetimeMs: number, nowMs: number): number {
  let freed = 0;
  for (const [startMs, count] of buckets) {
    freed += count;
    if (freed >= needed) return Math.max(1, Math.ceil((startMs + lifetimeMs - nowMs) / 1000));
  }
  return Math.max(1, Math.ceil(lifetimeMs / 1000));
}

function record(buckets: ReadonlyArray<[number, number]>, nowMs: number, bucketMs: number): Array<[number, number]> {
  const latest = buckets[buckets.length - 1];
  const startMs = Math.floor(nowMs / bucketMs) * bucketMs;
  // A clock that steps back adds to the newest bucket, keeping the log ordered and bounded.
  if (latest !== undefined && latest[0] >= startMs) {
    return [...buckets.slice(0, -1), [latest[0], latest[1] + 1]];
  }
  return [...buckets, [startMs, 1]];
}
