import { createMiddleware } from 'hono/factory';
import { clientIp, type AppEnv } from '../http/context';
import { authenticateBearer } from './authenticate';

const CHALLENGE = 'Bearer realm="odoo-mcp-gateway"';

/**
 * Every failure gets the same 401 body and challenge; only the log says
 * which check failed, so a caller cannot probe keys.
 */
export const requireBearerKey = createMiddleware<AppEnv>(async (c, next) => {
  const { db, config, keys, now } = c.var.services;
  const result = await authenticateBearer(c.req.header('authorization') ?? null, c.req.header('mcp-session-id') ?? null, {
    db,
    config,
    keys,
    now: now(),
  });
  if (!result.ok) {
    console.warn(
      JSON.stringify({ msg: 'mcp authentication failed', reason: result.failure, keyPublicId: result.keyPublicId ?? null, ip: clientIp(c.req.raw) }),
    );
    return c.json(
      { error: { code: 'unauthorized', message: 'A valid API key is required: send Authorization: Bearer <key>.', details: null } },
      401,
      { 'WWW-Authenticate': CHALLENGE },
    );
  }
  c.set('principal', result.principal);
  await next();
});
