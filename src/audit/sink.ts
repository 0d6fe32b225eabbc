import type { Database } from '../db/client';
import type { AuditEvent } from './event';
import { storeAuditEvents } from './store';
import { log } from '../log/log';

/**
 * Sends an event to the audit queue. If the queue refuses it the event is
 * written to D1 directly: an audit trail with holes is worse than a slower
 * write. Runs inside waitUntil, never on the caller's path. If D1 fails too,
 * the event goes to the log whole (it holds no secrets), the last place it
 * can be recovered from.
 */
export async function deliverAuditEvent(queue: Queue<unknown>, db: Database, event: AuditEvent): Promise<void> {
  try {
    await queue.send(event, { contentType: 'json' });
    return;
  } catch (error) {
    log.warn({ msg: 'audit queue send failed; writing to D1', eventId: event.id, error: String(error) });
  }
  try {
    await storeAuditEvents(db, [event]);
  } catch (error) {
    log.error({ msg: 'audit event lost by queue and D1; logged instead', error: String(error), event });
    throw error;
  }
}
