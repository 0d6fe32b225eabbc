import gateway from '../src/index';
import { handleAuditBatch } from '../src/audit/consumer';
import { auditEventForCall, type CallSite } from '../src/audit/from-call';
import { deliverAuditEvent } from '../src/audit/sink';
import type { Env } from '../src/config/env';
import { openDatabase } from '../src/db/client';
import type { CallRecord } from '../src/mcp/server';

export { RateLimiter } from '../src/ratelimit/durable-object';

/**
 * The gateway plus a few bench-only routes that drive the real audit code
 * (event building, queue send, consumer, D1) inside workerd. Never deployed:
 * `npm run bench:audit` runs it with wrangler dev and local bindings.
 */
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/__bench/ingest':
        return Response.json(await ingest(env, ctx, Number(url.searchParams.get('batches') ?? 10), url.searchParams.get('run') ?? 'r'));
      case '/__bench/enqueue':
        return Response.json(await enqueue(env, Number(url.searchParams.get('count') ?? 1000), url.searchParams.get('run') ?? 'q'));
      case '/__bench/count':
        return Response.json(await count(env, url.searchParams.get('prefix') ?? ''));
      case '/__bench/call':
        return onCallPath(env, ctx, url.searchParams.get('variant') ?? 'none');
      case '/__bench/call-cost':
        return Response.json(callCost(env, ctx, Number(url.searchParams.get('events') ?? 1000), url.searchParams.get('send') !== '0'));
      default:
        return gateway.fetch(request, env, ctx);
    }
  },
  queue: gateway.queue,
  scheduled: gateway.scheduled,
} satisfies ExportedHandler<Env, unknown>;

const SITE: CallSite = {
  principal: {
    connection: { id: 'con_bench', name: 'Bench assistant', auth: 'key', scope: { preset: 'full' } as never, notBefore: null, expiresAt: null, logPayloads: false, lastClient: { name: null, version: null } },
    keyPublicId: 'abcdefghijkl',
    odoo: { id: 'acct_bench', url: 'https://odoo.test', database: 'odoo', login: 'admin', apiKey: 'not-used', api: 'json2', uid: 2, userName: 'Mitchell Admin' },
    session: null,
  },
  session: { id: '0123456789abcdef0123456789abcdef', client: { name: 'bench-client', version: '1.0.0' } },
  clientIp: '203.0.113.7',
  userAgent: 'bench/1.0 (node)',
};

function callRecord(now: number): CallRecord {
  return {
    tool: 'update_records',
    args: { model: 'crm.lead', ids: [12, 13, 14], values: { name: 'Renamed lead', description: 'A longer description of the change', probability: 40 } },
    outcome: { kind: 'ok', data: { model: 'crm.lead', ids: [12, 13, 14], updated: true }, recordIds: [12, 13, 14] },
    startedAt: now,
    latencyMs: 17,
  };
}

function benchEvent(run: string, index: number, now: number) {
  return { ...auditEventForCall(SITE, callRecord(now)), id: `${run}_${String(index).padStart(8, '0')}` };
}

function fakeBatch(queue: string, bodies: unknown[]): MessageBatch<unknown> {
  const messages = bodies.map((body, index) => ({
    id: `msg_${index}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack() {},
    retry() {
      throw new Error('bench batch asked for a retry');
    },
  }));
  return { queue, messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>;
}

/** (a) Batches of 100 through the real consumer into local D1; each batch timed separately. */
async function ingest(env: Env, ctx: ExecutionContext, batches: number, run: string) {
  const now = Date.now();
  const perBatchMs: number[] = [];
  const started = Date.now();
  for (let b = 0; b < batches; b++) {
    const bodies = Array.from({ length: 100 }, (_, i) => benchEvent(run, b * 100 + i, now));
    const t0 = Date.now();
    await handleAuditBatch(fakeBatch('odoo-mcp-gateway-audit', bodies), env, ctx);
    perBatchMs.push(Date.now() - t0);
  }
  return { rows: batches * 100, totalMs: Date.now() - started, perBatchMs };
}

/** Sends events through the real queue binding, 100 per sendBatch, for the end-to-end ingest figure. */
async function enqueue(env: Env, total: number, run: string) {
  const now = Date.now();
  for (let start = 0; start < total; start += 100) {
    const bodies = Array.from({ length: Math.min(100, total - start) }, (_, i) => ({ body: benchEvent(run, start + i, now), contentType: 'json' as const }));
    await env.AUDIT_QUEUE.sendBatch(bodies);
  }
  return { sent: total };
}

async function count(env: Env, prefix: string) {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM audit_events WHERE id >= ? AND id < ?').bind(prefix, `${prefix}~`).first<{ n: number }>();
  return { count: row?.n ?? 0 };
}

/**
 * (b) 'audit' does what the MCP route does per tools/call: build the event,
 * hand its send to waitUntil. The controls put other background work in
 * waitUntil: an idle timer, and one D1 query.
 */
function onCallPath(env: Env, ctx: ExecutionContext, variant: string): Response {
  const db = openDatabase(env.DB);
  if (variant === 'audit') {
    const event = auditEventForCall(SITE, callRecord(Date.now()));
    ctx.waitUntil(deliverAuditEvent(env.AUDIT_QUEUE, db, event).catch(() => undefined));
  } else if (variant === 'timer') {
    ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, 5)));
  } else if (variant === 'd1') {
    ctx.waitUntil(env.DB.prepare('SELECT 1').run());
  }
  return Response.json({ ok: true });
}

/** In-worker cross-check: the clock only has millisecond resolution here, so time many events at once. */
function callCost(env: Env, ctx: ExecutionContext, events: number, send: boolean) {
  const db = openDatabase(env.DB);
  const t0 = Date.now();
  for (let i = 0; i < events; i++) {
    const event = auditEventForCall(SITE, callRecord(t0));
    if (send) ctx.waitUntil(deliverAuditEvent(env.AUDIT_QUEUE, db, event).catch(() => undefined));
  }
  return { events, totalMs: Date.now() - t0 };
}
