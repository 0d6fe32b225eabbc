import { getTableColumns } from 'drizzle-orm';
import { auditEvents } from '../db/schema';

/**
 * The audit_events table (src/db/schema.ts) is the one list of an audit
 * event's columns: the insert, the empty event, the admin API's JSON, its
 * OpenAPI schema and the CSV export are derived from it here, so a new column
 * is one edit to the table (and its migration), plus the event schema's
 * constraints, which the type checks in event.ts ask for.
 */
const TABLE_COLUMNS = getTableColumns(auditEvents);

type Table = typeof auditEvents;
export type AuditField = keyof typeof TABLE_COLUMNS;

/** Set by D1 at insert, never carried by an event: the dead-letter mark is bound on its own, stored_at is D1's clock. */
const SET_AT_INSERT = ['deadLettered', 'storedAt'] as const;
export type EventField = Exclude<AuditField, (typeof SET_AT_INSERT)[number]>;
/** The NOT NULL columns an event must name; every other one starts empty. */
export type RequiredEventField = { [F in EventField]: Table[F]['_']['notNull'] extends true ? F : never }[EventField];

export interface AuditColumn<F extends AuditField = AuditField> {
  field: F;
  /** The SQL column name. */
  name: Table[F]['_']['name'];
  /** Stored as JSON text (drizzle's json mode). */
  json: boolean;
  notNull: boolean;
  dataType: string;
  enumValues: readonly string[] | undefined;
}

/** Every column, in the table's order. */
export const AUDIT_COLUMNS: readonly AuditColumn[] = Object.entries(TABLE_COLUMNS).map(([field, column]) => ({
  field: field as AuditField,
  name: column.name as AuditColumn['name'],
  json: column.dataType === 'json',
  notNull: column.notNull,
  dataType: column.dataType,
  enumValues: column.enumValues,
}));

/** The columns an audit event carries, in the table's order. */
export const EVENT_COLUMNS = AUDIT_COLUMNS.filter(
  (column): column is AuditColumn<EventField> => !(SET_AT_INSERT as readonly string[]).includes(column.field),
);
