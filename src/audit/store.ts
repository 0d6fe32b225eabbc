import type { Database } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AuditEvent } from './event';

/** D1 allows 100 bound parameters per statement; each row binds this many. */
const COLUMNS_PER_ROW = 24;
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS_PER_ROW);

/**
 * Inserts events idempotently (INSERT OR IGNORE on the event id), so a
 * redelivered message or a retried batch never duplicates a row. All
 * statements go in one D1 batch: one round trip, one transaction.
 */
export async function storeAuditEvents(db: Database, events: AuditEvent[], options: { deadLettered?: boolean } = {}) {
  if (events.length === 0) return;
  const rows = events.map((event) => ({ ...event, deadLettered: options.deadLettered ?? false }));
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(db.insert(auditEvents).values(rows.slice(i, i + ROWS_PER_STATEMENT)).onConflictDoNothing());
  }
  await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}
