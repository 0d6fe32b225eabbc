import { constantTimeEqual } from '../keys/hash';

/**
 * The console session is a signed value, never the admin token: the cookie
 * holds a random session id and an expiry, authenticated with a key derived
 * (HKDF) from the admin token. Changing the admin token therefore ends every
 * console session, and the cookie is useless anywhere but this console.
 */
export const SESSION_COOKIE = '__Host-omcp_console';
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

const VERSION = 'v1';

export interface ConsoleSession {
  id: string;
  expiresAt: number;
  /** Synchronizer token for forms: an HMAC of the session id, so it needs no storage and dies with the session. */
  csrfToken: string;
}

const derived = new Map<string, Promise<CryptoKey>>();

function sessionKey(adminToken: string): Promise<CryptoKey> {
  let key = derived.get(adminToken);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', new TextEncoder().encode(adminToken), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('odoo-mcp-gateway console session v1') },
          material,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign'],
        ),
      );
    // One admin token per deployment; the map never grows past the tokens seen by this isolate.
    derived.clear();
    derived.set(adminToken, key);
  }
  return key;
}

async function mac(adminToken: string, text: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await sessionKey(adminToken), new TextEncoder().encode(text));
  return base64url(new Uint8Array(signature));
}

export async function createSession(adminToken: string, now: number): Promise<{ cookieValue: string; session: ConsoleSession }> {
  const id = base64url(crypto.getRandomValues(new Uint8Array(18)));
  const expiresAt = now + SESSION_TTL_SECONDS * 1000;
  const payload = `${VERSION}.${id}.${expiresAt}`;
  const cookieValue = `${payload}.${await mac(adminToken, payload)}`;
  return { cookieValue, session: { id, expiresAt, csrfToken: await mac(adminToken, `csrf.${id}`) } };
}

/** Null for anything that is not an unexpired value this deployment signed; the reason does not matter to the caller. */
export async function readSession(adminToken: string, cookieValue: string | undefined, now: number): Promise<ConsoleSession | null> {
  if (!cookieValue || cookieValue.length > 200) return null;
  const parts = cookieValue.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const [, id, expiry, signature] = parts as [string, string, string, string];
  if (!/^[A-Za-z0-9_-]{24}$/.test(id) || !/^\d{1,16}$/.test(expiry)) return null;
  const expected = await mac(adminToken, `${VERSION}.${id}.${expiry}`);
  if (!constantTimeEqual(signature, expected)) return null;
  const expiresAt = Number(expiry);
  if (expiresAt <= now) return null;
  return { id, expiresAt, csrfToken: await mac(adminToken, `csrf.${id}`) };
}

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${SESSION_TTL_SECONDS}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index !== -1 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
