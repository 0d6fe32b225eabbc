import type { Database } from '../db/client';
import { EVENT_COLUMNS } from './columns';
import type { AuditEvent } from './event';

/**
 * Every audit_events column an insert fills, with the event field it takes,
 * in the table's order (columns.ts); dead_lettered is bound on its own and
 * stored_at takes its default.
 */
export const INSERTED_COLUMNS = EVENT_COLUMNS.map(({ name, field }) => [name, field] as const);

/**
 * D1 binds at most 100 parameters per statement, which would mean four rows
 * per INSERT. Instead each statement binds two: the rows as one JSON array of
 * tuples, unpacked by json_each, and the dead-letter mark. A batch of 100
 * events is one statement in one round trip. Rows are split only to keep a
 * bound value well under D1's 2 MB limit on a string.
 */
export const INSERT_AUDIT_ROWS_SQL =
  `INSERT OR IGNORE INTO audit_events (${INSERTED_COLUMNS.map(([column]) => column).join(', ')}, dead_lettered) ` +
  `SELECT ${INSERTED_COLUMNS.map((_, index) => `value ->> ${index}`).join(', ')}, ?2 FROM json_each(?1)`;

export const MAX_ROWS_JSON_CHARS = 400_000;

/**
 * Inserts events idempotently (INSERT OR IGNORE on the event id), so a
 * redelivered message or a retried batch never duplicates a row. All
 * statements go in one D1 batch: one round trip, one transaction.
 */
export async function storeAuditEvents(db: Database, events: readonly AuditEvent[], options: { deadLettered?: boolean } = {}): Promise<void> {
  if (events.length === 0) return;
  const d1 = db.$client;
  const mark = options.deadLettered ? 1 : 0;
  await d1.batch(chunkRows(events.map(rowJson)).map((rows) => d1.prepare(INSERT_AUDIT_ROWS_SQL).bind(rows, mark)));
}

function rowJson(event: AuditEvent): string {
  return JSON.stringify(
    EVENT_COLUMNS.map(({ field, json }) => {
      const value = event[field];
      // JSON columns hold JSON text, as drizzle's json mode reads them back.
      return json ? (value === null ? null : JSON.stringify(value)) : value;
    }),
  );
}

/** Groups row tuples into JSON arrays of at most MAX_ROWS_JSON_CHARS (a single larger row still gets its own). */
export function chunkRows(rows: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    if (current.length > 0 && size + row.length + 1 > MAX_ROWS_JSON_CHARS) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(row);
    size += row.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}
