import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { readBodyWithLimit } from '../http/body';
import { isOwnOrigin } from '../http/own-origin';
import { pendingApprovalCount } from './approval-count';
import { constantTimeEqual } from '../keys/hash';
import { adminApiClient, type ApiFetch } from './api-client';
import type { ConsoleEnv } from './context';
import { accessTokenOf } from '../admins/access-jwt';
import { BOOTSTRAP_ACTOR, describeActor, roleAllows, type AdminPrincipal, type AdminRole } from '../admins/actor';
import { accessSettings, authenticateAccess } from '../admins/authenticate';
import { checkAdminTokenById } from '../admins/tokens';
import { auditAdminAction } from '../audit/admin-actions';
import type { AppEnv } from '../http/context';
import { createSession, endSession, readCookie, readSession, SESSION_COOKIE, sessionCookie, type ConsoleSession } from './session';
import { MessagePage } from './views/layout';
import { log } from '../log/log';

const MAX_FORM_BYTES = 64 * 1024;

/** No inline script or style anywhere: the console's own two files are all the page may load. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Console pages show keys and audit data: never framed, never cached, never sniffed. */
export const consoleHeaders = createMiddleware<ConsoleEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
  headers.set('x-frame-options', 'DENY');
  headers.set('x-content-type-options', 'nosniff');
  // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form posts, which the CSRF check refuses.
  headers.set('referrer-policy', 'same-origin');
  headers.set('cross-origin-opener-policy', 'same-origin');
  headers.set('cross-origin-resource-policy', 'same-origin');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
});

/** Gives handlers the in-process admin API client. */
export function provideApi(fetchApi: ApiFetch) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    c.set('api', adminApiClient(c, fetchApi));
    await next();
  });
}

/**
 * Pages need a signed-in admin; anyone else is sent to the sign-in page, and
 * nothing runs. The session row is read on every request, so a sign-out or a
 * changed admin token counts from the very next one.
 */
export const requireSession = createMiddleware<ConsoleEnv>(async (c, next) => {
  const session = await currentSession(c);
  if (!session) {
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
    return c.redirect(`/admin/sign-in${back}`, 303);
  }
  // The console sections have the API client: the navigation shows how many calls wait for approval.
  const api = c.get('api') as ConsoleEnv['Variables']['api'] | undefined;
  c.set('session', api ? { ...session, pendingApprovals: await pendingApprovalCount(api) } : session);
  await next();
});

/**
 * Every state-changing request must come from this console's own pages:
 * the Origin header must be ours, and the form must carry the session's
 * synchronizer token. SameSite=Strict already keeps the cookie off
 * cross-site requests; these two checks hold even where it would not.
 * Runs after requireSession; without a session it refuses.
 */
export const requireSameOriginForm = formGuard({ sessionToken: true });

/** The sign-in form has no session yet: only its origin can be checked. */
export const requireSameOriginSignIn = formGuard({ sessionToken: false });

function formGuard(options: { sessionToken: boolean }) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!isOwnOrigin(c.req.header('origin'), c.req.url, c.var.services.config.PUBLIC_URL)) {
      log.warn({ msg: 'console form refused', reason: 'origin', origin: c.req.header('origin') ?? null });
      return refuse(c, 'This form was not sent from the console itself, so nothing was changed.');
    }
    const form = await readForm(c.req.raw);
    if (!form) return refuse(c, 'The form could not be read, so nothing was changed.', 400);
    if (options.sessionToken) {
      const session = c.get('session');
      if (!session || !constantTimeEqual(form.get('_csrf') ?? '', session.csrfToken)) {
        log.warn({ msg: 'console form refused', reason: 'csrf_token' });
        return refuse(c, 'This form has expired or did not come from your console session, so nothing was changed. Reload the page and try again.');
      }
    }
    c.set('form', form);
    await next();
  });
}

/**
 * The live console session named by the request's cookie, or null; sets
 * c.var.admin to whoever it belongs to, with their role as of now. With
 * Cloudflare Access configured, a request carrying a valid Access JWT of an
 * email with a role opens a session by itself: Access is the sign-in.
 */
export async function currentSession(c: Context<ConsoleEnv>): Promise<ConsoleSession | null> {
  const { config, db, keys, now } = c.var.services;
  const secrets = { adminToken: config.ADMIN_TOKEN, pepper: keys.pepper };
  const session = await readSession(db, secrets, readCookie(c.req.header('cookie'), SESSION_COOKIE), now());
  if (session) {
    const principal = await sessionPrincipal(c, session);
    if (principal) {
      c.set('admin', principal);
      return { ...session, role: principal.role, who: describeActor(principal.actor) };
    }
  }
  const settings = accessSettings(config);
  const access = settings ? accessTokenOf(c.req.raw) : null;
  if (!settings || !access) return null;
  const result = await authenticateAccess(access.token, settings, { config, db, pepper: keys.pepper, now: now() });
  if (!result.ok) return null;
  const created = await createSession(db, secrets, now(), result.principal.actor);
  c.set('admin', result.principal);
  auditAdminAction(c as unknown as Context<AppEnv>, { action: 'console.sign_in', detail: { via: 'access' } });
  c.header('set-cookie', sessionCookie(created.cookieValue));
  return { ...created.session, role: result.principal.role, who: describeActor(result.principal.actor) };
}

/**
 * Who a session belongs to, checked again on every request: a revoked or
 * expired admin token ends its sessions; an Access session needs the same
 * person's valid Access JWT on the request, and the role ACCESS_ADMINS gives
 * them now.
 */
async function sessionPrincipal(c: Context<ConsoleEnv>, session: ConsoleSession): Promise<AdminPrincipal | null> {
  const { config, db, keys, now } = c.var.services;
  const actor = session.actor;
  if (!actor || actor.kind === 'bootstrap') return { actor: BOOTSTRAP_ACTOR, role: 'owner' };
  if (actor.kind === 'token') {
    const check = await checkAdminTokenById(db, actor.id ?? '', now());
    if (check.ok) return { actor: { kind: 'token', id: check.row.id, name: check.row.name }, role: check.row.role };
    await endSession(db, session.id, now(), 'admin_token_revoked');
    return null;
  }
  const settings = accessSettings(config);
  const access = settings ? accessTokenOf(c.req.raw) : null;
  if (!settings || !access) return null;
  const result = await authenticateAccess(access.token, settings, { config, db, pepper: keys.pepper, now: now() });
  if (!result.ok || result.principal.actor.email !== actor.email) {
    if (result.ok) await endSession(db, session.id, now(), 'access_identity_changed');
    return null;
  }
  return result.principal;
}

/** Whether the signed-in admin's role reaches `needed`: pages hide what it does not (the API refuses it anyway). */
export function can(session: ConsoleSession | undefined, needed: AdminRole): boolean {
  return session?.role !== undefined && roleAllows(session.role, needed);
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) return null;
  const body = await readBodyWithLimit(request, MAX_FORM_BYTES);
  return body.ok ? new URLSearchParams(body.text) : null;
}

function refuse(c: Context<ConsoleEnv>, message: string, status: 400 | 403 = 403) {
  return c.html(MessagePage({ title: 'Request refused', message }), status);
}
