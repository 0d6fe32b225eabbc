import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../db/client';
import { adminTokens } from '../db/schema';
import { keyFormat, type ParsedKey } from '../keys/format';
import { hashKey } from '../keys/hash';
import type { AdminActor, AdminRole } from './actor';

/**
 * Named admin tokens: `oadm_<public id>_<secret><checksum>`, the connection
 * key format under its own prefix, so a secret scanner tells a leaked admin
 * token from an MCP key and a typo is refused without touching D1.
 */
export const ADMIN_TOKEN_PREFIX = 'oadm_';
const format = keyFormat(ADMIN_TOKEN_PREFIX);

export type AdminTokenRow = typeof adminTokens.$inferSelect;

export function parseAdminToken(candidate: string): ParsedKey {
  return format.parse(candidate);
}

export async function createAdminToken(
  db: Database,
  pepper: CryptoKey,
  input: { name: string; role: AdminRole; expiresAt: number | null; createdBy: AdminActor; now: number },
): Promise<{ row: AdminTokenRow; token: string }> {
  const { key, publicId } = format.generate();
  const [row] = await db
    .insert(adminTokens)
    .values({
      id: `adt_${publicId}`,
      publicId,
      name: input.name,
      role: input.role,
      tokenHash: await hashKey(pepper, key),
      createdAt: input.now,
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
    })
    .returning();
  return { row: row!, token: key };
}

export type AdminTokenCheck = { ok: true; row: AdminTokenRow } | { ok: false; problem: 'malformed' | 'unknown' | 'revoked' | 'expired' };

/**
 * Looked up by its hash on every request, with no cache: a revocation or an
 * expiry counts from the very next request.
 */
export async function checkAdminToken(db: Database, pepper: CryptoKey, candidate: string, now: number): Promise<AdminTokenCheck> {
  if (!parseAdminToken(candidate).ok) return { ok: false, problem: 'malformed' };
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.tokenHash, await hashKey(pepper, candidate))).limit(1);
  return judge(row, now);
}

/** The same judgement for a console session opened with a token, by id. */
export async function checkAdminTokenById(db: Database, id: string, now: number): Promise<AdminTokenCheck> {
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.id, id)).limit(1);
  return judge(row, now);
}

function judge(row: AdminTokenRow | undefined, now: number): AdminTokenCheck {
  if (!row) return { ok: false, problem: 'unknown' };
  if (row.revokedAt !== null) return { ok: false, problem: 'revoked' };
  if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, problem: 'expired' };
  return { ok: true, row };
}

/** At most one write a minute per token: the condition makes a second writer in the same minute a no-op. */
export async function recordAdminTokenUse(db: Database, row: AdminTokenRow, now: number): Promise<void> {
  if (row.lastUsedAt !== null && row.lastUsedAt > now - 60_000) return;
  await db
    .update(adminTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(adminTokens.id, row.id), or(isNull(adminTokens.lastUsedAt), lt(adminTokens.lastUsedAt, now - 60_000))));
}

export async function listAdminTokens(db: Database, limit: number, after: { createdAt: number; id: string } | null): Promise<AdminTokenRow[]> {
  const where = after ? or(lt(adminTokens.createdAt, after.createdAt), and(eq(adminTokens.createdAt, after.createdAt), lt(adminTokens.id, after.id))) : undefined;
  return db.select().from(adminTokens).where(where).orderBy(desc(adminTokens.createdAt), desc(adminTokens.id)).limit(limit);
}

export async function revokeAdminToken(db: Database, id: string, by: AdminActor, now: number): Promise<AdminTokenRow | null> {
  const [row] = await db
    .update(adminTokens)
    .set({ revokedAt: now, revokedBy: by })
    .where(and(eq(adminTokens.id, id), isNull(adminTokens.revokedAt)))
    .returning();
  return row ?? null;
}

export async function findAdminToken(db: Database, id: string): Promise<AdminTokenRow | null> {
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.id, id)).limit(1);
  return row ?? null;
}
