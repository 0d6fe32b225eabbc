import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { oauthInvitations } from '../db/schema';
import { hashKey } from '../keys/hash';
import type { Scope } from '../policy/scope';

export const INVITATION_COOKIE = '__Host-omcp_invitation';
const CODE_PATTERN = /^omcpi_[0-9A-Za-z]{32}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export interface Invitation {
  id: string;
  name: string;
  odooAccountId: string | null;
  scope: Scope;
  connectionExpiresAt: number | null;
  expiresAt: number;
}

function newCode(): string {
  // 32 base62 characters from bytes below 248 (4 × 62), so every character is equally likely: about 190 bits.
  const out: string[] = [];
  while (out.length < 32) {
    for (const byte of crypto.getRandomValues(new Uint8Array(48))) if (byte < 248 && out.length < 32) out.push(BASE62[byte % 62]!);
  }
  return `omcpi_${out.join('')}`;
}

export async function createInvitation(
  db: Database,
  pepper: CryptoKey,
  input: { name: string; odooAccountId: string | null; scope: Scope; connectionExpiresAt: number | null; expiresAt: number; now: number },
): Promise<{ id: string; code: string }> {
  const code = newCode();
  const id = `inv_${crypto.randomUUID().replaceAll('-', '')}`;
  await db.insert(oauthInvitations).values({
    id,
    codeHash: await hashKey(pepper, code),
    name: input.name,
    odooAccountId: input.odooAccountId,
    scope: input.scope,
    connectionExpiresAt: input.connectionExpiresAt,
    expiresAt: input.expiresAt,
    createdAt: input.now,
  });
  return { id, code };
}

/** The open invitation a code names, or null for a malformed, unknown, used or expired one (the caller cannot tell which). */
export async function findInvitation(db: Database, pepper: CryptoKey, code: string, now: number): Promise<Invitation | null> {
  if (!CODE_PATTERN.test(code)) return null;
  const [row] = await db
    .select()
    .from(oauthInvitations)
    .where(and(eq(oauthInvitations.codeHash, await hashKey(pepper, code)), isNull(oauthInvitations.usedAt), gt(oauthInvitations.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  return { id: row.id, name: row.name, odooAccountId: row.odooAccountId, scope: row.scope as Scope, connectionExpiresAt: row.connectionExpiresAt, expiresAt: row.expiresAt };
}

/**
 * Marks the invitation used; true only for the one call that took it. Called
 * again with the connection it created, to record it.
 */
export async function redeemInvitation(db: Database, id: string, now: number, connectionId?: string): Promise<boolean> {
  if (connectionId) {
    await db.update(oauthInvitations).set({ connectionId }).where(eq(oauthInvitations.id, id));
    return true;
  }
  const taken = await db
    .update(oauthInvitations)
    .set({ usedAt: now })
    .where(and(eq(oauthInvitations.id, id), isNull(oauthInvitations.usedAt), gt(oauthInvitations.expiresAt, now)))
    .returning({ id: oauthInvitations.id });
  return taken.length === 1;
}

/** Invitations past their end are kept a week for the record, then removed by the cron. */
export async function purgeInvitations(db: Database, now: number): Promise<number> {
  const removed = await db.delete(oauthInvitations).where(lt(oauthInvitations.expiresAt, now - 7 * 86400_000)).returning({ id: oauthInvitations.id });
  return removed.length;
}

export function readInvitationCookie(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === INVITATION_COOKIE) return value.join('=') || null;
  }
  return null;
}
