import type { Env } from '../config/env';
import { openDatabase, type Database } from '../db/client';
import { auditEvent, auditEventSchema, type AuditEvent } from './event';
import { storeAuditEvents } from './store';
import { log } from '../log/log';

/** The dead-letter queue's name ends with this; its consumer stores what the main consumer could not. */
export const DEAD_LETTER_SUFFIX = '-dlq';

/** A quarantined body is kept up to this many characters of its JSON. */
const MAX_QUARANTINED_CHARS = 32_000;

type Parsed = { message: Message<unknown>; event: AuditEvent } | { message: Message<unknown>; problem: string };

/**
 * The audit queue's consumer. Valid events of a batch are written in one D1
 * round trip and acknowledged one by one; a write failure retries them, a
 * malformed message is retried on its own, both with back-off. What still
 * fails after the queue's max_retries reaches the dead-letter queue, whose
 * consumer (this function too) stores it marked dead_lettered, so an event
 * is never dropped silently.
 */
export async function handleAuditBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = openDatabase(env.DB);
  const parsed = batch.messages.map(parseMessage);
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) return storeDeadLettered(db, parsed);

  const valid = parsed.filter((entry) => 'event' in entry);
  try {
    await storeAuditEvents(db, valid.map((entry) => entry.event));
    for (const { message } of valid) message.ack();
  } catch (error) {
    log.error({ msg: 'audit batch write failed; retrying', size: valid.length, error: String(error) });
    for (const { message } of valid) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
  for (const entry of parsed) {
    if ('event' in entry) continue;
    log.error({ msg: 'malformed audit message; retrying', id: entry.message.id, attempts: entry.message.attempts, problem: entry.problem });
    entry.message.retry({ delaySeconds: backoffSeconds(entry.message.attempts) });
  }
}

async function storeDeadLettered(db: Database, parsed: Parsed[]): Promise<void> {
  // Last stop: even a malformed body is kept, as a quarantined row an admin can inspect.
  const events = parsed.map((entry) => ('event' in entry ? entry.event : quarantineEvent(entry.message, entry.problem)));
  try {
    await storeAuditEvents(db, events, { deadLettered: true });
    for (const { message } of parsed) message.ack();
  } catch (error) {
    // Events hold no secrets; if this was the last retry, the log is where they survive.
    log.error({ msg: 'dead-lettered audit events could not be stored; retrying', error: String(error), events });
    for (const { message } of parsed) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

function parseMessage(message: Message<unknown>): Parsed {
  const result = auditEventSchema.safeParse(message.body);
  if (result.success) return { message, event: result.data };
  const problem = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  return { message, problem };
}

/** 10 s, 20 s, 40 s, ... up to 10 minutes: long enough to ride out a short D1 outage within max_retries. */
export function backoffSeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** Math.max(1, attempts));
}

/** A row for a body that is not an audit event: what can be salvaged, plus the raw body. */
function quarantineEvent(message: Message<unknown>, problem: string): AuditEvent {
  const body = (message.body && typeof message.body === 'object' ? message.body : {}) as Record<string, unknown>;
  const text = (field: string) => (typeof body[field] === 'string' ? (body[field] as string).slice(0, 200) : null);
  const at = message.timestamp instanceof Date ? message.timestamp.getTime() : Number(message.timestamp);
  return auditEvent({
    id: `dlq_${message.id}`.slice(0, 64),
    at: Number.isFinite(at) && at >= 0 ? Math.trunc(at) : 0,
    kind: 'system',
    connectionId: text('connectionId'),
    connectionName: text('connectionName'),
    keyPublicId: text('keyPublicId'),
    tool: text('tool'),
    model: text('model'),
    method: text('method'),
    outcome: 'error',
    denialCode: 'malformed_audit_message',
    denialReason: `An audit message could not be read (${problem.slice(0, 500)}); its raw body is kept in detail.raw.`,
    detail: { raw: rawBody(message.body) },
  });
}

function rawBody(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > MAX_QUARANTINED_CHARS ? `${text.slice(0, MAX_QUARANTINED_CHARS)}…` : text;
}
