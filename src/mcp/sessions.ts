import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, mcpSessions } from '../db/schema';

export interface ClientInfo {
  name: string | null;
  version: string | null;
}

/** Whom a request comes from: its 2025-era session, or none for a stateless 2026-07-28 request (client from `_meta`). */
export interface CallSession {
  id: string | null;
  client: ClientInfo;
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

/** A stateless client names itself on every request; the connection keeps the last one, as initialize does for sessions. */
export async function recordLastClient(db: Database, connectionId: string, client: ClientInfo): Promise<void> {
  await db
    .update(connections)
    .set({ lastClientName: client.name, lastClientVersion: client.version })
    .where(eq(connections.id, connectionId));
}
