import { z } from 'zod';
import { EVENT_COLUMNS, type EventField, type RequiredEventField } from './columns';

/** One audit event; the queue message body and the D1 row are this shape. */
export const auditEventSchema = z.object({
  id: z.string().min(1).max(64),
  at: z.number().int().nonnegative(),
  kind: z.enum(['mcp', 'admin', 'system']),
  connectionId: z.string().nullable(),
  connectionName: z.string().nullable(),
  keyPublicId: z.string().nullable(),
  odooUid: z.number().int().nullable(),
  odooLogin: z.string().nullable(),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  mcpClientName: z.string().nullable(),
  mcpClientVersion: z.string().nullable(),
  sessionId: z.string().nullable(),
  tool: z.string().nullable(),
  model: z.string().nullable(),
  method: z.string().nullable(),
  recordIds: z.array(z.number().int()).nullable(),
  outcome: z.enum(['allowed', 'denied', 'error']),
  denialCode: z.string().nullable(),
  denialReason: z.string().nullable(),
  odooError: z.string().nullable(),
  latencyMs: z.number().int().nonnegative().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

export function newEventId(now: number): string {
  // Time-ordered ids keep inserts appending to the primary key index.
  const random = crypto.getRandomValues(new Uint8Array(8));
  return now.toString(36).padStart(9, '0') + Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The event schema adds the constraints a queue message is checked against;
 * its fields are exactly the table's event columns, both ways, or the build fails.
 */
type NotInTable = Exclude<keyof AuditEvent, EventField>;
type NotInSchema = Exclude<EventField, keyof AuditEvent>;
const schemaMatchesTable: [NotInTable | NotInSchema] extends [never] ? true : NotInTable | NotInSchema = true;
void schemaMatchesTable;

/** Every column an event may leave empty (NULL in the table), empty. */
const EMPTY_EVENT = Object.fromEntries(EVENT_COLUMNS.filter((column) => !column.notNull).map((column) => [column.field, null])) as Omit<
  AuditEvent,
  RequiredEventField
>;

/** An event with every optional column empty: admin, cron and quarantine events fill in only what they know. */
export function auditEvent(fields: Pick<AuditEvent, RequiredEventField> & Partial<AuditEvent>): AuditEvent {
  return { ...EMPTY_EVENT, ...fields };
}
