import type { Env } from '../config/env';
import { loadConfig } from '../config/load';
import { openDatabase, type Database } from '../db/client';
import { storeAuditEvents } from '../audit/store';
import { applyAuditRetention, retentionCutoff } from '../audit/retention';
import { endedApprovalEvents } from '../connections/end-access';
import { expireConnections } from '../connections/expiry';
import { expireStaleApprovals } from '../approvals/store';
import { flushLastUsed } from '../last-used/flush';
import { purgeInvitations } from '../oauth/invitations';
import { purgeRefreshRedemptions } from '../oauth/refresh-reuse';
import { oauthNames, oauthServer } from '../oauth/server';
import { log } from '../log/log';

/**
 * Every cron tick runs each job once. Each is idempotent and bounded, and a
 * failing job does not keep the others from running; the run still fails
 * afterwards so the failure shows in the Worker's cron history.
 */
export async function runScheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = loadConfig(env);
  const db = openDatabase(env.DB);
  const now = controller.scheduledTime;
  const jobs: Array<[string, () => Promise<unknown>]> = [
    ['flush_last_used', () => flushLastUsed(env.LAST_USED, db)],
    ['expire_connections', () => expireConnections(db, now)],
    ['expire_approvals', () => expireApprovals(db, now)],
    ['audit_retention', () => applyAuditRetention(db, retentionCutoff(now, config.AUDIT_RETENTION_DAYS))],
    ['oauth_purge', () => purgeOAuth(env, config, db, now)],
  ];
  const failed: string[] = [];
  for (const [job, run] of jobs) {
    try {
      log.info({ msg: 'cron job done', job, cron: controller.cron, result: await run() });
    } catch (error) {
      failed.push(job);
      log.error({ msg: 'cron job failed', job, cron: controller.cron, error: String(error) });
    }
  }
  if (failed.length > 0) throw new Error(`cron jobs failed: ${failed.join(', ')}`);
}

/** Expired and orphaned OAuth grants and tokens (KV TTLs remove most; this sweeps the rest), and old invitations. */
async function purgeOAuth(env: Env, config: ReturnType<typeof loadConfig>, db: Database, now: number) {
  const invitations = await purgeInvitations(db, now);
  const refreshRedemptions = await purgeRefreshRedemptions(db, now);
  if (!config.PUBLIC_URL) return { invitations, refreshRedemptions, grants: 'skipped: no PUBLIC_URL' };
  const server = oauthServer(oauthNames(config, config.PUBLIC_URL));
  return { invitations, refreshRedemptions, grants: server ? await server.purgeExpiredData(env) : null };
}

/** Pending approvals past their expiry become expired, each audited once (only rows this run changed). */
export async function expireApprovals(db: Database, now: number): Promise<number> {
  const expired = await expireStaleApprovals(db, now);
  await storeAuditEvents(db, endedApprovalEvents(expired, now));
  return expired.length;
}
