import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { readBodyWithLimit } from '../http/body';
import { pendingApprovalCount } from './approval-count';
import { constantTimeEqual } from '../keys/hash';
import { adminApiClient, type ApiFetch } from './api-client';
import type { ConsoleEnv } from './context';
import { readCookie, readSession, SESSION_COOKIE, type ConsoleSession } from './session';
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

/** The live console session named by the request's cookie, or null. */
export function currentSession(c: Context<ConsoleEnv>): Promise<ConsoleSession | null> {
  const { config, db, keys, now } = c.var.services;
  return readSession(db, { adminToken: config.ADMIN_TOKEN, pepper: keys.pepper }, readCookie(c.req.header('cookie'), SESSION_COOKIE), now());
}

export function isOwnOrigin(origin: string | undefined, requestUrl: string, publicUrl: string | undefined): boolean {
  if (!origin) return false;
  const allowed = new Set([new URL(requestUrl).origin]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return allowed.has(origin);
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) return null;
  const body = await readBodyWithLimit(request, MAX_FORM_BYTES);
  return body.ok ? new URLSearchParams(body.text) : null;
}

function refuse(c: Context<ConsoleEnv>, message: string, status: 400 | 403 = 403) {
  return c.html(MessagePage({ title: 'Request refused', message }), status);
}
