import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../src/audit/event';
import { expectJson } from '../support/connections-api';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { auditEvent, seedEvents } from './audit-helpers';
import { consolePage, signedIn, visibleText } from './console-helpers';

useStandinOdoo();

afterEach(() => {
  vi.restoreAllMocks();
});

const HOUR = 3_600_000;

/** Known audit rows for one connection: what the chart must show, and rows it must leave out. */
function knownRows(connectionId: string, now: number): { counted: AuditEvent[]; ignored: AuditEvent[] } {
  const hourAgo = Math.floor(now / HOUR) * HOUR - HOUR + 60_000;
  const dayAgo = hourAgo - 24 * HOUR;
  const row = (overrides: Partial<AuditEvent>) => auditEvent({ connectionId, connectionName: 'Charted', ...overrides });
  const counted = [
    ...Array.from({ length: 3 }, (_, n) => row({ at: hourAgo + n, tool: 'search_records', model: 'res.partner' })),
    row({ at: hourAgo + 10, tool: 'read_records', model: 'sale.order' }),
    row({ at: hourAgo + 20, outcome: 'denied', tool: 'create_records', model: 'crm.lead', denialCode: 'operation_denied', denialReason: 'this key may not create crm.lead' }),
    row({ at: dayAgo, outcome: 'denied', tool: 'create_records', model: 'crm.lead', denialCode: 'operation_denied', denialReason: 'an older reason' }),
    row({ at: dayAgo + 5, outcome: 'denied', tool: 'search_records', model: 'res.users.apikeys', denialCode: 'model_denied', denialReason: 'sensitive model' }),
    row({ at: dayAgo + 9, outcome: 'error', tool: 'write_records', model: 'sale.order', odooError: 'ValidationError' }),
  ];
  const ignored = [
    row({ at: now - 8 * 24 * HOUR }),
    row({ at: hourAgo, kind: 'admin', tool: null, model: null, method: 'connection.update' }),
    auditEvent({ connectionId: 'con_someone_else', at: hourAgo }),
  ];
  return { counted, ignored };
}

function bars(html: string): Array<{ start: string; outcome: string; calls: number }> {
  const found: Array<{ start: string; outcome: string; calls: number }> = [];
  for (const [, start, inner] of html.matchAll(/<g class="bucket" data-start="([^"]+)">([\s\S]*?)<\/g>/g)) {
    for (const [, outcome, calls] of inner!.matchAll(/data-outcome="(\w+)" data-calls="(\d+)"/g)) found.push({ start: start!, outcome: outcome!, calls: Number(calls) });
  }
  return found;
}

describe('usage at a glance', () => {
  it('the API counts MCP calls per hour by outcome, top tools and models, and denial reasons, from the audit rows only', async () => {
    const { connection } = await createConnection({ name: 'Charted', scope: { preset: 'read_only' } });
    const now = Date.now();
    const { counted, ignored } = knownRows(connection.id, now);
    await seedEvents([...counted, ...ignored]);

    const usage = await expectJson(await adminRequest(`/admin/api/connections/${connection.id}/usage`), 200);
    expect(usage.bucket_seconds).toBe(3600);
    expect(usage.buckets).toHaveLength(168);
    expect(Date.parse(usage.to)).toBe(Math.floor(now / HOUR) * HOUR + HOUR);
    expect(usage.totals).toEqual({ allowed: 4, denied: 3, error: 1 });
    const nonEmpty = usage.buckets.filter((bucket: { allowed: number; denied: number; error: number }) => bucket.allowed + bucket.denied + bucket.error > 0);
    expect(nonEmpty).toEqual([
      { start: new Date(Math.floor(now / HOUR) * HOUR - 25 * HOUR).toISOString(), allowed: 0, denied: 2, error: 1 },
      { start: new Date(Math.floor(now / HOUR) * HOUR - HOUR).toISOString(), allowed: 4, denied: 1, error: 0 },
    ]);
    expect(usage.top_tools).toEqual([
      { tool: 'search_records', calls: 4 },
      { tool: 'create_records', calls: 2 },
      { tool: 'read_records', calls: 1 },
      { tool: 'write_records', calls: 1 },
    ]);
    expect(usage.top_models[0]).toEqual({ model: 'res.partner', calls: 3 });
    expect(usage.denial_reasons).toEqual([
      { code: 'operation_denied', calls: 2, latest_reason: 'this key may not create crm.lead' },
      { code: 'model_denied', calls: 1, latest_reason: 'sensitive model' },
    ]);

    const many = await expectJson(await adminRequest(`/admin/api/usage?connection_ids=${connection.id},con_unknown`), 200);
    expect(many.bucket_seconds).toBe(6 * 3600);
    expect(many.items.map((item: { connection_id: string; totals: unknown }) => [item.connection_id, item.totals])).toEqual([
      [connection.id, { allowed: 4, denied: 3, error: 1 }],
      ['con_unknown', { allowed: 0, denied: 0, error: 0 }],
    ]);
    expect((await adminRequest('/admin/api/usage')).status).toBe(400);
    expect((await adminRequest('/admin/api/connections/con_missing/usage')).status).toBe(404);
  });

  it('the connection page draws the audit rows as bars, with the totals in words and per day', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Charted', scope: { preset: 'read_only' } });
    const now = Date.now();
    const { counted, ignored } = knownRows(connection.id, now);
    await seedEvents([...counted, ...ignored]);

    const page = await consolePage(browser, `/admin/connections/${connection.id}`);
    expect(page.status).toBe(200);
    const hour = (offset: number) => new Date(Math.floor(now / HOUR) * HOUR - offset * HOUR).toISOString();
    expect(bars(page.html).sort((a, b) => (a.start + a.outcome < b.start + b.outcome ? -1 : 1))).toEqual([
      { start: hour(25), outcome: 'denied', calls: 2 },
      { start: hour(25), outcome: 'error', calls: 1 },
      { start: hour(1), outcome: 'allowed', calls: 4 },
      { start: hour(1), outcome: 'denied', calls: 1 },
    ]);
    // The text alternative says the totals the bars add up to.
    const desc = visibleText(/<desc id="usage-chart-desc">([\s\S]*?)<\/desc>/.exec(page.html)![1]!);
    expect(desc).toMatch(/^Last 7 days: 8 calls: 4 allowed, 3 denied, 1 Odoo error\. Busiest hour: \w{3} .* UTC, 5 calls\.$/);
    expect(page.html).toMatch(/<svg class="usage-chart"[^>]*role="img"[^>]*aria-labelledby="usage-chart-title usage-chart-desc"/);
    const days = [...page.html.matchAll(/<tr data-day="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, day, cells]) => [day, visibleText(cells!).trim()]);
    expect(days.length).toBeGreaterThanOrEqual(7);
    const dayTotals = days.map(([, cells]) => cells!.split(' ').slice(1).map(Number)).reduce((sum, [a, d, e]) => [sum[0]! + a!, sum[1]! + d!, sum[2]! + e!], [0, 0, 0]);
    expect(dayTotals).toEqual([4, 3, 1]);

    expect(visibleText(/<li data-tool="search_records">([\s\S]*?)<\/li>/.exec(page.html)![1]!).trim()).toBe('search_records 4 calls');
    expect(visibleText(/<li data-model="res.partner">([\s\S]*?)<\/li>/.exec(page.html)![1]!).trim()).toBe('res.partner 3 calls');
    expect(visibleText(/<li data-denial="operation_denied">([\s\S]*?)<\/li>/.exec(page.html)![1]!).trim()).toBe(
      'operation_denied 2 calls Latest: this key may not create crm.lead',
    );
  });

  it('the list draws a 7-day sparkline per row from one audit query for the whole page', async () => {
    const browser = await signedIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const busy = await createConnection({ name: `Sparkline busy ${tag}`, scope: { preset: 'read_only' } });
    const quiet = await createConnection({ name: `Sparkline quiet ${tag}`, scope: { preset: 'read_only' } });
    const now = Date.now();
    await seedEvents(knownRows(busy.connection.id, now).counted);

    const prepare = vi.spyOn(env.DB, 'prepare');
    const page = await consolePage(browser, `/admin/connections?q=${encodeURIComponent(`Sparkline`)}&sort=name`);
    expect(page.status).toBe(200);
    const auditQueries = prepare.mock.calls.filter(([query]) => /from\s+"?audit_events"?/i.test(query));
    expect(auditQueries).toHaveLength(1);

    const rowOf = (id: string) => new RegExp(`<tr data-connection-id="${id}">([\\s\\S]*?)</tr>`).exec(page.html)![1]!;
    const busyRow = rowOf(busy.connection.id);
    expect(busyRow).toContain('aria-label="Last 7 days: 8 calls: 4 allowed, 3 denied, 1 Odoo error"');
    const buckets = [...busyRow.matchAll(/<g data-start="[^"]+" data-calls="(\d+)" data-failed="(\d+)">/g)].map(([, calls, failed]) => [Number(calls), Number(failed)]);
    expect(buckets).toEqual([
      [3, 3],
      [5, 1],
    ]);
    expect(rowOf(quiet.connection.id)).toContain('aria-label="Last 7 days: no calls"');
  });

  it('reads the audit table through the audit_usage index: the list from the index alone', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Planned', scope: { preset: 'read_only' } });
    const prepare = vi.spyOn(env.DB, 'prepare');
    await consolePage(browser, `/admin/connections?q=Planned`);
    await consolePage(browser, `/admin/connections/${connection.id}`);
    const [list, detail] = prepare.mock.calls.map(([query]) => query).filter((query) => /from\s+audit_events/i.test(query) && /count\(\*\)/i.test(query));
    prepare.mockRestore();
    const plan = async (query: string) => {
      const binds = Array.from(query.matchAll(/\?/g), () => 0);
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`).bind(...binds).all<{ detail: string }>();
      return results.map((row) => row.detail).join('\n');
    };
    expect(await plan(list!)).toMatch(/USING COVERING INDEX audit_usage/);
    expect(await plan(detail!)).toMatch(/USING (COVERING )?INDEX audit_usage/);
  });
});
