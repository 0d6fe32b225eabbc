import { and, eq, gt, inArray, isNull, lt, ne } from 'drizzle-orm';
import type { AdminActor, AdminRole } from '../admins/actor';
import type { Database } from '../db/client';
import { consoleSessions } from '../db/schema';
import { constantTimeEqual, hashKey } from '../keys/hash';

/**
 * Console sessions live in D1 (console_sessions), so they can be ended: the
 * cookie holds a random token, never the admin token, and the row holds only
 * the token's SHA-256. A cookie opens the console while its row exists, is
 * not ended (sign-out ends it, so a copied cookie dies with it), has not
 * expired, and was created under the current admin token (changing
 * ADMIN_TOKEN ends every session).
 */
export const SESSION_COOKIE = '__Host-omcp_console';
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

const VERSION = 'v2';
const TOKEN_PATTERN = /^v2\.([A-Za-z0-9_-]{43})$/;
/** Rows are kept this long past their expiry, then removed at a later sign-in. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;
const STALE_BATCH = 500;

export interface ConsoleSession {
  id: string;
  expiresAt: number;
  /** Synchronizer token for forms: an HMAC of the session id, so it needs no storage and dies with the session. */
  csrfToken: string;
  /** Calls waiting for approval, for the navigation ("100+" past one page); set on console pages, absent elsewhere. */
  pendingApprovals?: string | null;
  /** Who signed in; their role is resolved again on every request (src/console/middleware.ts). Null on sessions older than named admins: the bootstrap token. */
  actor: AdminActor | null;
  /** Set by currentSession from the principal resolved for this request: what the pages show and hide. */
  role?: AdminRole;
  who?: string;
}

/** What a session is checked against: the admin token, and the pepper that keys its fingerprint. */
export interface SessionSecrets {
  adminToken: string;
  pepper: CryptoKey;
}

export type EndReason = 'signed_out' | 'admin_token_changed' | 'admin_token_revoked' | 'access_identity_changed';

const derived = new Map<string, Promise<CryptoKey>>();

function csrfKey(adminToken: string): Promise<CryptoKey> {
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

async function csrfTokenFor(adminToken: string, sessionId: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await csrfKey(adminToken), new TextEncoder().encode(`csrf.${sessionId}`));
  return base64url(new Uint8Array(signature));
}

/**
 * Which admin token a session was created under. Keyed with the pepper, not
 * a plain hash: the column must not let someone holding a copy of D1 test
 * guesses of the admin token offline.
 */
function adminTokenFingerprint(secrets: SessionSecrets): Promise<string> {
  return hashKey(secrets.pepper, `console-session-admin-token\u0000${secrets.adminToken}`);
}

async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function createSession(db: Database, secrets: SessionSecrets, now: number, actor: AdminActor): Promise<{ cookieValue: string; session: ConsoleSession }> {
  const id = `cs_${base64url(crypto.getRandomValues(new Uint8Array(18)))}`;
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + SESSION_TTL_SECONDS * 1000;
  await db.insert(consoleSessions).values({
    id,
    tokenHash: await tokenHash(token),
    adminTokenFingerprint: await adminTokenFingerprint(secrets),
    createdAt: now,
    expiresAt,
    actor,
  });
  return { cookieValue: `${VERSION}.${token}`, session: { id, expiresAt, csrfToken: await csrfTokenFor(secrets.adminToken, id), actor } };
}

/** Null for anything that is not a live session of this deployment's current admin token; the reason does not matter to the caller. */
export async function readSession(db: Database, secrets: SessionSecrets, cookieValue: string | undefined, now: number): Promise<ConsoleSession | null> {
  const match = cookieValue && cookieValue.length <= 200 ? TOKEN_PATTERN.exec(cookieValue) : null;
  if (!match) return null;
  const [row] = await db
    .select({ id: consoleSessions.id, expiresAt: consoleSessions.expiresAt, fingerprint: consoleSessions.adminTokenFingerprint, actor: consoleSessions.actor })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.tokenHash, await tokenHash(match[1]!)), isNull(consoleSessions.endedAt), gt(consoleSessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  if (!constantTimeEqual(row.fingerprint, await adminTokenFingerprint(secrets))) {
    // Ended, not just refused: putting the old admin token back must not bring its sessions back.
    await endSession(db, row.id, now, 'admin_token_changed');
    return null;
  }
  return { id: row.id, expiresAt: row.expiresAt, csrfToken: await csrfTokenFor(secrets.adminToken, row.id), actor: row.actor ?? null };
}

/** Ends a session for good: its cookie, wherever it was copied to, opens nothing from the next request on. */
export async function endSession(db: Database, sessionId: string, now: number, reason: EndReason): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(consoleSessions.id, sessionId), isNull(consoleSessions.endedAt)));
}

/**
 * Housekeeping at each sign-in: ends every live session of another admin
 * token (those are refused anyway; ending them makes it permanent) and
 * removes rows that expired more than a day ago, a bounded batch at a time.
 */
export async function tidySessions(db: Database, secrets: SessionSecrets, now: number): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ endedAt: now, endedReason: 'admin_token_changed' })
    .where(and(isNull(consoleSessions.endedAt), gt(consoleSessions.expiresAt, now), ne(consoleSessions.adminTokenFingerprint, await adminTokenFingerprint(secrets))));
  const stale = db
    .select({ id: consoleSessions.id })
    .from(consoleSessions)
    .where(lt(consoleSessions.expiresAt, now - KEEP_AFTER_EXPIRY_MS))
    .limit(STALE_BATCH);
  await db.delete(consoleSessions).where(inArray(consoleSessions.id, stale));
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
