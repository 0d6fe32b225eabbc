import type { Env } from '../config/env';
import { openDatabase } from '../db/client';
import { auditEventSchema, newEventId, type AuditEvent } from './event';
import { storeAuditEvents } from './store';

/** The dead-letter queue's name ends with this; its consumer stores what the main consumer could not. */
export const DEAD_LETTER_SUFFIX = '-dlq';

export async function handleAuditBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = openDatabase(env.DB);
  const deadLettered = batch.queue.endsWith(DEAD_LETTER_SUFFIX);
  const valid: Array<{ message: Message<unknown>; event: AuditEvent }> = [];
  const malformed: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const parsed = auditEventSchema.safeParse(message.body);
    if (parsed.success) valid.push({ message, event: parsed.data });
    else malformed.push(message);
  }

  if (deadLettered) {
    // Last stop: keep even a malformed body, as a quarantined row an admin can inspect.
    await storeAuditEvents(db, [...valid.map((v) => v.event), ...malformed.map(quarantineEvent)], { deadLettered: true });
    batch.ackAll();
    return;
  }

  try {
    await storeAuditEvents(db, valid.map((v) => v.event));
    for (const { message } of valid) message.ack();
  } catch (error) {
    console.error(JSON.stringify({ msg: 'audit batch write failed; retrying', size: valid.length, error: String(error) }));
    for (const { message } of valid) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
  for (const message of malformed) {
    console.error(JSON.stringify({ msg: 'malformed audit message', id: message.id, attempts: message.attempts }));
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

export function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(0, attempts));
}

function quarantineEvent(message: Message<unknown>): AuditEvent {
  const at = message.timestamp instanceof Date ? message.timestamp.getTime() : Date.now();
  return {
    id: `dlq_${message.id}`.slice(0, 64),
    at,
    kind: 'system',
    connectionId: null,
    connectionName: null,
    keyPublicId: null,
    odooUid: null,
    odooLogin: null,
    clientIp: null,
    userAgent: null,
    mcpClientName: null,
    mcpClientVersion: null,
    sessionId: null,
    tool: null,
    model: null,
    method: null,
    recordIds: null,
    outcome: 'error',
    denialCode: 'malformed_audit_message',
    denialReason: 'An audit message could not be read; its raw body is kept in detail.',
    odooError: null,
    latencyMs: null,
    detail: { raw: safeJson(message.body), generated_id: newEventId(at) },
  };
}

function safeJson(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null));
  } catch {
    return String(value);
  }
}
