import { describe, expect, it } from 'vitest';
import { rateLimitBucketMs, rateLimitStep, type RateLimit, type RateLimitState } from '../../../src/policy/rate-limit';

type Outcome = { allowed: boolean; retryAfterSeconds: number };

/** Runs requests at the given instants (ms) and returns each answer. */
function run(limit: RateLimit, instants: number[], start: RateLimitState | null = null): { outcomes: Outcome[]; state: RateLimitState | null } {
  let state = start;
  const outcomes = instants.map((nowMs) => {
    const step = rateLimitStep(state, nowMs, limit);
    state = step.state;
    return { allowed: step.allowed, retryAfterSeconds: step.retryAfterSeconds };
  });
  return { outcomes, state };
}

const T0 = Date.parse('2026-03-09T10:00:00Z');
const perMinute: RateLimit = { requests: 120, per_seconds: 60 };

describe('rateLimitStep', () => {
  it('allows a burst up to the limit, then refuses with the time until the oldest request leaves the window', () => {
    const { outcomes } = run(perMinute, Array.from({ length: 121 }, () => T0));
    expect(outcomes.slice(0, 120).every((outcome) => outcome.allowed && outcome.retryAfterSeconds === 0)).toBe(true);
    expect(outcomes[120]).toEqual({ allowed: false, retryAfterSeconds: 61 });
  });

  it('reports retryAfter shrinking as time passes', () => {
    const { state } = run(perMinute, Array.from({ length: 120 }, () => T0));
    expect(rateLimitStep(state, T0 + 48_000, perMinute).retryAfterSeconds).toBe(13);
    expect(rateLimitStep(state, T0 + 60_500, perMinute).retryAfterSeconds).toBe(1);
  });

  it('never lets more than the limit through in any window, whatever the arrival pattern', () => {
    const limit: RateLimit = { requests: 5, per_seconds: 10 };
    const instants = Array.from({ length: 400 }, (_, index) => T0 + index * 700 + ((index * 7919) % 650));
    instants.sort((a, b) => a - b);
    let state: RateLimitState | null = null;
    const allowedAt: number[] = [];
    for (const nowMs of instants) {
      const step = rateLimitStep(state, nowMs, limit);
      state = step.state;
      if (step.allowed) allowedAt.push(nowMs);
    }
    for (const start of allowedAt) {
      expect(allowedAt.filter((ms) => ms >= start && ms < start + 10_000).length).toBeLessThanOrEqual(5);
    }
    // About 5 per 10 s over 280 s: the buckets may refuse a little early, never much.
    expect(allowedAt.length).toBeGreaterThan(125);
  });

  it('slides: requests become available again one bucket after they leave the window', () => {
    const limit: RateLimit = { requests: 2, per_seconds: 60 };
    const { outcomes } = run(limit, [T0, T0 + 30_000, T0 + 59_000, T0 + 61_000, T0 + 62_000, T0 + 91_000]);
    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, true, false, true, false, true]);
    expect(outcomes[2]?.retryAfterSeconds).toBe(2);
  });

  it('does not count refused requests', () => {
    const limit: RateLimit = { requests: 1, per_seconds: 10 };
    const { outcomes } = run(limit, [T0, T0 + 1_000, T0 + 2_000, T0 + 3_000, T0 + 11_000]);
    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, false, false, false, true]);
  });

  it.each<[RateLimit]>([[{ requests: 10_000, per_seconds: 3600 }], [{ requests: 120, per_seconds: 60 }], [{ requests: 1, per_seconds: 86_400 }]])(
    'keeps the state bounded for %j',
    (limit) => {
      let state: RateLimitState | null = null;
      for (let index = 0; index < 5_000; index += 1) {
        state = rateLimitStep(state, T0 + index * 997, limit).state;
        expect(state.buckets.length).toBeLessThanOrEqual(62);
      }
      expect(state?.bucketMs).toBe(rateLimitBucketMs(limit));
    },
  );

  it('starts afresh when the limit changes the bucket width', () => {
    const { state } = run({ requests: 1, per_seconds: 60 }, [T0]);
    expect(rateLimitStep(state, T0 + 1, { requests: 1, per_seconds: 60 }).allowed).toBe(false);
    expect(rateLimitStep(state, T0 + 1, { requests: 1, per_seconds: 120 }).allowed).toBe(true);
  });

  it('tolerates a clock that steps back without losing count', () => {
    const limit: RateLimit = { requests: 2, per_seconds: 60 };
    const { outcomes, state } = run(limit, [T0 + 5_000, T0, T0 + 1_000]);
    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, true, false]);
    expect(state?.buckets).toEqual([[T0 + 5_000, 2]]);
  });

  it('returns a ready-made decision carrying the limit', () => {
    const { state } = run(perMinute, Array.from({ length: 120 }, () => T0));
    expect(rateLimitStep(state, T0 + 48_000, perMinute).decision).toEqual({
      effect: 'deny',
      reason: { code: 'rate_limited', retryAfterSeconds: 13, limit: perMinute },
    });
    expect(rateLimitStep(null, T0, perMinute).decision).toEqual({ effect: 'allow' });
  });

  it('keeps the state JSON-friendly', () => {
    const { state } = run(perMinute, [T0, T0 + 1, T0 + 2_500]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toEqual({ bucketMs: 1000, buckets: [[T0, 2], [T0 + 2_000, 1]] });
  });
});
