import { and, eq, inArray, isNotNull, isNull, lt, lte } from 'drizzle-orm';
import type { Env } from '../config/env';
import { loadConfig } from '../config/load';
import { openDatabase, type Database } from '../db/client';
import { auditEvents, connections, mcpSessions } from '../db/schema';
import { storeAuditEvents } from '../audit/store';
import { newEventId } from '../audit/event';

/** Bounded work per run: a backlog is worked off over several runs instead of one long one. */
export const EXPIRE_BATCH = 200;
export const RETENTION_BATCH = 5000;

export async function runScheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = loadConfig(env);
  const db = openDatabase(env.DB);
  const now = controller.scheduledTime;
  await expireConnections(db, now);
  await applyAuditRetention(db, now - config.AUDIT_RETENTION_DAYS * 86_400_000);
}

/** Deletes key hashes of connections past their validity, marks them expired, ends their sessions, and audits it. */
export async function expireConnections(db: Database, now: number): Promise<number> {
  const due = await db
    .select({ id: connections.id, name: connections.name, keyPublicId: connections.keyPublicId })
    .from(connections)
    .where(and(eq(connections.state, 'active'), isNotNull(connections.expiresAt), lte(connections.expiresAt, now)))
    .limit(EXPIRE_BATCH);
  if (due.length === 0) return 0;
  const ids = due.map((row) => row.id);
  await db.batch([
    db
      .update(connections)
      .set({ state: 'expired', keyHash: null, expiredAt: now, updatedAt: now })
      .where(and(inArray(connections.id, ids), eq(connections.state, 'active'))),
    db
      .update(mcpSessions)
      .set({ endedAt: now, endedReason: 'expired' })
      .where(and(inArray(mcpSessions.connectionId, ids), isNull(mcpSessions.endedAt))),
  ]);
  await storeAuditEvents(
    db,
    due.map((row) => ({
      id: newEventId(now),
      at: now,
      kind: 'system' as const,
      connectionId: row.id,
      connectionName: row.name,
      keyPublicId: row.keyPublicId,
      odooUid: null,
      odooLogin: null,
      clientIp: null,
      userAgent: null,
      mcpClientName: null,
      mcpClientVersion: null,
      sessionId: null,
      tool: null,
      model: null,
      method: 'connection.expire',
      recordIds: null,
      outcome: 'allowed' as const,
      denialCode: null,
      denialReason: null,
      odooError: null,
      latencyMs: null,
      detail: { action: 'expired', by: 'cron' },
    })),
  );
  return due.length;
}

export async function applyAuditRetention(db: Database, cutoff: number): Promise<number> {
  const doomed = db.select({ id: auditEvents.id }).from(auditEvents).where(lt(auditEvents.at, cutoff)).limit(RETENTION_BATCH);
  const deleted = await db.delete(auditEvents).where(inArray(auditEvents.id, doomed)).returning({ id: auditEvents.id });
  return deleted.length;
}
