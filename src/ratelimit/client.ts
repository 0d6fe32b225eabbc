import type { Principal } from '../auth/principal';
import type { Decision } from '../policy/decision';
import type { RateLimitRule } from '../policy/scope';
import type { RateLimiter } from './durable-object';

const ALLOW: Decision = { effect: 'allow' };

/** Takes one request from the Durable Object named `name`, against `window`; a refusal reports the connection's own limit. */
async function take(namespace: DurableObjectNamespace, name: string, window: RateLimitRule, limit: RateLimitRule, now: number): Promise<Decision> {
  const limiters = namespace as unknown as DurableObjectNamespace<RateLimiter>;
  const answer = await limiters.get(limiters.idFromName(name)).take(window, now);
  return answer.allowed ? ALLOW : { effect: 'deny', reason: { code: 'rate_limited', retryAfterSeconds: answer.retryAfterSeconds, limit } };
}

/** Consumes one call of the connection's rate limit; connections without one never touch the Durable Object. */
export async function consumeRateLimit(namespace: DurableObjectNamespace, principal: Principal, now: number): Promise<Decision> {
  const limit = principal.connection.scope.rate_limit;
  return limit ? take(namespace, principal.connection.id, limit, limit, now) : ALLOW;
}

/**
 * Requests that open a session (initialize) or list tools are counted apart
 * from tool calls, against twice the connection's rate limit in the same
 * window: a client's handshake is one of each, so a key may open as many
 * sessions as it may make calls, and no more. Counted apart so that the
 * handshake never eats the calls the limit promises.
 */
export function sessionBudget(limit: { requests: number; per_seconds: number }): { requests: number; per_seconds: number } {
  return { requests: limit.requests * 2, per_seconds: limit.per_seconds };
}

/** Consumes one initialize or tools/list of the connection's session budget; connections without a rate limit have none. */
export async function consumeSessionBudget(
  namespace: DurableObjectNamespace,
  principal: Principal,
  now: number,
): Promise<Decision> {
  const limit = principal.connection.scope.rate_limit;
  return limit ? take(namespace, `mcp-sessions:${principal.connection.id}`, sessionBudget(limit), limit, now) : ALLOW;
}

/** Failed console sign-ins allowed per client address and minute; the next attempt is answered 429. */
export const SIGN_IN_FAILURES = { requests: 10, per_seconds: 60 } as const;

function signInLimiter(namespace: DurableObjectNamespace, clientIp: string | null) {
  const limiters = namespace as unknown as DurableObjectNamespace<RateLimiter>;
  return limiters.get(limiters.idFromName(`console-sign-in:${clientIp ?? 'unknown'}`));
}

/** Seconds to wait when this address has used up its failed sign-ins, else null. Checked before the token is. */
export async function signInBlockedFor(namespace: DurableObjectNamespace, clientIp: string | null, now: number): Promise<number | null> {
  const answer = await signInLimiter(namespace, clientIp).peek(SIGN_IN_FAILURES, now);
  return answer.allowed ? null : answer.retryAfterSeconds;
}

export async function countFailedSignIn(namespace: DurableObjectNamespace, clientIp: string | null, now: number): Promise<void> {
  await signInLimiter(namespace, clientIp).take(SIGN_IN_FAILURES, now);
}

/** Requests per client address and minute to the OAuth token and registration endpoints. */
export const OAUTH_ENDPOINT_LIMITS = {
  token: { requests: 60, per_seconds: 60 },
  register: { requests: 10, per_seconds: 60 },
} as const;

/** Seconds to wait when this address has used up the endpoint's budget, else null (and one request is taken). */
export async function takeOAuthEndpointBudget(
  namespace: DurableObjectNamespace,
  endpoint: keyof typeof OAUTH_ENDPOINT_LIMITS,
  clientIp: string | null,
  now: number,
): Promise<number | null> {
  const limiters = namespace as unknown as DurableObjectNamespace<RateLimiter>;
  const answer = await limiters.get(limiters.idFromName(`oauth-${endpoint}:${clientIp ?? 'unknown'}`)).take(OAUTH_ENDPOINT_LIMITS[endpoint], now);
  return answer.allowed ? null : answer.retryAfterSeconds;
}
