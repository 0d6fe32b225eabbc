import type { Config } from '../config/env';
import type { Database } from '../db/client';
import { constantTimeEqual } from '../keys/hash';
import { accessTokenOf, verifyAccessJwt, type AccessSettings } from './access-jwt';
import { BOOTSTRAP_ACTOR, type AdminActor, type AdminPrincipal, type AdminRole } from './actor';
import { delegatedAdmin } from './delegation';
import { checkAdminToken, type AdminTokenRow } from './tokens';

/**
 * The one seam that turns a request into an admin principal, like
 * src/auth/authenticate.ts does for MCP keys. Failures are values with a
 * precise reason (for logs and audit); the wire gets a short message.
 */
export type AdminAuthFailure = {
  ok: false;
  status: 401 | 403;
  code: string;
  reason: string;
  message: string;
  actor?: AdminActor;
};

export type AdminAuthResult = { ok: true; principal: AdminPrincipal; tokenRow?: AdminTokenRow; via: 'bearer' | 'access_header' | 'access_cookie' | 'console' } | AdminAuthFailure;

export interface AdminAuthDeps {
  config: Config;
  db: Database;
  pepper: CryptoKey;
  now: number;
}

export function accessSettings(config: Config): AccessSettings | null {
  if (!config.ACCESS_TEAM_DOMAIN || !config.ACCESS_AUD) return null;
  return {
    teamDomain: config.ACCESS_TEAM_DOMAIN,
    audience: config.ACCESS_AUD,
    certsUrl: config.ACCESS_CERTS_URL ?? `https://${config.ACCESS_TEAM_DOMAIN}/cdn-cgi/access/certs`,
  };
}

export function accessRoleOf(config: Config, email: string): AdminRole | null {
  return config.ACCESS_ADMINS.get(email.toLowerCase()) ?? null;
}

const REFUSED = 'A valid admin credential is required: send Authorization: Bearer <admin token>, or sign in through Cloudflare Access.';

export async function authenticateAdmin(request: Request, deps: AdminAuthDeps): Promise<AdminAuthResult> {
  const delegated = delegatedAdmin(request);
  if (delegated) return { ok: true, principal: delegated, via: 'console' };

  const header = request.headers.get('authorization');
  if (header !== null) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) return refuse('missing_or_malformed_header', 'the Authorization header is not Bearer <token>');
    return bearer(match[1]!, deps);
  }
  const settings = accessSettings(deps.config);
  const access = settings ? accessTokenOf(request) : null;
  if (!settings || !access) return refuse('missing_or_malformed_header', 'no Authorization header and no Cloudflare Access token');
  const result = await authenticateAccess(access.token, settings, deps);
  return result.ok ? { ...result, via: access.from === 'header' ? 'access_header' : 'access_cookie' } : result;
}

async function bearer(token: string, deps: AdminAuthDeps): Promise<AdminAuthResult> {
  if (constantTimeEqual(token, deps.config.ADMIN_TOKEN)) return { ok: true, principal: { actor: BOOTSTRAP_ACTOR, role: 'owner' }, via: 'bearer' };
  const check = await checkAdminToken(deps.db, deps.pepper, token, deps.now);
  if (check.ok) {
    const { row } = check;
    return { ok: true, principal: { actor: { kind: 'token', id: row.id, name: row.name }, role: row.role }, tokenRow: row, via: 'bearer' };
  }
  if (check.problem === 'revoked') return refuse('admin_token_revoked', 'the admin token was revoked', 'This admin token was revoked.');
  if (check.problem === 'expired') return refuse('admin_token_expired', 'the admin token is past its expiry', 'This admin token has expired.');
  return refuse('wrong_token', check.problem === 'malformed' ? 'the token is neither the admin token nor an admin token (oadm_...)' : 'no admin token has this value');
}

/** Verified, then mapped to a role: a valid person with no role is known but refused (403), not anonymous (401). */
export async function authenticateAccess(token: string, settings: AccessSettings, deps: AdminAuthDeps): Promise<{ ok: true; principal: AdminPrincipal } | AdminAuthFailure> {
  const verified = await verifyAccessJwt(token, settings, deps.now);
  if (!verified.ok) {
    return refuse(`access_${verified.problem}`, `Cloudflare Access token refused: ${verified.detail}`, 'The Cloudflare Access token was refused; sign in through Access again.');
  }
  const actor: AdminActor = { kind: 'access', email: verified.email };
  const role = accessRoleOf(deps.config, verified.email);
  if (!role) {
    return {
      ok: false,
      status: 403,
      code: 'no_admin_role',
      reason: `${verified.email} signed in through Cloudflare Access but holds no admin role (ACCESS_ADMINS)`,
      message: `${verified.email} has no admin role on this gateway. An owner can give it one in ACCESS_ADMINS.`,
      actor,
    };
  }
  return { ok: true, principal: { actor, role } };
}

function refuse(code: string, reason: string, message = REFUSED): AdminAuthFailure {
  return { ok: false, status: 401, code, reason, message };
}
