import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';
import { constantTimeEqual } from '../keys/hash';
import { log } from '../log/log';

/**
 * Admin routes take only the admin token, compared in constant time. An MCP
 * key is never an admin token (and the admin token never opens /mcp: it
 * does not have the key format).
 */
export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match || !constantTimeEqual(match[1]!, c.var.services.config.ADMIN_TOKEN)) {
    log.warn({ msg: 'admin authentication failed', reason: match ? 'wrong_token' : 'missing_or_malformed_header' });
    throw new ApiError('unauthorized', 'A valid admin token is required: send Authorization: Bearer <ADMIN_TOKEN>.');
  }
  await next();
});
