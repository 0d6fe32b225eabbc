import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Cloudflare Access JWTs (Cf-Access-Jwt-Assertion header, CF_Authorization
 * cookie), verified with jose against the team's signing keys: signature,
 * aud, iss, exp and nbf. Only RS256 and ES256 are accepted, so an unsigned
 * token (alg none) or one MACed with the public key as an HS256 secret is
 * refused before any key is looked at.
 */
export interface AccessSettings {
  teamDomain: string;
  audience: string;
  /** https://<team domain>/cdn-cgi/access/certs unless overridden (tests). */
  certsUrl: string;
}

export type AccessFailure =
  | 'malformed'
  | 'bad_algorithm'
  | 'bad_signature'
  | 'unknown_key'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'no_email'
  | 'keys_unavailable';

export type AccessVerification = { ok: true; email: string; subject: string | null } | { ok: false; problem: AccessFailure; detail: string };

const ALGORITHMS = ['RS256', 'ES256'];

/**
 * One key set per certs URL and isolate. jose caches the keys (10 minutes)
 * and refetches on an unknown kid at most once per 30 s cooldown, so a flood
 * of tokens with made-up kids cannot turn into a flood of fetches.
 */
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
    if (keySets.size > 4) keySets.clear();
    keySets.set(url, keys);
  }
  return keys;
}

export async function verifyAccessJwt(token: string, settings: AccessSettings, now: number): Promise<AccessVerification> {
  if (token.length > 8192) return { ok: false, problem: 'malformed', detail: 'the token is too long' };
  try {
    const { payload } = await jwtVerify(token, keySetFor(settings.certsUrl), {
      algorithms: ALGORITHMS,
      audience: settings.audience,
      issuer: `https://${settings.teamDomain}`,
      currentDate: new Date(now),
      requiredClaims: ['exp'],
    });
    const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
    if (!email) return { ok: false, problem: 'no_email', detail: 'the token names no email (a service token cannot sign in to the console)' };
    return { ok: true, email, subject: typeof payload.sub === 'string' ? payload.sub : null };
  } catch (error) {
    return classify(error);
  }
}

function classify(error: unknown): AccessVerification & { ok: false } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired', detail: message };
  if (error instanceof errors.JWTClaimValidationFailed) {
    const problem = error.claim === 'nbf' ? 'not_yet_valid' : error.claim === 'aud' ? 'wrong_audience' : error.claim === 'iss' ? 'wrong_issuer' : 'malformed';
    return { ok: false, problem, detail: message };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, problem: 'bad_algorithm', detail: message };
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return { ok: false, problem: 'unknown_key', detail: message };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, problem: 'bad_signature', detail: message };
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) return { ok: false, problem: 'keys_unavailable', detail: message };
  if (error instanceof errors.JOSEError) return { ok: false, problem: 'malformed', detail: message };
  return { ok: false, problem: 'keys_unavailable', detail: message };
}

/** What the console and the API read the token from: the header Access adds to every request, else its cookie. */
export function accessTokenOf(request: Request): { token: string; from: 'header' | 'cookie' } | null {
  const header = request.headers.get('cf-access-jwt-assertion');
  if (header) return { token: header.trim(), from: 'header' };
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index !== -1 && part.slice(0, index).trim() === 'CF_Authorization') return { token: part.slice(index + 1).trim(), from: 'cookie' };
  }
  return null;
}
