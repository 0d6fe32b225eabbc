import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AuditCursor, AuditFilters } from './filters';

export type AuditRow = typeof auditEvents.$inferSelect;

export interface AuditPage {
  rows: AuditRow[];
  /** Where the next page starts, or null when this page is the last. */
  next: AuditCursor | null;
}

/**
 * One page of events, newest first, ordered by (at, id) so that a cursor is
 * a stable position: events stored while an admin pages through never
 * shift or repeat the pages after it.
 */
export async function readAuditPage(db: Database, filters: AuditFilters, limit: number, after: AuditCursor | null): Promise<AuditPage> {
  const conditions = filterConditions(filters);
  if (after) conditions.push(or(lt(auditEvents.at, after.at), and(eq(auditEvents.at, after.at), lt(auditEvents.id, after.id)))!);
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  if (rows.length <= limit) return { rows, next: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, next: { at: last.at, id: last.id } };
}

function filterConditions(filters: AuditFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.connectionId !== undefined) conditions.push(eq(auditEvents.connectionId, filters.connectionId));
  if (filters.from !== undefined) conditions.push(gte(auditEvents.at, filters.from));
  if (filters.to !== undefined) conditions.push(lt(auditEvents.at, filters.to));
  if (filters.outcome !== undefined) conditions.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.kind !== undefined) conditions.push(eq(auditEvents.kind, filters.kind));
  if (filters.model !== undefined) conditions.push(eq(auditEvents.model, filters.model));
  if (filters.tool !== undefined) conditions.push(eq(auditEvents.tool, filters.tool));
  // Admin events only (kind, at) narrow it first; the actor is in the event's detail (src/audit/admin-actions.ts).
  if (filters.actor !== undefined) {
    const actor = filters.actor.toLowerCase();
    conditions.push(
      eq(auditEvents.kind, 'admin'),
      sql`(lower(json_extract(${auditEvents.detail}, '$.actor.email')) = ${actor} or lower(json_extract(${auditEvents.detail}, '$.actor.id')) = ${actor})`,
    );
  }
  return conditions;
}
