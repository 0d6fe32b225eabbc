import { Hono } from 'hono';
import { auditEventForCall } from '../audit/from-call';
import { deliverAuditEvent } from '../audit/sink';
import { requireBearerKey } from '../auth/middleware';
import { clientIp, type AppEnv } from '../http/context';
import { createOdooClient } from '../odoo/client';
import { consumeRateLimit } from '../ratelimit/client';
import { touchLastUsed } from '../status/last-used';
import { handleMcpDelete, handleMcpGet, handleMcpPost, type McpHttpDeps } from './http';
import { buildMcpServer } from './server';
import { endSession, recordSession } from './sessions';
import type { Context } from 'hono';

export const mcpRoutes = new Hono<AppEnv>();

mcpRoutes.use('*', requireBearerKey);
mcpRoutes.use('*', async (c, next) => {
  await next();
  c.executionCtx.waitUntil(touchLastUsed(c.env.LAST_USED, c.var.principal.connection.id, c.var.principal.keyPublicId, c.var.services.now()).catch(logBookkeeping));
});
mcpRoutes.post('/', (c) => handleMcpPost(c.req.raw, httpDeps(c)));
mcpRoutes.delete('/', (c) => handleMcpDelete(c.req.raw, httpDeps(c)));
mcpRoutes.get('/', () => handleMcpGet());

function httpDeps(c: Context<AppEnv>): McpHttpDeps {
  const { principal, services } = c.var;
  const ip = clientIp(c.req.raw);
  const userAgent = c.req.header('user-agent') ?? null;
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
        onCall: (call) => {
          const event = auditEventForCall({ principal, session, clientIp: ip, userAgent }, call);
          c.executionCtx.waitUntil(deliverAuditEvent(c.env.AUDIT_QUEUE, services.db, event).catch(logBookkeeping));
        },
      }),
    openSession: (session) =>
      recordSession(services.db, { ...session, connectionId: principal.connection.id, now: services.now() }),
    closeSession: (sessionId) =>
      endSession(services.db, { id: sessionId, connectionId: principal.connection.id, reason: 'client', now: services.now() }),
  };
}

function logBookkeeping(error: unknown): void {
  console.error(JSON.stringify({ msg: 'background bookkeeping failed', error: String(error) }));
}
