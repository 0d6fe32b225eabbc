import type { Database } from '../db/client';
import { log } from '../log/log';

export const DAY_MS = 86_400_000;

/** Rows per DELETE and DELETEs per cron run: a backlog is worked off over several runs, never in one long one. */
export const RETENTION_BATCH = 1000;
export const RETENTION_MAX_BATCHES = 20;

const DELETE_OLDEST = 'DELETE FROM audit_events WHERE rowid IN (SELECT rowid FROM audit_events WHERE at < ?1 ORDER BY at LIMIT ?2)';

export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

/**
 * Removes audit events older than the cutoff, oldest first, in bounded
 * batches; returns how many went. Running it again removes nothing more, so
 * an overlapping or repeated cron run is harmless.
 */
export async function applyAuditRetention(
  db: Database,
  cutoff: number,
  limits: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = limits.batchSize ?? RETENTION_BATCH;
  const maxBatches = limits.maxBatches ?? RETENTION_MAX_BATCHES;
  const statement = db.$client.prepare(DELETE_OLDEST);
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { meta } = await statement.bind(cutoff, batchSize).run();
    deleted += meta.changes;
    if (meta.changes < batchSize) break;
  }
  if (deleted > 0) log.info({ msg: 'audit retention', deleted, cutoff: new Date(cutoff).toISOString() });
  return deleted;
}
