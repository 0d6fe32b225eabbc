import type { AuthFailure } from '../auth/principal';
import type { Database } from '../db/client';

/** A failed authentication whose key public id matched a stored connection. */
export interface KnownKeyFailure {
  at: number;
  failure: AuthFailure;
  keyPublicId: string;
  connectionId: string;
  connectionName: string;
  clientIp: string | null;
  userAgent: string | null;
}

const MINUTE_MS = 60_000;

/** Reason codes and words for the audit; the caller only ever saw the one 401. */
const REASONS: Partial<Record<AuthFailure, { code: string; reason: string }>> = {
  revoked: { code: 'key_revoked', reason: 'authentication refused: the key belongs to a revoked connection' },
  no_key: { code: 'key_missing', reason: 'authentication refused: the connection has no usable key (revoked, expired or not issued yet)' },
  hash_mismatch: { code: 'key_mismatch', reason: "authentication refused: the key's public id matches this connection but its secret does not" },
  expired: { code: 'key_expired', reason: 'authentication refused: the key is past its validity' },
};

/**
 * One row per key and minute: the first failure inserts it, every later one
 * in the same minute counts up `detail.attempts` (and `detail.reasons`) and
 * keeps the latest reason, address and user agent, so a brute force against
 * a known key shows in the audit without writing a row per attempt. The id
 * is derived from the minute and the key, which makes the write an upsert.
 *
 * This is the one audit row that changes after it is written, and it is
 * written to D1 directly rather than through the queue: a queue message may
 * be delivered twice, and an aggregate cannot tell a redelivery from another
 * attempt.
 */
const UPSERT_SQL = `
INSERT INTO audit_events (id, at, kind, connection_id, connection_name, key_public_id, client_ip, user_agent, tool, outcome, denial_code, denial_reason, detail)
VALUES (?1, ?2, 'mcp', ?3, ?4, ?5, ?6, ?7, ?11, 'denied', ?8, ?9,
        json_object('attempts', 1, 'first_at', ?10, 'last_at', ?10, 'reasons', json_object(?8, 1)))
ON CONFLICT (id) DO UPDATE SET
  client_ip = CASE WHEN ?10 >= audit_events.detail ->> '$.last_at' THEN excluded.client_ip ELSE audit_events.client_ip END,
  user_agent = CASE WHEN ?10 >= audit_events.detail ->> '$.last_at' THEN excluded.user_agent ELSE audit_events.user_agent END,
  denial_code = CASE WHEN ?10 >= audit_events.detail ->> '$.last_at' THEN excluded.denial_code ELSE audit_events.denial_code END,
  denial_reason = CASE WHEN ?10 >= audit_events.detail ->> '$.last_at' THEN excluded.denial_reason ELSE audit_events.denial_reason END,
  detail = json_set(audit_events.detail,
    '$.attempts', coalesce(audit_events.detail ->> '$.attempts', 0) + 1,
    '$.last_at', max(audit_events.detail ->> '$.last_at', ?10),
    '$.reasons.' || ?8, coalesce(audit_events.detail ->> ('$.reasons.' || ?8), 0) + 1)`;

/** The audit id of a key's failures in the minute of `at`: time-ordered like every event id. */
export function authFailureEventId(keyPublicId: string, at: number): string {
  return aggregateEventId('auth', keyPublicId, at);
}

function aggregateEventId(kind: string, keyPublicId: string, at: number): string {
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  return `${minute.toString(36).padStart(9, '0')}${kind}${keyPublicId}`;
}

interface AggregatedDenial {
  id: string;
  at: number;
  tool: string;
  code: string;
  reason: string;
  keyPublicId: string;
  connectionId: string;
  connectionName: string;
  clientIp: string | null;
  userAgent: string | null;
}

async function upsertAggregatedDenial(db: Database, denial: AggregatedDenial): Promise<void> {
  await db.$client
    .prepare(UPSERT_SQL)
    .bind(
      denial.id,
      denial.at,
      denial.connectionId,
      denial.connectionName,
      denial.keyPublicId,
      denial.clientIp?.slice(0, 64) ?? null,
      denial.userAgent?.slice(0, 300) ?? null,
      denial.code,
      denial.reason.slice(0, 500),
      new Date(denial.at).toISOString(),
      denial.tool,
    )
    .run();
}

/** Runs in waitUntil: the 401 never waits for it. Failures the audit has no words for (none today) are not stored. */
export async function recordKnownKeyFailure(db: Database, attempt: KnownKeyFailure): Promise<void> {
  const reason = REASONS[attempt.failure];
  if (!reason) return;
  await upsertAggregatedDenial(db, { ...attempt, id: authFailureEventId(attempt.keyPublicId, attempt.at), tool: 'auth', ...reason });
}

/**
 * A request of an authenticated key refused for the connection as a whole
 * (client IP, time window, not yet valid, session budget) before any tool
 * ran: `initialize`, `tools/list`, a notification, GET or DELETE. Aggregated
 * per key, minute and method like failed authentications (tool is the
 * JSON-RPC method, or `GET` / `DELETE`), so a key used from the wrong place
 * shows in the audit without a row per attempt. Refused tool calls keep
 * their own rows.
 */
export type ConnectionDenial = Omit<AggregatedDenial, 'id' | 'tool'> & { method: string };

/** The methods named in the audit; any other (the client picks it) is counted as `other`, so names cannot multiply rows. */
const NAMED_METHODS: ReadonlySet<string> = new Set(['initialize', 'tools/list', 'ping', 'notifications/initialized', 'GET', 'DELETE']);

export async function recordConnectionDenial(db: Database, denial: ConnectionDenial): Promise<void> {
  const method = NAMED_METHODS.has(denial.method) ? denial.method : 'other';
  const tag = `conn${method.replace(/[^A-Za-z]/g, '').slice(0, 12)}`;
  await upsertAggregatedDenial(db, { ...denial, id: aggregateEventId(tag, denial.keyPublicId, denial.at), tool: method });
}
