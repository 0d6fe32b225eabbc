import { and, desc, eq, lt, notExists, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, odooAccounts } from '../db/schema';

export type OdooAccountRow = typeof odooAccounts.$inferSelect;
export type OdooAccountWithUsage = OdooAccountRow & { connectionCount: number };

/** Where a page of accounts ends: the (created_at, id) of its last row, newest first. */
export interface AccountPosition {
  createdAt: number;
  id: string;
}

// Spelled out in full: inside the subquery an unqualified "id" would be the connection's id.
const connectionCount = sql<number>`(SELECT count(*) FROM connections WHERE connections.odoo_account_id = odoo_accounts.id)`.mapWith(Number);

export async function insertOdooAccount(db: Database, row: typeof odooAccounts.$inferInsert): Promise<OdooAccountRow> {
  const [stored] = await db.insert(odooAccounts).values(row).returning();
  return stored!;
}

export async function findOdooAccount(db: Database, id: string): Promise<OdooAccountWithUsage | undefined> {
  const [row] = await db
    .select({ account: odooAccounts, connectionCount })
    .from(odooAccounts)
    .where(eq(odooAccounts.id, id))
    .limit(1);
  return row && { ...row.account, connectionCount: row.connectionCount };
}

/** Newest first; `after` continues from the last row of the previous page. */
export async function listOdooAccounts(db: Database, page: { limit: number; after?: AccountPosition }): Promise<OdooAccountWithUsage[]> {
  const { after } = page;
  const rows = await db
    .select({ account: odooAccounts, connectionCount })
    .from(odooAccounts)
    .where(
      after
        ? or(lt(odooAccounts.createdAt, after.createdAt), and(eq(odooAccounts.createdAt, after.createdAt), lt(odooAccounts.id, after.id)))
        : undefined,
    )
    .orderBy(desc(odooAccounts.createdAt), desc(odooAccounts.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.account, connectionCount: row.connectionCount }));
}

export async function countConnectionsUsing(db: Database, accountId: string): Promise<{ total: number; active: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      active: sql<number>`coalesce(sum(CASE WHEN ${connections.state} = 'active' THEN 1 ELSE 0 END), 0)`.mapWith(Number),
    })
    .from(connections)
    .where(eq(connections.odooAccountId, accountId));
  return { total: row?.total ?? 0, active: row?.active ?? 0 };
}

/**
 * Deletes the account only if no connection refers to it, in one statement,
 * so a connection created between a check and the delete cannot be orphaned.
 */
export async function deleteOdooAccountIfUnused(db: Database, id: string): Promise<boolean> {
  const deleted = await db
    .delete(odooAccounts)
    .where(
      and(
        eq(odooAccounts.id, id),
        notExists(db.select({ one: sql`1` }).from(connections).where(eq(connections.odooAccountId, id))),
      ),
    )
    .returning({ id: odooAccounts.id });
  return deleted.length > 0;
}
