import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { roleAllows, type AdminRole } from '../admins/actor';
import { authenticateAdmin } from '../admins/authenticate';
import { recordAdminTokenUse } from '../admins/tokens';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';
import { log } from '../log/log';
import { isOwnOrigin } from '../http/own-origin';
import { auditAdminAction } from '../audit/admin-actions';
import { declaredRole } from './route-roles';

/**
 * Every admin route: who is calling (src/admins/authenticate.ts), then
 * whether their role reaches the role the route declares next to its
 * handler (defineRoute, src/admin/define-route.ts). A route that declares no role
 * is refused for everyone: forgetting one fails closed, and the role matrix
 * test names it.
 */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const { config, db, keys, now } = c.var.services;
  const result = await authenticateAdmin(c.req.raw, { config, db, pepper: keys.pepper, now: now() });
  if (!result.ok) {
    log.warn({ msg: 'admin authentication failed', reason: result.code });
    if (result.actor) {
      auditAdminAction(c, { action: 'admin.sign_in', actor: result.actor, denied: { code: result.code, reason: result.reason } });
      throw new ApiError('forbidden', result.message, { reason: result.code });
    }
    throw new ApiError('unauthorized', result.message);
  }
  // The Access cookie rides along on any request to this host, so a write carried by it must come from our own pages.
  if (result.via === 'access_cookie' && !['GET', 'HEAD'].includes(c.req.method) && !isOwnOrigin(c.req.header('origin'), c.req.url, config.PUBLIC_URL)) {
    throw new ApiError('forbidden', 'A write signed in by the Cloudflare Access cookie must come from this gateway\'s own pages; scripts send Cf-Access-Jwt-Assertion or an admin token.');
  }
  c.set('admin', result.principal);
  const needed = neededRole(c);
  if (needed === undefined) {
    log.error({ msg: 'admin route declares no role', method: c.req.method, path: new URL(c.req.url).pathname });
    throw new ApiError('internal_error', 'This admin route declares no role, so it is refused for everyone.');
  }
  if (needed !== null && !roleAllows(result.principal.role, needed)) {
    auditAdminAction(c, {
      action: 'admin.refused',
      detail: { route: `${c.req.method} ${new URL(c.req.url).pathname}`, role: result.principal.role, required_role: needed },
      denied: { code: 'role_insufficient', reason: `needs the ${needed} role; the caller is ${result.principal.role}` },
    });
    throw new ApiError('forbidden', `This needs the ${needed} role; you are signed in as ${result.principal.role}.`, { required_role: needed, role: result.principal.role });
  }
  if (result.tokenRow) {
    const row = result.tokenRow;
    c.executionCtx.waitUntil(
      recordAdminTokenUse(db, row, now()).catch((error) => log.warn({ msg: 'admin token last use not recorded', error: String(error) })),
    );
  }
  await next();
});

/**
 * The strictest role among the routes matching this request (usually one).
 * Null when no route matches: the answer is the 404 of the not-found handler.
 */
function neededRole(c: Context<AppEnv>): AdminRole | null | undefined {
  const served = matchedRoutes(c).filter((route) => route.method !== 'ALL' && route.path.startsWith('/admin/api/'));
  if (served.length === 0) return null;
  let needed: AdminRole | null = null;
  for (const route of served) {
    const role = declaredRole(route.method, route.path);
    if (role === undefined) return undefined;
    if (role === 'public') continue;
    if (needed === null || roleAllows(role, needed)) needed = role;
  }
  return needed ?? 'owner';
}
