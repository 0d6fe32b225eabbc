import { and, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections } from '../db/schema';
import { generateKey } from '../keys/format';
import { hashKey } from '../keys/hash';
import { storeAuditEvents } from '../audit/store';
import { endedApprovalEvents, endOfAccessStatements, type EndOfAccessReason } from './end-access';
import type { ConnectionRow } from './types';

export type ConnectionChanges = Partial<
  Pick<
    ConnectionRow,
    'name' | 'scope' | 'notBefore' | 'expiresAt' | 'logPayloads' | 'state' | 'keyPublicId' | 'keyHash' | 'keyCreatedAt' | 'revokedAt' | 'revokeReason' | 'expiredAt' | 'revokedBy'
  >
>;

/**
 * A fresh key: the plaintext goes back to the admin once, only its hash is
 * stored. Writing these columns replaces the previous key in the same row
 * update, so the old key fails on the very next request.
 */
export async function freshKey(pepper: CryptoKey, now: number) {
  const { key, publicId } = generateKey();
  return { key, columns: { keyPublicId: publicId, keyHash: await hashKey(pepper, key), keyCreatedAt: now } };
}

/**
 * Applies changes only if the row is still the one the caller read
 * (updated_at serves as its version), so two admins acting at once cannot
 * both succeed on stale reads: the loser gets null and answers 409. When the
 * change takes access away, the end of that access (sessions, and later
 * approvals) runs in the same batch, guarded by `affected` so nothing ends
 * unless the change itself was applied.
 */
export async function updateConnectionIfUnchanged(
  db: Database,
  current: ConnectionRow,
  changes: ConnectionChanges,
  now: number,
  endAccess?: { reason: EndOfAccessReason; affected: SQL },
): Promise<ConnectionRow | null> {
  const update = db
    .update(connections)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(connections.id, current.id), eq(connections.updatedAt, current.updatedAt)))
    .returning();
  if (!endAccess) {
    const [row] = await update;
    return row ?? null;
  }
  const [rows, , expiredApprovals] = await db.batch([update, ...endOfAccessStatements(db, endAccess.affected, endAccess.reason, now)]);
  const row = rows[0] ?? null;
  // Awaited, not queued: few rows, and an expiry must not go unaudited if the request ends early.
  if (row && expiredApprovals.length > 0) await storeAuditEvents(db, endedApprovalEvents(expiredApprovals, now, row));
  return row;
}

/**
 * Revokes a connection still as the caller read it: the key hash goes, the
 * record and its audit trail stay, and its sessions and pending approvals end
 * in the same batch. Null when someone changed it meanwhile.
 */
export function revokeConnectionIfUnchanged(
  db: Database,
  current: ConnectionRow,
  why: { reason: string | null; revokedBy: ConnectionRow['revokedBy'] },
  at: number,
): Promise<ConnectionRow | null> {
  return updateConnectionIfUnchanged(
    db,
    current,
    { state: 'revoked', keyHash: null, revokedAt: at, revokeReason: why.reason, revokedBy: why.revokedBy },
    at,
    { reason: 'revoked', affected: and(eq(connections.id, current.id), eq(connections.state, 'revoked'), eq(connections.revokedAt, at))! },
  );
}

/** A new connection row, as stored. */
export async function insertConnection(db: Database, row: typeof connections.$inferInsert): Promise<ConnectionRow> {
  const [stored] = await db.insert(connections).values(row).returning();
  return stored!;
}

/** An OAuth connection by id (the grant's user id); null for a key's connection or none. */
export async function findOAuthConnection(db: Database, connectionId: string): Promise<ConnectionRow | null> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.auth, 'oauth')))
    .limit(1);
  return row ?? null;
}

/** The last code or refresh exchange of an OAuth connection; shown as its last token use. */
export async function recordTokenUse(db: Database, connectionId: string, now: number): Promise<void> {
  await db.update(connections).set({ lastTokenAt: now }).where(eq(connections.id, connectionId));
}

/** Whether a connection of that id exists, for routes under /connections/:id that read other tables. */
export async function connectionExists(db: Database, id: string): Promise<boolean> {
  const [known] = await db.select({ id: connections.id }).from(connections).where(eq(connections.id, id)).limit(1);
  return known !== undefined;
}

/** A connection's name, or null when it is gone. */
export async function connectionNameOf(db: Database, id: string): Promise<string | null> {
  const [connection] = await db.select({ name: connections.name }).from(connections).where(eq(connections.id, id)).limit(1);
  return connection?.name ?? null;
}
