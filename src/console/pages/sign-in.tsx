import { Hono } from 'hono';
import { clientIp } from '../../http/context';
import { constantTimeEqual } from '../../keys/hash';
import { countFailedSignIn, SIGN_IN_FAILURES, signInBlockedFor } from '../../ratelimit/client';
import type { ConsoleEnv } from '../context';
import { consoleHeaders, currentSession, requireSameOriginForm, requireSameOriginSignIn, requireSession } from '../middleware';
import { clearedSessionCookie, createSession, endSession, sessionCookie, tidySessions } from '../session';
import { SignInPage } from '../views/sign-in';
import { auditConsoleAction } from './shared';
import { log } from '../../log/log';

export const HOME = '/admin/connections';

/** Only a console page may be the target after sign-in: never another site, never the API. */
export function safeNext(next: string | undefined | null): string {
  // The OAuth consent page sends an admin here and expects to be sent back, query and all.
  if (next && /^\/authorize\?[^\\\s]*$/.test(next)) return next;
  if (!next || !/^\/admin(\/|$|\?)/.test(next) || next.startsWith('/admin/api') || /[\\\s]/.test(next) || next.startsWith('/admin/sign-')) return HOME;
  return next;
}

/** Mounted at /admin itself, so no wildcard middleware here: /admin/* includes the API. */
export const signInRoutes = new Hono<ConsoleEnv>();

signInRoutes.get('/sign-in', consoleHeaders, async (c) => {
  const next = safeNext(c.req.query('next'));
  if (await currentSession(c)) return c.redirect(next, 303);
  return c.html(<SignInPage next={next} signedOut={c.req.query('signed_out') === '1'} />);
});

signInRoutes.post('/sign-in', consoleHeaders, requireSameOriginSignIn, async (c) => {
  const { config, now } = c.var.services;
  const form = c.get('form');
  const next = safeNext(form.get('next'));
  const ip = clientIp(c.req.raw);
  // Checked before the token, so a guess made while throttled is never tried, right or wrong.
  const wait = await signInBlockedFor(c.env.RATE_LIMITER, ip, now());
  if (wait !== null) {
    auditConsoleAction(c, { action: 'console.sign_in', denied: { code: 'sign_in_throttled', reason: `more than ${SIGN_IN_FAILURES.requests} failed sign-ins a minute from this address` } });
    c.header('retry-after', String(wait));
    return c.html(<SignInPage next={next} error={`Too many failed sign-ins from this address. Try again in ${wait} seconds.`} />, 429);
  }
  if (!constantTimeEqual(form.get('token') ?? '', config.ADMIN_TOKEN)) {
    log.warn({ msg: 'console sign-in failed' });
    await countFailedSignIn(c.env.RATE_LIMITER, ip, now());
    auditConsoleAction(c, { action: 'console.sign_in', denied: { code: 'wrong_admin_token', reason: 'the token given is not the admin token' } });
    return c.html(<SignInPage next={next} error="That is not the admin token." />, 401);
  }
  const { db, keys } = c.var.services;
  const secrets = { adminToken: config.ADMIN_TOKEN, pepper: keys.pepper };
  const { cookieValue } = await createSession(db, secrets, now());
  c.executionCtx.waitUntil(
    tidySessions(db, secrets, now()).catch((error) => log.warn({ msg: 'console session housekeeping failed', error: String(error) })),
  );
  auditConsoleAction(c, { action: 'console.sign_in' });
  c.header('set-cookie', sessionCookie(cookieValue));
  return c.redirect(next, 303);
});

signInRoutes.post('/sign-out', consoleHeaders, requireSession, requireSameOriginForm, async (c) => {
  // Ended in D1 before the answer: clearing the cookie alone would leave any copy of it valid.
  await endSession(c.var.services.db, c.var.session.id, c.var.services.now(), 'signed_out');
  auditConsoleAction(c, { action: 'console.sign_out' });
  c.header('set-cookie', clearedSessionCookie());
  return c.redirect('/admin/sign-in?signed_out=1', 303);
});
