import { Hono } from 'hono';
import { approvalGate } from '../approvals/gate';
import { createMiddleware } from 'hono/factory';
import { recordConnectionDenial } from '../audit/auth-failures';
import { auditEventForCall, type CallSite } from '../audit/from-call';
import { describeDenial } from '../policy/reasons';
import { deliverAuditEvent } from '../audit/sink';
import { requireBearerKey } from '../auth/middleware';
import { clientIp, type AppEnv } from '../http/context';
import { createOdooClient } from '../odoo/client';
import { consumeRateLimit, consumeSessionBudget } from '../ratelimit/client';
import { touchLastUsed } from '../last-used/marks';
import { declaresBodyOver, discardUnreadBody, MAX_BODY_BYTES } from '../http/body';
import { checkConnectionContext } from './connection-checks';
import { handleMcpDelete, handleMcpGet, handleMcpPost, type McpHttpDeps } from './http';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { requireAllowedOrigin } from './origin';
import { isPlainObject } from './params';
import { buildMcpServer, type CallRecord } from './server';
import { endSession, recordLastClient, recordSession } from '../connections/sessions';
import type { Context } from 'hono';
import { log } from '../log/log';

/** A body declared over the limit is answered from Content-Length alone, at once, without waiting for the body. */
const refuseDeclaredOversizedBody = createMiddleware<AppEnv>(async (c, next) => {
  if (declaresBodyOver(c.req.raw)) return jsonRpcErrorResponse(413, JSONRPC.INVALID_REQUEST, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  await next();
});

export const mcpRoutes = new Hono<AppEnv>();

mcpRoutes.use('*', async (c, next) => {
  await next();
  discardUnreadBody(c.req.raw);
});
// Origin, Host and a declared oversized body are refused from the headers alone, before the key is looked up in D1.
mcpRoutes.use('*', requireAllowedOrigin);
mcpRoutes.use('*', refuseDeclaredOversizedBody);
mcpRoutes.use('*', requireBearerKey);
mcpRoutes.use('*', async (c, next) => {
  await next();
  c.executionCtx.waitUntil(touchLastUsed(c.env.LAST_USED, c.var.principal.connection.id, c.var.principal.keyPublicId, c.var.services.now()).catch(logBookkeeping));
});
mcpRoutes.post('/', (c) => handleMcpPost(c.req.raw, httpDeps(c)));
mcpRoutes.delete('/', (c) => handleMcpDelete(c.req.raw, httpDeps(c)));
mcpRoutes.get('/', (c) => handleMcpGet(httpDeps(c)));

function httpDeps(c: Context<AppEnv>): McpHttpDeps {
  const { principal, services } = c.var;
  const ip = clientIp(c.req.raw);
  const userAgent = c.req.header('user-agent') ?? null;
  const auditCall = (session: CallSite['session'], call: CallRecord): void => {
    const event = auditEventForCall({ principal, session, clientIp: ip, userAgent }, call);
    c.executionCtx.waitUntil(deliverAuditEvent(c.env.AUDIT_QUEUE, services.db, event).catch(logBookkeeping));
  };
  return {
    principal,
    buildServer: (session) =>
      buildMcpServer({
        principal,
        session,
        clientIp: ip,
        now: services.now,
        odoo: createOdooClient(principal.odoo, { timeoutMs: services.config.ODOO_TIMEOUT_MS }),
        rateLimit: () => consumeRateLimit(c.env.RATE_LIMITER, principal, services.now()),
        onCall: (call) => auditCall(session, call),
        approvals: (tool, args) =>
          approvalGate(
            {
              db: services.db,
              principal,
              now: services.now,
              audit: (event) => c.executionCtx.waitUntil(deliverAuditEvent(c.env.AUDIT_QUEUE, services.db, event).catch(logBookkeeping)),
            },
            tool,
            args,
          ),
      }),
    openSession: (session) =>
      recordSession(services.db, { ...session, connectionId: principal.connection.id, now: services.now() }),
    closeSession: (sessionId) =>
      endSession(services.db, { id: sessionId, connectionId: principal.connection.id, reason: 'client', now: services.now() }),
    checkConnection: () => checkConnectionContext(principal, ip, services.now()),
    consumeSessionBudget: () => consumeSessionBudget(c.env.RATE_LIMITER, principal, services.now()),
    onInvalidToolCall: (session, params, problem) => auditCall(session, invalidToolCall(params, problem, services.now())),
    onRequestId: (id) => c.set('jsonRpcId', id),
    onClientNamed: (client) =>
      c.executionCtx.waitUntil(recordLastClient(services.db, principal.connection.id, client).catch(logBookkeeping)),
    onDenied: (reason, method) => {
      const denial = {
        at: services.now(),
        method,
        code: reason.code,
        reason: describeDenial(reason),
        keyPublicId: principal.keyPublicId,
        connectionId: principal.connection.id,
        connectionName: principal.connection.name,
        clientIp: ip,
        userAgent,
      };
      c.executionCtx.waitUntil(recordConnectionDenial(services.db, denial).catch(logBookkeeping));
    },
  };
}

function logBookkeeping(error: unknown): void {
  log.error({ msg: 'background bookkeeping failed', error: String(error) });
}

/** The call record of a tools/call refused for its params: the tool's name and arguments only when they have the right shape. */
function invalidToolCall(params: unknown, problem: string, now: number): CallRecord {
  const given = isPlainObject(params) ? params : {};
  return {
    tool: typeof given.name === 'string' && given.name !== '' ? given.name : null,
    args: isPlainObject(given.arguments) ? given.arguments : null,
    outcome: { kind: 'invalid', message: problem },
    startedAt: now,
    latencyMs: 0,
  };
}
