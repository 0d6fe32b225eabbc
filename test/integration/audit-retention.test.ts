import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { applyAuditRetention, DAY_MS } from '../../src/audit/retention';
import { openDatabase } from '../../src/db/client';
import { useStandinOdoo } from '../support/odoo';
import { auditEvent, rowsWhere, seedEvents } from './audit-helpers';

useStandinOdoo();

async function runCron(scheduledTime: number, environment: Cloudflare.Env = env): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime, cron: '*/5 * * * *' }), environment, ctx);
  await waitOnExecutionContext(ctx);
}

async function idsOf(connectionId: string): Promise<string[]> {
  return (await rowsWhere('connection_id = ?', connectionId)).map((row) => row.id);
}

describe('audit retention in the cron', () => {
  it('removes events older than AUDIT_RETENTION_DAYS (365) and keeps the rest', async () => {
    const now = Date.parse('2027-06-01T03:00:00Z');
    const connectionId = `con_retention_${crypto.randomUUID().slice(0, 8)}`;
    const old = Array.from({ length: 2500 }, (_, index) => auditEvent({ connectionId, at: now - 400 * DAY_MS + index }));
    const justOld = auditEvent({ connectionId, at: now - 365 * DAY_MS - 1 });
    const atCutoff = auditEvent({ connectionId, at: now - 365 * DAY_MS });
    const recent = auditEvent({ connectionId, at: now - 364 * DAY_MS });
    await seedEvents([...old, justOld, atCutoff, recent]);

    await runCron(now);

    expect((await idsOf(connectionId)).sort()).toEqual([atCutoff.id, recent.id].sort());
    await runCron(now);
    expect(await idsOf(connectionId)).toHaveLength(2);
  });

  it('follows a shorter AUDIT_RETENTION_DAYS', async () => {
    const now = Date.parse('2027-07-01T03:00:00Z');
    const connectionId = `con_short_${crypto.randomUUID().slice(0, 8)}`;
    const older = auditEvent({ connectionId, at: now - 31 * DAY_MS });
    const newer = auditEvent({ connectionId, at: now - 29 * DAY_MS });
    await seedEvents([older, newer]);

    await runCron(now, { ...env, AUDIT_RETENTION_DAYS: '30' });

    expect(await idsOf(connectionId)).toEqual([newer.id]);
  });
});

describe('applyAuditRetention', () => {
  it('works in bounded batches, oldest first, and a repeated run removes nothing more', async () => {
    const cutoff = Date.parse('2001-01-01T00:00:00Z');
    const connectionId = `con_batches_${crypto.randomUUID().slice(0, 8)}`;
    const old = Array.from({ length: 10 }, (_, index) => auditEvent({ connectionId, at: cutoff - 1000 + index }));
    const kept = auditEvent({ connectionId, at: cutoff });
    await seedEvents([...old, kept]);
    const db = openDatabase(env.DB);

    expect(await applyAuditRetention(db, cutoff, { batchSize: 4, maxBatches: 2 })).toBe(8);
    expect((await idsOf(connectionId)).sort()).toEqual([old[8]!.id, old[9]!.id, kept.id].sort());
    expect(await applyAuditRetention(db, cutoff, { batchSize: 4, maxBatches: 2 })).toBe(2);
    expect(await applyAuditRetention(db, cutoff, { batchSize: 4, maxBatches: 2 })).toBe(0);
    expect(await idsOf(connectionId)).toEqual([kept.id]);
  });
});
