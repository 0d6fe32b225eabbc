import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { verifyAccessJwt, type AccessSettings } from '../../../src/admins/access-jwt';
import { authenticateAccess } from '../../../src/admins/authenticate';
import { configSchema } from '../../../src/config/env';

/**
 * Cloudflare Access JWTs against a JWKS served on loopback by this test, signed here with jose.
 * Each bad token is refused with its own reason.
 */
const TEAM = 'team.example.cloudflareaccess.com';
const AUD = 'aud-tag-0123456789';
const NOW = Date.parse('2026-12-03T12:00:00Z');
const seconds = (ms: number) => Math.floor(ms / 1000);

let server: Server;
let settings: AccessSettings;
let certsFetches = 0;
let rsa: { privateKey: CryptoKey; publicJwk: JWK };
let ec: { privateKey: CryptoKey; publicJwk: JWK };
let stranger: CryptoKey;
const served: JWK[] = [];

async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

beforeAll(async () => {
  rsa = await keyPair('RS256', 'rsa-1');
  ec = await keyPair('ES256', 'ec-1');
  stranger = (await keyPair('RS256', 'stranger')).privateKey;
  served.push(rsa.publicJwk, ec.publicJwk);
  server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/cdn-cgi/access/certs') return void response.writeHead(404).end();
    certsFetches++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  settings = { teamDomain: TEAM, audience: AUD, certsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cdn-cgi/access/certs` };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Claims {
  aud?: string;
  iss?: string;
  exp?: number;
  nbf?: number;
  email?: string;
}

function sign(claims: Claims = {}, key: { privateKey: CryptoKey; kid: string; alg: string } = { privateKey: rsa.privateKey, kid: 'rsa-1', alg: 'RS256' }) {
  const { aud = AUD, iss = `https://${TEAM}`, exp = seconds(NOW) + 600, nbf = seconds(NOW) - 60, email = 'Ana@Example.com' } = claims;
  return new SignJWT({ email, type: 'app' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setAudience(aud)
    .setIssuer(iss)
    .setSubject('user-1')
    .setIssuedAt(seconds(NOW) - 60)
    .setNotBefore(nbf)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

describe('a good Access JWT', () => {
  it('is accepted with RS256, and names its email in lower case', async () => {
    expect(await verifyAccessJwt(await sign(), settings, NOW)).toEqual({ ok: true, email: 'ana@example.com', subject: 'user-1' });
  });

  it('is accepted with ES256', async () => {
    const token = await sign({}, { privateKey: ec.privateKey, kid: 'ec-1', alg: 'ES256' });
    expect(await verifyAccessJwt(token, settings, NOW)).toMatchObject({ ok: true, email: 'ana@example.com' });
  });
});

describe('bad Access JWTs, each refused with its reason', () => {
  it.each([
    ['expired', { exp: seconds(NOW) - 1 }, 'expired'],
    ['not yet valid', { nbf: seconds(NOW) + 120 }, 'not_yet_valid'],
    ['for another application (aud)', { aud: 'someone-elses-aud' }, 'wrong_audience'],
    ['from another team (iss)', { iss: 'https://evil.cloudflareaccess.com' }, 'wrong_issuer'],
  ] as const)('%s', async (_label, claims, problem) => {
    expect(await verifyAccessJwt(await sign(claims), settings, NOW)).toMatchObject({ ok: false, problem });
  });

  it('unsigned (alg none)', async () => {
    const payload = { email: 'ana@example.com', aud: AUD, iss: `https://${TEAM}`, exp: seconds(NOW) + 600 };
    const token = `${b64url({ alg: 'none', kid: 'rsa-1' })}.${b64url(payload)}.`;
    expect(await verifyAccessJwt(token, settings, NOW)).toMatchObject({ ok: false, problem: 'bad_algorithm' });
  });

  it('HS256 with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
    const token = await new SignJWT({ email: 'ana@example.com' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setAudience(AUD)
      .setIssuer(`https://${TEAM}`)
      .setExpirationTime(seconds(NOW) + 600)
      .sign(secret);
    expect(await verifyAccessJwt(token, settings, NOW)).toMatchObject({ ok: false, problem: 'bad_algorithm' });
  });

  it('signed by a key the team does not have, under a kid it names', async () => {
    const token = await sign({}, { privateKey: stranger, kid: 'rsa-1', alg: 'RS256' });
    expect(await verifyAccessJwt(token, settings, NOW)).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('an unknown kid refetches the key set once, then is refused; a second unknown kid inside the cooldown fetches nothing', async () => {
    // A fresh URL (a query) gets its own key set, so this test counts its own fetches.
    const own = { ...settings, certsUrl: `${settings.certsUrl}?unknown-kid` };
    await verifyAccessJwt(await sign(), own, NOW);
    const before = certsFetches;
    const unknown = await sign({}, { privateKey: stranger, kid: 'unknown-kid', alg: 'RS256' });
    expect(await verifyAccessJwt(unknown, own, NOW)).toMatchObject({ ok: false, problem: 'unknown_key' });
    const afterFirst = certsFetches;
    expect(afterFirst - before).toBeLessThanOrEqual(1);
    expect(await verifyAccessJwt(await sign({}, { privateKey: stranger, kid: 'another-unknown', alg: 'RS256' }), own, NOW)).toMatchObject({ ok: false, problem: 'unknown_key' });
    expect(certsFetches).toBe(afterFirst);
  });

  it('a key added to the team is picked up on its unknown kid', async () => {
    const fresh = await keyPair('ES256', 'rotated-in');
    const own = { ...settings, certsUrl: `${settings.certsUrl}?rotation` };
    await verifyAccessJwt(await sign(), own, NOW);
    served.push(fresh.publicJwk);
    // jose refetches on an unknown kid once its 30 s cooldown has passed since the last fetch.
    const later = Date.now() + 31_000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      const token = await sign({}, { privateKey: fresh.privateKey, kid: 'rotated-in', alg: 'ES256' });
      const result = await verifyAccessJwt(token, own, NOW);
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    } finally {
      Date.now = realNow;
    }
  });

  it('garbage', async () => {
    expect(await verifyAccessJwt('not.a.jwt', settings, NOW)).toMatchObject({ ok: false, problem: 'malformed' });
  });
});

describe('Access email to role', () => {
  const config = configSchema.parse({
    ADMIN_TOKEN: 'x'.repeat(32),
    KEY_PEPPER: 'y'.repeat(32),
    CREDENTIALS_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    ACCESS_TEAM_DOMAIN: TEAM,
    ACCESS_AUD: AUD,
    ACCESS_ADMINS: 'operator:ana@example.com, viewer:bo@example.com',
  });
  const deps = { config, db: undefined as never, pepper: undefined as never, now: NOW };

  it('gives a listed email its role', async () => {
    expect(await authenticateAccess(await sign(), settings, deps)).toEqual({ ok: true, principal: { actor: { kind: 'access', email: 'ana@example.com' }, role: 'operator' } });
  });

  it('refuses an email with no role with 403, naming the email', async () => {
    const result = await authenticateAccess(await sign({ email: 'eve@example.com' }), settings, deps);
    expect(result).toMatchObject({ ok: false, status: 403, code: 'no_admin_role', actor: { kind: 'access', email: 'eve@example.com' } });
  });

  it('refuses a bad token with 401 before any role is looked at', async () => {
    expect(await authenticateAccess(await sign({ exp: seconds(NOW) - 5 }), settings, deps)).toMatchObject({ ok: false, status: 401, code: 'access_expired' });
  });

  it.each([
    ['an unknown role', 'admin:ana@example.com', /not role:email/],
    ['no email', 'owner:ana', /not role:email/],
    ['an email twice', 'owner:a@x.com,viewer:A@x.com', /listed twice/],
  ])('refuses ACCESS_ADMINS with %s at config load', (_label, value, message) => {
    const parsed = configSchema.safeParse({ ...config, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_ADMINS: value, CONNECTED_WINDOW: '15m', MCP_ALLOWED_ORIGINS: '' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });

  it('refuses ACCESS_TEAM_DOMAIN without ACCESS_AUD, and a plain-http certs URL off loopback', () => {
    const base = { ADMIN_TOKEN: 'x'.repeat(32), KEY_PEPPER: 'y'.repeat(32), CREDENTIALS_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' };
    expect(configSchema.safeParse({ ...base, ACCESS_TEAM_DOMAIN: TEAM }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_CERTS_URL: 'http://example.com/certs' }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_CERTS_URL: 'http://127.0.0.1:9/certs' }).success).toBe(true);
  });
});
