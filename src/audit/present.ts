import { z } from 'zod';
import type { auditEvents } from '../db/schema';
import { AUDIT_COLUMNS, type AuditColumn, type AuditField } from './columns';
import type { AuditRow } from './query';

/** Where the admin API's name is not the column's: it has always said reason_code and reason. */
const API_NAMES = { denialCode: 'reason_code', denialReason: 'reason' } as const;
/** Millisecond times, shown in ISO 8601 UTC. */
const TIME_FIELDS = ['at', 'storedAt'] as const;
/** First in every answer, whatever their place in the table; the rest follow in the table's order. */
const LEADING_FIELDS: readonly AuditField[] = ['id', 'at', 'kind', 'outcome'];

type TimeField = (typeof TIME_FIELDS)[number];
type ApiName<F extends AuditField> = F extends keyof typeof API_NAMES ? (typeof API_NAMES)[F] : (typeof auditEvents)[F]['_']['name'];

/** An event as the admin API shows it: snake_case, times in ISO 8601 UTC. */
export type PresentedAuditEvent = { [F in AuditField as ApiName<F>]: F extends TimeField ? string | null : AuditRow[F] };

/** The columns in the order the API and the CSV show them, each with its API name. */
const PRESENTED: ReadonlyArray<{ column: AuditColumn; key: keyof PresentedAuditEvent }> = [
  ...LEADING_FIELDS.map((field) => AUDIT_COLUMNS.find((column) => column.field === field)!),
  ...AUDIT_COLUMNS.filter((column) => !LEADING_FIELDS.includes(column.field)),
].map((column) => ({ column, key: apiName(column) }));

function apiName(column: AuditColumn): keyof PresentedAuditEvent {
  return ((API_NAMES as Record<string, string>)[column.field] ?? column.name) as keyof PresentedAuditEvent;
}

function isTime(field: AuditField): field is TimeField {
  return (TIME_FIELDS as readonly string[]).includes(field);
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Math.trunc(ms)).toISOString();
}

export function presentAuditEvent(row: AuditRow): PresentedAuditEvent {
  const presented: Record<string, unknown> = {};
  for (const { column, key } of PRESENTED) {
    const value = row[column.field];
    presented[key] = isTime(column.field) ? iso(value as number | null) : value;
  }
  return presented as PresentedAuditEvent;
}

/** The CSV columns, in order: every JSON field, with lists and objects flattened to text. */
export const CSV_COLUMNS: ReadonlyArray<keyof PresentedAuditEvent> = PRESENTED.map(({ key }) => key);

export function csvValues(event: PresentedAuditEvent): Array<string | number | boolean | null> {
  return CSV_COLUMNS.map((column) => {
    const value: unknown = event[column];
    if (Array.isArray(value)) return value.join(' ');
    if (typeof value === 'object' && value !== null) return JSON.stringify(value);
    return value as string | number | boolean | null;
  });
}

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

/** What the table cannot say about a field's JSON: its JSON columns' shapes, times that may be missing, and words for a person. */
const SCHEMA_OVERRIDES: Partial<Record<AuditField, z.ZodType>> = {
  recordIds: z.array(z.number().int()).nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  storedAt: isoTime.nullable(),
  method: z.string().nullable().meta({ description: 'The Odoo method of a tools call, or the admin action (connection.create, odoo_account.delete, ...)' }),
  denialReason: z.string().nullable().meta({ description: 'Why a call was denied, in words' }),
};

function columnSchema(column: AuditColumn): z.ZodType {
  const override = SCHEMA_OVERRIDES[column.field];
  if (override) return override;
  const base = isTime(column.field)
    ? isoTime
    : column.enumValues?.length
      ? z.enum(column.enumValues as [string, ...string[]])
      : column.dataType === 'boolean'
        ? z.boolean()
        : column.dataType === 'number'
          ? z.number().int()
          : z.string();
  return column.notNull ? base : base.nullable();
}

/** The OpenAPI schema of a presented event, from the same columns in the same order. */
export const auditEventJsonSchema = z.object(Object.fromEntries(PRESENTED.map(({ column, key }) => [key, columnSchema(column)])));
