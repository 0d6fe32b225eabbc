import { DurableObject } from 'cloudflare:workers';
import { rateLimitStep, type RateLimitState } from '../policy/rate-limit';

export interface RateLimitAnswer {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * One instance per connection: a single-threaded owner of the counter, so
 * concurrent calls from everywhere are counted exactly. The state survives
 * eviction in the object's own storage.
 */
export class RateLimiter extends DurableObject {
  take(limit: { requests: number; per_seconds: number }, nowMs: number): RateLimitAnswer {
    const previous = (this.ctx.storage.kv.get<RateLimitState>('state') ?? null) as RateLimitState | null;
    const step = rateLimitStep(previous, nowMs, limit);
    this.ctx.storage.kv.put('state', step.state);
    return { allowed: step.allowed, retryAfterSeconds: step.retryAfterSeconds };
  }

  /** Whether one more would be allowed, without counting it (a sign-in counts only its failures). */
  peek(limit: { requests: number; per_seconds: number }, nowMs: number): RateLimitAnswer {
    const previous = (this.ctx.storage.kv.get<RateLimitState>('state') ?? null) as RateLimitState | null;
    const step = rateLimitStep(previous, nowMs, limit);
    return { allowed: step.allowed, retryAfterSeconds: step.retryAfterSeconds };
  }
}
