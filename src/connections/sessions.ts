import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, mcpSessions } from '../db/schema';
import type { SessionRow } from './types';

/**
 * A connection's MCP sessions as stored: opened by initialize, ended by the
 * client, an admin, or the end of the connection's access (end-access.ts).
 * The Streamable HTTP side (session ids, who a call comes from) is in src/mcp.
 */

export interface ClientInfo {
  name: string | null;
  version: string | null;
}

export async function recordSession(
  db: Database,
  session: { id: string; connectionId: string; client: ClientInfo; protocolVersion: string; now: number },
): Promise<void> {
  await db.batch([
    db.insert(mcpSessions).values({
      id: session.id,
      connectionId: session.connectionId,
      clientName: session.client.name,
      clientVersion: session.client.version,
      protocolVersion: session.protocolVersion,
      createdAt: session.now,
    }),
    db
      .update(connections)
      .set({ lastClientName: session.client.name, lastClientVersion: session.client.version })
      .where(eq(connections.id, session.connectionId)),
  ]);
}

export async function endSession(
  db: Database,
  session: { id: string; connectionId: string; reason: string; now: number },
): Promise<boolean> {
  const ended = await db
    .update(mcpSessions)
    .set({ endedAt: session.now, endedReason: session.reason })
    .where(
      and(eq(mcpSessions.id, session.id), eq(mcpSessions.connectionId, session.connectionId), isNull(mcpSessions.endedAt)),
    )
    .returning({ id: mcpSessions.id });
  return ended.length > 0;
}

/** A stateless client names itself on every request; the connection keeps the last one, as initialize does for sessions. */
export async function recordLastClient(db: Database, connectionId: string, client: ClientInfo): Promise<void> {
  await db
    .update(connections)
    .set({ lastClientName: client.name, lastClientVersion: client.version })
    .where(eq(connections.id, connectionId));
}

export async function listSessions(
  db: Database,
  connectionId: string,
  query: { state?: 'open' | 'ended'; limit: number; after?: { createdAt: number; id: string } },
): Promise<{ rows: SessionRow[]; hasMore: boolean }> {
  const rows = await db
    .select()
    .from(mcpSessions)
    .where(
      and(
        eq(mcpSessions.connectionId, connectionId),
        query.state === 'open' ? isNull(mcpSessions.endedAt) : query.state === 'ended' ? isNotNull(mcpSessions.endedAt) : undefined,
        query.after ? sql`(${mcpSessions.createdAt}, ${mcpSessions.id}) < (${query.after.createdAt}, ${query.after.id})` : undefined,
      ),
    )
    .orderBy(desc(mcpSessions.createdAt), desc(mcpSessions.id))
    .limit(query.limit + 1);
  return { rows: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
}

export async function findSession(db: Database, connectionId: string, sessionId: string): Promise<SessionRow | null> {
  const [row] = await db
    .select()
    .from(mcpSessions)
    .where(and(eq(mcpSessions.id, sessionId), eq(mcpSessions.connectionId, connectionId)))
    .limit(1);
  return row ?? null;
}
