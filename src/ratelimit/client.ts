import type { Principal } from '../auth/principal';
import type { Decision } from '../policy/decision';
import type { RateLimiter } from './durable-object';

const ALLOW: Decision = { effect: 'allow' };

/** Consumes one call of the connection's rate limit; connections without one never touch the Durable Object. */
export async function consumeRateLimit(
  namespace: DurableObjectNamespace,
  principal: Principal,
  now: number,
): Promise<Decision> {
  const limit = principal.connection.scope.rate_limit;
  if (!limit) return ALLOW;
  const limiters = namespace as unknown as DurableObjectNamespace<RateLimiter>;
  const stub = limiters.get(limiters.idFromName(principal.connection.id));
  const answer = await stub.take(limit, now);
  return answer.allowed ? ALLOW : { effect: 'deny', reason: { code: 'rate_limited', retryAfterSeconds: answer.retryAfterSeconds, limit } };
}
