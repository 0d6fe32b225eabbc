import { Hono, type Context } from 'hono';
import { accessTokenOf } from '../../admins/access-jwt';
import { BOOTSTRAP_ACTOR, type AdminPrincipal } from '../../admins/actor';
import { accessSettings, authenticateAccess } from '../../admins/authenticate';
import { checkAdminToken } from '../../admins/tokens';
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
  const refused = await accessRefusal(c);
  if (refused) return c.html(<SignInPage next={next} error={refused} />, 403);
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
  const { db, keys } = c.var.services;
  const signedIn = await tokenSignIn(c, form.get('token') ?? '');
  if (!signedIn.ok) {
    log.warn({ msg: 'console sign-in failed', reason: signedIn.code });
    await countFailedSignIn(c.env.RATE_LIMITER, ip, now());
    auditConsoleAction(c, { action: 'console.sign_in', denied: { code: signedIn.code, reason: signedIn.reason } });
    return c.html(<SignInPage next={next} error={signedIn.words} />, 401);
  }
  c.set('admin', signedIn.principal);
  const secrets = { adminToken: config.ADMIN_TOKEN, pepper: keys.pepper };
  const { cookieValue } = await createSession(db, secrets, now(), signedIn.principal.actor);
  c.executionCtx.waitUntil(
    tidySessions(db, secrets, now()).catch((error) => log.warn({ msg: 'console session housekeeping failed', error: String(error) })),
  );
  auditConsoleAction(c, { action: 'console.sign_in' });
  c.header('set-cookie', sessionCookie(cookieValue));
  return c.redirect(next, 303);
});

type TokenSignIn = { ok: true; principal: AdminPrincipal } | { ok: false; code: string; reason: string; words: string };

/** The ADMIN_TOKEN (owner) or a live named admin token (its role); anything else is a failed sign-in. */
async function tokenSignIn(c: Context<ConsoleEnv>, token: string): Promise<TokenSignIn> {
  const { config, db, keys, now } = c.var.services;
  if (constantTimeEqual(token, config.ADMIN_TOKEN)) return { ok: true, principal: { actor: BOOTSTRAP_ACTOR, role: 'owner' } };
  const check = await checkAdminToken(db, keys.pepper, token.trim(), now());
  if (check.ok) return { ok: true, principal: { actor: { kind: 'token', id: check.row.id, name: check.row.name }, role: check.row.role } };
  if (check.problem === 'revoked') return { ok: false, code: 'admin_token_revoked', reason: 'the admin token given was revoked', words: 'That admin token was revoked.' };
  if (check.problem === 'expired') return { ok: false, code: 'admin_token_expired', reason: 'the admin token given has expired', words: 'That admin token has expired.' };
  return { ok: false, code: 'wrong_admin_token', reason: 'the token given is neither the admin token nor a named admin token', words: 'That is not the admin token. Named admin tokens start with oadm_.' };
}

/** With Access configured: why the person Access let through cannot use the console (no role, or a refused token), audited. */
async function accessRefusal(c: Context<ConsoleEnv>): Promise<string | null> {
  const { config, db, keys, now } = c.var.services;
  const settings = accessSettings(config);
  const access = settings ? accessTokenOf(c.req.raw) : null;
  if (!settings || !access) return null;
  const result = await authenticateAccess(access.token, settings, { config, db, pepper: keys.pepper, now: now() });
  if (result.ok) return null;
  auditConsoleAction(c, { action: 'console.sign_in', ...(result.actor ? { actor: result.actor } : {}), denied: { code: result.code, reason: result.reason } });
  return result.message;
}

signInRoutes.post('/sign-out', consoleHeaders, requireSession, requireSameOriginForm, async (c) => {
  // Ended in D1 before the answer: clearing the cookie alone would leave any copy of it valid.
  await endSession(c.var.services.db, c.var.session.id, c.var.services.now(), 'signed_out');
  auditConsoleAction(c, { action: 'console.sign_out' });
  c.header('set-cookie', clearedSessionCookie());
  return c.redirect('/admin/sign-in?signed_out=1', 303);
});
