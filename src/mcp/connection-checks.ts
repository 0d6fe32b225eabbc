import type { Principal } from '../auth/principal';
import type { Decision, DenialReason } from '../policy/decision';
import { describeDenial } from '../policy/reasons';
import { checkRequestContext } from '../policy/request';
import { sessionBudget } from '../ratelimit/client';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';

/**
 * Validity, client IP and time window hold for the connection as a whole, so
 * they are checked on every /mcp request, not only on tool calls: a key used
 * from the wrong address or at the wrong hour cannot open sessions or list
 * tools either. Pure: the caller passes the client address and the time.
 */
export function checkConnectionContext(principal: Principal, ip: string | null, now: number): Decision {
  const { connection } = principal;
  return checkRequestContext(connection.scope, {
    ip,
    now: new Date(now),
    notBefore: connection.notBefore === null ? null : new Date(connection.notBefore).toISOString(),
    expiresAt: connection.expiresAt === null ? null : new Date(connection.expiresAt).toISOString(),
  });
}

/** A refused request, worded as a refused tool call is, with the reason's code in `error.data`. */
export function deniedResponse(reason: DenialReason, id: string | number | null): Response {
  return jsonRpcErrorResponse(403, JSONRPC.SERVER_ERROR, `Denied: ${describeDenial(reason)}`, {}, { id, data: { type: 'denied', code: reason.code } });
}

/** initialize or tools/list over the session budget (see sessionBudget): 429 with Retry-After. */
export function sessionBudgetResponse(reason: DenialReason, id: string | number | null): Response {
  if (reason.code !== 'rate_limited' || reason.limit === undefined) return deniedResponse(reason, id);
  const { limit, retryAfterSeconds } = reason;
  const budget = sessionBudget(limit);
  const message =
    `Denied: this connection opened sessions or listed tools ${budget.requests} times in ${budget.per_seconds} s, ` +
    `twice its rate limit of ${limit.requests} requests per ${limit.per_seconds} s; retry in ${retryAfterSeconds} s`;
  return jsonRpcErrorResponse(429, JSONRPC.SERVER_ERROR, message, { 'Retry-After': String(retryAfterSeconds) }, {
    id,
    data: { type: 'denied', code: 'rate_limited', retry_after_seconds: retryAfterSeconds },
  });
}
