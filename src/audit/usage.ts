import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

/**
 * Usage at a glance, counted from the audit table: MCP calls (kind 'mcp')
 * per time bucket and outcome, and for one connection its top tools and
 * models and its denial reasons. Each answer is one grouped statement over
 * the audit_usage index (connection_id, kind, at, outcome), so a page of
 * the connections list costs one query whatever its number of rows. An
 * aggregated row (failed authentications of a key in one minute) counts
 * once, as the audit rows are what is counted.
 */
export const HOUR_MS = 3_600_000;
export const OUTCOME_KEYS = ['allowed', 'denied', 'error'] as const;
export type Outcome = (typeof OUTCOME_KEYS)[number];
export type Counts = Record<Outcome, number>;

export interface UsageWindow {
  from: number;
  to: number;
  bucketMs: number;
  buckets: number;
}

/** `days` of buckets ending with the one that holds `now`, aligned to whole buckets in UTC. */
export function usageWindow(now: number, days: number, bucketMs: number): UsageWindow {
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const buckets = Math.round((days * 24 * HOUR_MS) / bucketMs);
  return { from: to - buckets * bucketMs, to, bucketMs, buckets };
}

export const zeroCounts = (): Counts => ({ allowed: 0, denied: 0, error: 0 });

export interface UsageSeries {
  buckets: Array<{ start: number } & Counts>;
  totals: Counts;
}

function emptySeries(window: UsageWindow): UsageSeries {
  return { buckets: Array.from({ length: window.buckets }, (_, index) => ({ start: window.from + index * window.bucketMs, ...zeroCounts() })), totals: zeroCounts() };
}

function add(series: UsageSeries, bucket: number, outcome: string, calls: number): void {
  if (!(OUTCOME_KEYS as readonly string[]).includes(outcome)) return;
  const slot = series.buckets[bucket];
  if (!slot) return;
  slot[outcome as Outcome] += calls;
  series.totals[outcome as Outcome] += calls;
}

/** Calls per bucket and outcome for many connections at once: one statement for a whole page of the list. */
export async function usageOfConnections(db: Database, connectionIds: readonly string[], window: UsageWindow): Promise<Map<string, UsageSeries>> {
  const series = new Map(connectionIds.map((id) => [id, emptySeries(window)]));
  if (connectionIds.length === 0) return series;
  const rows = await db.all<{ connection_id: string; bucket: number; outcome: string; calls: number }>(sql`
    SELECT connection_id, CAST((at - ${window.from}) / ${window.bucketMs} AS INTEGER) AS bucket, outcome, count(*) AS calls
    FROM audit_events
    WHERE connection_id IN (SELECT value FROM json_each(${JSON.stringify(connectionIds)}))
      AND kind = 'mcp' AND at >= ${window.from} AND at < ${window.to}
    GROUP BY connection_id, bucket, outcome`);
  for (const row of rows) {
    const target = series.get(row.connection_id);
    if (target) add(target, Number(row.bucket), row.outcome, Number(row.calls));
  }
  return series;
}

export interface ConnectionUsage extends UsageSeries {
  topTools: Array<{ name: string; calls: number }>;
  topModels: Array<{ name: string; calls: number }>;
  denialReasons: Array<{ code: string | null; calls: number; latestReason: string | null }>;
}

const TOP = 5;
const REASONS = 10;

/**
 * One connection: buckets by outcome, top tools, top models and denial
 * reasons (with the words of the latest denial of each code), in one
 * statement: a UNION ALL over one filtered set of rows.
 */
export async function usageOfConnection(db: Database, connectionId: string, window: UsageWindow): Promise<ConnectionUsage> {
  const rows = await db.all<{ part: string; bucket: number | null; label: string | null; reason: string | null; calls: number }>(sql`
    WITH recent AS (
      SELECT at, outcome, tool, model, denial_code, denial_reason FROM audit_events
      WHERE connection_id = ${connectionId} AND kind = 'mcp' AND at >= ${window.from} AND at < ${window.to}
    )
    SELECT 'bucket' AS part, CAST((at - ${window.from}) / ${window.bucketMs} AS INTEGER) AS bucket, outcome AS label, NULL AS reason, count(*) AS calls, NULL AS latest
      FROM recent GROUP BY bucket, outcome
    UNION ALL
    SELECT * FROM (SELECT 'tool', NULL, tool, NULL, count(*) AS calls, NULL FROM recent WHERE tool IS NOT NULL GROUP BY tool ORDER BY calls DESC, tool LIMIT ${TOP})
    UNION ALL
    SELECT * FROM (SELECT 'model', NULL, model, NULL, count(*) AS calls, NULL FROM recent WHERE model IS NOT NULL GROUP BY model ORDER BY calls DESC, model LIMIT ${TOP})
    UNION ALL
    SELECT * FROM (
      SELECT 'denial', NULL, denial_code, denial_reason, count(*) AS calls, max(at) FROM recent WHERE outcome = 'denied'
      GROUP BY denial_code ORDER BY calls DESC, denial_code LIMIT ${REASONS}
    )`);
  const usage: ConnectionUsage = { ...emptySeries(window), topTools: [], topModels: [], denialReasons: [] };
  for (const row of rows) {
    const calls = Number(row.calls);
    if (row.part === 'bucket') add(usage, Number(row.bucket), row.label ?? '', calls);
    else if (row.part === 'tool' && row.label !== null) usage.topTools.push({ name: row.label, calls });
    else if (row.part === 'model' && row.label !== null) usage.topModels.push({ name: row.label, calls });
    else if (row.part === 'denial') usage.denialReasons.push({ code: row.label, calls, latestReason: row.reason });
  }
  return usage;
}
