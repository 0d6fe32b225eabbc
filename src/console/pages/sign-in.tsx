import { Hono } from 'hono';
import { constantTimeEqual } from '../../keys/hash';
import type { ConsoleEnv } from '../context';
import { consoleHeaders, requireSameOriginForm, requireSameOriginSignIn, requireSession } from '../middleware';
import { clearedSessionCookie, createSession, readCookie, readSession, SESSION_COOKIE, sessionCookie } from '../session';
import { SignInPage } from '../views/sign-in';
import { auditConsoleAction } from './shared';

export const HOME = '/admin/connections';

/** Only a console page may be the target after sign-in: never another site, never the API. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !/^\/admin(\/|$|\?)/.test(next) || next.startsWith('/admin/api') || /[\\\s]/.test(next) || next.startsWith('/admin/sign-')) return HOME;
  return next;
}

/** Mounted at /admin itself, so no wildcard middleware here: /admin/* includes the API. */
export const signInRoutes = new Hono<ConsoleEnv>();

signInRoutes.get('/sign-in', consoleHeaders, async (c) => {
  const { config, now } = c.var.services;
  const next = safeNext(c.req.query('next'));
  if (await readSession(config.ADMIN_TOKEN, readCookie(c.req.header('cookie'), SESSION_COOKIE), now())) return c.redirect(next, 303);
  return c.html(<SignInPage next={next} signedOut={c.req.query('signed_out') === '1'} />);
});

signInRoutes.post('/sign-in', consoleHeaders, requireSameOriginSignIn, async (c) => {
  const { config, now } = c.var.services;
  const form = c.get('form');
  const next = safeNext(form.get('next'));
  if (!constantTimeEqual(form.get('token') ?? '', config.ADMIN_TOKEN)) {
    console.warn(JSON.stringify({ msg: 'console sign-in failed' }));
    return c.html(<SignInPage next={next} error="That is not the admin token." />, 401);
  }
  const { cookieValue } = await createSession(config.ADMIN_TOKEN, now());
  auditConsoleAction(c, { action: 'console.sign_in' });
  c.header('set-cookie', sessionCookie(cookieValue));
  return c.redirect(next, 303);
});

signInRoutes.post('/sign-out', consoleHeaders, requireSession, requireSameOriginForm, async (c) => {
  auditConsoleAction(c, { action: 'console.sign_out' });
  c.header('set-cookie', clearedSessionCookie());
  return c.redirect('/admin/sign-in?signed_out=1', 303);
});
