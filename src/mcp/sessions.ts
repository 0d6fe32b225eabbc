import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, mcpSessions } from '../db/schema';

export interface ClientInfo {
  name: string | null;
  version: string | null;
}

export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
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

export async function endAllSessions(db: Database, connectionId: string, reason: string, now: number): Promise<number> {
  const ended = await db
    .update(mcpSessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(mcpSessions.connectionId, connectionId), isNull(mcpSessions.endedAt)))
    .returning({ id: mcpSessions.id });
  return ended.length;
}
