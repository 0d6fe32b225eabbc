import gateway from '../src/index';
import { auditEventForCall, type CallSite } from '../src/audit/from-call';
import { storeAuditEvents } from '../src/audit/store';
import { auditEventSchema } from '../src/audit/event';
import { handleAuditBatch } from '../src/audit/consumer';
import { deliverAuditEvent } from '../src/audit/sink';
import type { Env } from '../src/config/env';
import { openDatabase } from '../src/db/client';
import { auditEvents } from '../src/db/schema';
export { RateLimiter } from '../src/ratelimit/durable-object';

const SITE: CallSite = {
  principal: {
    connection: { id: 'con_bench', name: 'Bench assistant', scope: { preset: 'full' } as never, notBefore: null, expiresAt: null, logPayloads: false },
    keyPublicId: 'abcdefghijkl',
    odoo: { id: 'acct_bench', url: 'https://odoo.test', database: 'odoo', login: 'admin', apiKey: 'not-used', api: 'json2', uid: 2, userName: 'Mitchell Admin' },
    session: null,
  },
  session: { id: '0123456789abcdef0123456789abcdef', client: { name: 'bench-client', version: '1.0.0' } },
  clientIp: '203.0.113.7',
  userAgent: 'bench/1.0 (node)',
};
const call = (now: number) => ({
  tool: 'update_records',
  args: { model: 'crm.lead', ids: [12, 13, 14], values: { name: 'Renamed lead', description: 'A longer description', probability: 40 } },
  outcome: { kind: 'ok' as const, data: {}, recordIds: [12, 13, 14] },
  startedAt: now,
  latencyMs: 17,
});
const COLS = ['id','at','kind','connection_id','connection_name','key_public_id','odoo_uid','odoo_login','client_ip','user_agent','mcp_client_name','mcp_client_version','session_id','tool','model','method','record_ids','outcome','denial_code','denial_reason','odoo_error','latency_ms','detail','dead_lettered'];
const KEYS = ['id','at','kind','connectionId','connectionName','keyPublicId','odooUid','odooLogin','clientIp','userAgent','mcpClientName','mcpClientVersion','sessionId','tool','model','method','recordIds','outcome','denialCode','denialReason','odooError','latencyMs','detail'];

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? 20);
    const mode = url.searchParams.get('mode');
    if (mode?.startsWith('call')) {
      const db0 = openDatabase(env.DB);
      if (mode === 'callA') ctx.waitUntil(deliverAuditEvent(env.AUDIT_QUEUE, db0, auditEventForCall(SITE, call(Date.now()))));
      if (mode === 'callW') ctx.waitUntil(new Promise((r) => setTimeout(r, 30)));
      if (mode === 'callB') auditEventForCall(SITE, call(Date.now()));
      if (mode === 'callS') { const e = auditEventForCall(SITE, call(Date.now())); ctx.waitUntil(env.AUDIT_QUEUE.send(e, { contentType: 'json' })); }
      if (mode === 'callV8') { const e = auditEventForCall(SITE, call(Date.now())); ctx.waitUntil(env.AUDIT_QUEUE.send(e)); }
      if (mode === 'callD') { const e = auditEventForCall(SITE, call(Date.now())); ctx.waitUntil(new Promise((r) => setTimeout(r, 0)).then(() => env.AUDIT_QUEUE.send(e, { contentType: 'json' }))); }
      if (mode === 'callK') { ctx.waitUntil(env.DB.prepare('select 1').run()); }
      return Response.json({ ok: true });
    }
    const run = url.searchParams.get('run') ?? 'x';
    const now = Date.now();
    const t0 = Date.now();
    const db = openDatabase(env.DB);
    if (mode === 'build') { for (let i = 0; i < n; i++) auditEventForCall(SITE, call(now)); }
    else if (mode === 'send') { const e = auditEventForCall(SITE, call(now)); for (let i = 0; i < n; i++) ctx.waitUntil(env.AUDIT_QUEUE.send({ ...e, id: `${run}${i}` }, { contentType: 'json' })); }
    else if (mode === 'deliver') { for (let i = 0; i < n; i++) ctx.waitUntil(deliverAuditEvent(env.AUDIT_QUEUE, db, auditEventForCall(SITE, call(now)))); }
    else if (mode === 'parse') { const bodies = Array.from({ length: 100 }, () => JSON.parse(JSON.stringify(auditEventForCall(SITE, call(now))))); const t1 = Date.now(); for (let b = 0; b < n; b++) for (const body of bodies) auditEventSchema.safeParse(body); return Response.json({ mode, n, ms: Date.now() - t1 }); }
    else if (mode === 'select1') { for (let b = 0; b < n; b++) await env.DB.prepare('select 1').run(); }
    else if (mode === 'store') { for (let b = 0; b < n; b++) { const events = Array.from({ length: 100 }, (_, i) => ({ ...auditEventForCall(SITE, call(now)), id: `${run}${b}_${i}` })); await storeAuditEvents(db, events); } }
    else if (mode === 'consumer') { for (let b = 0; b < n; b++) { const msgs = Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: JSON.parse(JSON.stringify({ ...auditEventForCall(SITE, call(now)), id: `${run}${b}_${i}` })), ack() {}, retry() {} })); await handleAuditBatch({ queue: 'odoo-mcp-gateway-audit', messages: msgs, ackAll() {}, retryAll() {} } as never, env, ctx); } }
    else if (mode === 'drizzle-build') {
      for (let b = 0; b < n; b++) { const rows = Array.from({ length: 100 }, (_, i) => ({ ...auditEventForCall(SITE, call(now)), id: `${run}${b}_${i}`, deadLettered: false }));
        for (let i = 0; i < 100; i += 4) db.insert(auditEvents).values(rows.slice(i, i + 4)).onConflictDoNothing().toSQL(); }
    } else {
      for (let b = 0; b < n; b++) {
        const events = Array.from({ length: 100 }, (_, i) => ({ ...auditEventForCall(SITE, call(now)), id: `${run}${b}_${i}` }));
        if (mode === 'drizzle') await storeAuditEvents(db, events);
        else if (mode === 'raw') {
          const per = 4; const sql = `INSERT OR IGNORE INTO audit_events (${COLS.join(',')}) VALUES ` + Array(per).fill(`(${COLS.map(() => '?').join(',')})`).join(',');
          const stmts = [];
          for (let i = 0; i < 100; i += per) stmts.push(env.DB.prepare(sql).bind(...events.slice(i, i + per).flatMap((e: any) => [...KEYS.map((k) => k === 'recordIds' || k === 'detail' ? (e[k] == null ? null : JSON.stringify(e[k])) : e[k]), 0])));
          await env.DB.batch(stmts);
        } else if (mode === 'json') {
          const sql = `INSERT OR IGNORE INTO audit_events (${COLS.join(',')}) SELECT ${KEYS.map((k) => `value->>'${k}'`).join(',')}, 0 FROM json_each(?)`;
          await env.DB.prepare(sql).bind(JSON.stringify(events)).run();
        } else if (mode === 'json-arr') {
          const sql = `INSERT OR IGNORE INTO audit_events (${COLS.join(',')}) SELECT ${KEYS.map((_, j) => `value->>${j}`).join(',')}, 0 FROM json_each(?)`;
          await env.DB.prepare(sql).bind(JSON.stringify(events.map((e: any) => KEYS.map((k) => k === 'recordIds' || k === 'detail' ? (e[k] == null ? null : JSON.stringify(e[k])) : e[k])))).run();
        }
      }
    }
    const ms = Date.now() - t0;
    if (mode === 'count') return Response.json((await env.DB.prepare('select count(*) n from audit_events').first()));
    return Response.json({ mode, n, ms });
  },
  queue: gateway.queue,
} satisfies ExportedHandler<Env, unknown>;
