import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections } from '../db/schema';

export async function loadOAuthConnection(db: Database, connectionId: string) {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.auth, 'oauth')))
    .limit(1);
  return row ?? null;
}

/** The last code or refresh exchange; shown as the connection's last token use. */
export async function recordTokenUse(db: Database, connectionId: string, now: number): Promise<void> {
  await db.update(connections).set({ lastTokenAt: now }).where(eq(connections.id, connectionId));
}

