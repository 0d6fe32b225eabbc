import type { AdminListFigure } from './figures/admin-list';
import type { AuditIngestFigure } from './figures/audit-ingest';
import type { BundleFigure } from './figures/bundle';
import type { KeyLookupStage } from './figures/key-lookup';
import type { LatencyRow } from './figures/latency';
import type { OdooCallsRow } from './figures/odoo-calls';
import type { OwnCpuFigure } from './figures/own-cpu';
import type { ThroughputFigure } from './figures/throughput';
import type { UsageListFigure } from './figures/usage-list';
import type { Machine } from './machine';
import type { BenchOptions } from './options';

export type Figure<T> = { status: 'measured'; value: T } | { status: 'unavailable' | 'skipped' | 'failed'; reason: string };

export interface KeyLookupFigure {
  stages: KeyLookupStage[];
  seeding: Array<{ rows: number; seconds: number }>;
}

export interface BenchReport {
  command: string;
  startedAt: string;
  options: BenchOptions;
  machine: Machine;
  /** Whether gateway requests reached the Worker's own socket, and how often wrangler reloaded it during the run. */
  target: { workerSocket: boolean; reloads: number };
  figures: {
    latency: Figure<LatencyRow[]>;
    throughput: Figure<ThroughputFigure>;
    ownCpu: Figure<OwnCpuFigure>;
    keyLookup: Figure<KeyLookupFigure>;
    adminList: Figure<Extract<AdminListFigure, { status: 'measured' }>>;
    usageList: Figure<Extract<UsageListFigure, { status: 'measured' }>>;
    auditIngest: Figure<Extract<AuditIngestFigure, { status: 'measured' }>>;
    bundle: Figure<BundleFigure>;
    odooCalls: Figure<OdooCallsRow[]>;
  };
}

export const GOALS = {
  addedP50Ms: 2,
  addedP99Ms: 5,
  cpuMedianMs: 1,
  cpuLimitMs: 10,
  listPageMs: 100,
  auditRowsPerSecond: 5000,
  gzipBytes: 2 ** 20,
  startupLimitMs: 1000,
} as const;

/** Key verification counts as flat when the p50 with the most keys is within 25% or 0.5 ms of the p50 with the fewest. */
export function keyLookupIsFlat(stages: KeyLookupStage[]): boolean {
  const first = stages[0]!;
  const last = stages[stages.length - 1]!;
  return last.p50 <= Math.max(first.p50 * 1.25, first.p50 + 0.5);
}

type Met = boolean | null;

export function renderMarkdown(report: BenchReport): string {
  const { figures, machine } = report;
  const out: string[] = [];
  const rows: Array<[string, string, string, string, Met]> = [];
  const summaryOf = <T>(figure: Figure<T>, number: string, what: string, goal: string, measured: (value: T) => Array<[string, string, Met]>) => {
    if (figure.status !== 'measured') rows.push([number, what, `${figure.status}: ${figure.reason.split('\n')[0]}`, goal, null]);
    else for (const [detail, result, met] of measured(figure.value)) rows.push([number, detail ? `${what}, ${detail}` : what, result, goal, met]);
  };

  summaryOf(figures.latency, '1', 'Added latency per `tools/call`', `p50 ≤ ${GOALS.addedP50Ms} ms, p99 ≤ ${GOALS.addedP99Ms} ms`, (latency) =>
    latency.map((row): [string, string, Met] => [
      `concurrency ${row.concurrency}`,
      `p50 ${signed(row.addedP50)}, p99 ${signed(row.addedP99)} (gateway ${ms(row.gateway.p50)} / ${ms(row.gateway.p99)}, Odoo direct ${ms(row.odoo.p50)} / ${ms(row.odoo.p99)})`,
      row.addedP50 <= GOALS.addedP50Ms && row.addedP99 <= GOALS.addedP99Ms,
    ]).concat(
      latency.map((row): [string, string, Met] => [
        `concurrency ${row.concurrency}, stateless (2026-07-28)`,
        `p50 ${signed(row.statelessAddedP50)}, p99 ${signed(row.statelessAddedP99)} (gateway ${ms(row.stateless.p50)} / ${ms(row.stateless.p99)}; in a session: ${ms(row.gateway.p50)} / ${ms(row.gateway.p99)})`,
        row.statelessAddedP50 <= GOALS.addedP50Ms && row.statelessAddedP99 <= GOALS.addedP99Ms,
      ]),
    ),
  );
  summaryOf(figures.throughput, '2', 'Throughput of `tools/call`', 'context for the next row (local simulators included)', (t) => [
    [
      `concurrency ${t.concurrency}`,
      `${count(Math.round(t.requestsPerSecond))} requests/s; workerd process CPU per request ${ms(t.cpuMedianMs)} median, ${ms(t.cpuP99Ms)} p99 (a bare \`GET /\`: ${ms(t.floorCpuMs)})`,
      null,
    ],
  ]);
  summaryOf(figures.ownCpu, '2', "The Worker's own CPU per `tools/call`", `median ≤ ${GOALS.cpuMedianMs} ms (limit ${GOALS.cpuLimitMs} ms)`, (o) => [
    [
      'bindings answered from memory',
      `${ms(o.medianMs)} median, ${ms(o.p99Ms)} p99 over ${count(o.chunks)} chunks of ${o.chunk} calls. The same loop, wall time per call: with the local D1 for the key lookup ${ms(o.withLocalD1.medianMs)} / ${ms(o.withLocalD1.p99Ms)}; with the local D1, KV, Queue and the stand-in ${ms(o.withLocalBindings.medianMs)} / ${ms(o.withLocalBindings.p99Ms)}`,
      o.medianMs <= GOALS.cpuMedianMs && o.p99Ms < GOALS.cpuLimitMs,
    ],
    [
      'stateless (2026-07-28), bindings answered from memory',
      `${ms(o.stateless.medianMs)} median, ${ms(o.stateless.p99Ms)} p99 over ${count(o.stateless.chunks)} chunks of ${o.chunk} calls (in a session: ${ms(o.medianMs)} / ${ms(o.p99Ms)}). The same loop, wall time per call: with the local D1 for the key lookup ${ms(o.stateless.withLocalD1.medianMs)} / ${ms(o.stateless.withLocalD1.p99Ms)}; with the local D1, KV, Queue and the stand-in ${ms(o.stateless.withLocalBindings.medianMs)} / ${ms(o.stateless.withLocalBindings.p99Ms)}`,
      o.stateless.medianMs <= GOALS.cpuMedianMs && o.stateless.p99Ms < GOALS.cpuLimitMs,
    ],
  ]);
  summaryOf(figures.keyLookup, '3', 'Key verification (authenticated `tools/list`)', 'does not grow with the number of keys', (k) => [
    ['', `${k.stages.map((stage) => `${count(stage.connections)} keys: ${ms(stage.p50)} / ${ms(stage.p99)}`).join('; ')} (p50 / p99)`, keyLookupIsFlat(k.stages)],
  ]);
  summaryOf(figures.adminList, '4', '`GET /admin/api/connections`', `< ${GOALS.listPageMs} ms per page`, (a) => [
    [
      `${count(a.connections)} connections`,
      `first page (${a.pageSize} items) ${ms(a.firstPage.p50)} p50; full walk ${count(a.walk.pages)} pages, ${count(a.walk.items)} items in ${seconds(a.walk.totalMs)}, per page ${ms(a.walk.perPage.p50)} p50 / ${ms(a.walk.perPage.p99)} p99 / ${ms(a.walk.perPage.max)} max`,
      a.walk.complete && a.firstPage.p50 < GOALS.listPageMs && a.walk.perPage.p99 < GOALS.listPageMs,
    ],
  ]);
  summaryOf(figures.usageList, '4', '`GET /admin/api/usage` (the list\'s 7-day sparklines, one query per page)', `< ${GOALS.listPageMs} ms per page`, (u) => [
    [
      `${count(u.connections)} connections, ${count(u.auditRows)} audit rows`,
      `first page (${u.pageSize} connections) ${ms(u.firstPage.p50)} p50 / ${ms(u.firstPage.p99)} p99; ${count(u.pages)} pages ${ms(u.perPage.p50)} p50 / ${ms(u.perPage.p99)} p99 / ${ms(u.perPage.max)} max`,
      u.firstPage.p50 < GOALS.listPageMs && u.perPage.p99 < GOALS.listPageMs,
    ],
  ]);
  summaryOf(figures.auditIngest, '5', 'Audit ingest, Queue consumer into D1', `≥ ${count(GOALS.auditRowsPerSecond)} rows/s`, (a) => [
    [
      '',
      `${count(Math.round(a.rowsPerSecond))} rows/s${a.queueRowsPerSecond === undefined ? '' : ` (end to end through the local queue: ${count(Math.round(a.queueRowsPerSecond))} rows/s)`}`,
      a.rowsPerSecond >= GOALS.auditRowsPerSecond,
    ],
  ]);
  summaryOf(figures.bundle, '6', 'Bundle', '≤ 1 MiB gzipped', (b) => [
    ['', `${kib(b.rawBytes)} raw, ${kib(b.gzipBytes)} gzipped`, b.gzipBytes <= GOALS.gzipBytes],
  ]);
  summaryOf(figures.bundle, '6', 'Worker start-up', `Cloudflare's limit: ${GOALS.startupLimitMs / 1000} s`, (b) => [
    ['', `${ms(b.startup.activeMs)} CPU (median of ${b.startup.runs} profile${b.startup.runs === 1 ? '' : 's'}, ${ms(b.startup.windowMs)} wall)`, b.startup.activeMs < GOALS.startupLimitMs],
  ]);
  summaryOf(figures.odooCalls, '7', 'Calls to Odoo per tool call', 'exactly 1 (+1 by id under a record domain)', (calls) => {
    const plain = calls.filter((row) => row.expected === 1);
    const extra = calls.filter((row) => row.expected !== 1);
    const ok = calls.every((row) => row.error === null && row.odooCalls === row.expected);
    const tools = new Set(plain.map((row) => row.tool)).size;
    return [['', `${plain.every((row) => row.odooCalls === 1) ? '1' : 'not 1'} for each of ${tools} tools; ${extra.map((row) => `${row.odooCalls} for ${row.tool} (${row.scope === 'record domain' ? 'by id, record domain' : row.call})`).join(', ')}`, ok]];
  });

  out.push('### Measured performance', '');
  if (report.options.smoke) out.push('> `--smoke` run: tiny sizes that only prove the benchmark works; these numbers mean nothing.', '');
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB memory; ${machine.os}; node ${machine.node}; wrangler ${machine.wrangler}. ` +
      `Load average at the start: ${machine.loadAverage.map((load) => load.toFixed(2)).join(' / ')}.`,
    '',
    `Command: \`${report.command}\` (${report.startedAt}).`,
    '',
    '| # | What | Measured | Goal | Met |',
    '|---|---|---|---|---|',
    ...rows.map(([number, what, result, goal, met]) => `| ${number} | ${what} | ${result} | ${goal} | ${met === null ? '–' : met ? 'yes' : '**no**'} |`),
    '',
  );

  if (figures.latency.status === 'measured') {
    out.push('Figure 1 in detail (search_records on res.partner: 5 records, 3 fields; milliseconds, measured by the client):', '');
    out.push('| Concurrency | Path | Calls | p50 | p99 |', '|---|---|---|---|---|');
    for (const row of figures.latency.value) {
      for (const path of [row.odoo, row.gateway, row.wranglerDev, row.stateless]) {
        out.push(`| ${row.concurrency} | ${path.path} | ${count(path.n)}${path.failures ? ` (${path.failures} failed)` : ''} | ${ms(path.p50)} | ${ms(path.p99)} |`);
      }
      out.push(`| ${row.concurrency} | **Added by the gateway** | | **${signed(row.addedP50)}** | **${signed(row.addedP99)}** |`);
      out.push(`| ${row.concurrency} | **Added by the gateway, stateless** | | **${signed(row.statelessAddedP50)}** | **${signed(row.statelessAddedP99)}** |`);
    }
    out.push('');
  }
  if (figures.keyLookup.status === 'measured') {
    out.push('Figure 3 in detail (authenticated tools/list, one at a time):', '');
    out.push('| Connections in D1 | Calls | p50 | p99 |', '|---|---|---|---|');
    for (const stage of figures.keyLookup.value.stages) out.push(`| ${count(stage.connections)} | ${count(stage.n)} | ${ms(stage.p50)} | ${ms(stage.p99)} |`);
    out.push('');
  }
  if (figures.odooCalls.status === 'measured') {
    out.push('Figure 7 in detail (requests the stand-in Odoo received for one call):', '');
    out.push('| Tool | Scope | Call | Requests to Odoo | Odoo methods |', '|---|---|---|---|---|');
    for (const row of figures.odooCalls.value) {
      const flag = row.error ? ` (failed: ${row.error.replaceAll('|', '\\|').slice(0, 120)})` : row.odooCalls !== row.expected ? ` (expected ${row.expected})` : '';
      out.push(`| \`${row.tool}\` | ${row.scope} | ${row.call} | ${row.odooCalls}${flag} | ${row.odooMethods.join(', ')} |`);
    }
    out.push('');
  }
  out.push(...notes(report).map((note) => `- ${note}`));
  return out.join('\n');
}

function notes(report: BenchReport): string[] {
  const { figures, options } = report;
  const list = [
    `Everything runs on this machine over loopback: \`wrangler dev\` (workerd with local D1, KV, Queues and the rate-limit Durable Object) and the stand-in Odoo, which answers at once, in the benchmark's own Node process. Requests use keep-alive connections and raw JSON-RPC POSTs on one MCP session (initialized once).`,
    report.target.workerSocket
      ? `Gateway requests go to the socket of the workerd process that runs the Worker; the port \`wrangler dev\` prints puts wrangler's local proxy Worker (a second workerd process) in front, a hop a deployed Worker does not have, shown separately in figure 1.${report.target.reloads ? ` wrangler reloaded the Worker ${report.target.reloads} time(s) during the run (a source file changed); calls cut by a reload were dropped, not counted.` : ''}`
      : `The Worker's own socket was not found: gateway requests went through wrangler dev's port and its local proxy Worker.`,
    `Figure 1: the four paths (Odoo direct; the gateway in a 2025-era session, on its own socket and through wrangler dev's proxy; the gateway stateless in MCP 2026-07-28, no session, \`_meta\` and the Mcp-Method/Mcp-Name headers on every request) are interleaved in one run (one call of each in turn at concurrency 1; blocks of 8 × concurrency calls per path, rotating, at concurrency 16), ${count(options.calls)} calls per path and concurrency after a warm-up. "Added" is the gateway's percentile minus Odoo's.`,
  ];
  if (figures.throughput.status === 'measured') {
    const t = figures.throughput.value;
    list.push(
      `Figure 2: ${count(t.calls)} calls with ${t.concurrency} in flight throughout. CPU is utime + stime of ${t.cpuSource === 'worker' ? "the Worker's workerd process" : 'every workerd process under the bench'} from /proc/<pid>/stat (${t.ticksPerSecond} ticks/s), read after every ${t.chunk} completed calls; each chunk gives CPU delta ÷ ${t.chunk} as one per-request value and the median and p99 are over those ${t.cpuChunks} chunk averages (overall: ${ms(t.cpuOverallMs)} per request). ` +
        `It includes what workerd does locally besides the Worker (miniflare's entry Worker and wrangler's middleware, the D1, KV, Cache and Queue simulators, the audit queue consumer writing events), so it overstates what Cloudflare would bill; a bare \`GET /\` (no key, no D1, no Odoo) costs ${ms(t.floorCpuMs)} of it, measured the same way. The client and the stand-in Odoo share the same ${report.machine.cores} cores.`,
    );
  }
  if (figures.ownCpu.status === 'measured') {
    const o = figures.ownCpu.value;
    list.push(
      `Figure 2, the Worker's own CPU: locally the simulators share workerd's thread with the Worker, so the process CPU above is the Worker's work plus theirs; on Cloudflare they are other machines and only the Worker's JavaScript is billed. \`bench/cpu-worker.ts\` (the gateway plus one bench-only route, in its own \`wrangler dev\`) sends the same search_records through the real Worker, from Hono and the HMAC key check to the MCP SDK, the scope, the Odoo client and the audit event, while D1, KV, the Queue and Odoo's \`fetch\` answer from memory with what the real ones answered to the same call just before (${o.recordedAnswers} answers, kept as JSON text and parsed on every call, as a binding deserializes). With no I/O left, the wall time of a chunk of ${o.chunk} calls, background work included, is the isolate's CPU for them; workerd's clock has millisecond resolution, hence chunks. Median and p99 are over the chunk averages. It runs twice: the call in a 2025-era session, then the same call stateless in MCP 2026-07-28 (${o.stateless.recordedAnswers} answers; the key lookup without the session join, \`_meta\` and the Mcp-Method/Mcp-Name headers checked, the SDK v2 per-request handler), each with its own warm-up. The same loop then runs with the key lookup going to the local D1, and with every local binding and the stand-in; their wall time per call is the Worker's CPU plus the wait on those, with no HTTP hop in front.`,
    );
  }
  if (figures.keyLookup.status === 'measured') {
    const seeded = figures.keyLookup.value.seeding.map((seed) => `${count(seed.rows)} rows in ${seed.seconds.toFixed(1)} s`).join(', ');
    list.push(`Figure 3: extra connections are written straight into the local D1 with multi-row INSERTs (\`wrangler d1 execute --local\`; ${seeded}); they have unique public ids and are never presented. "Flat" means the p50 with the most keys is within 25% or 0.5 ms of the p50 with the fewest.`);
  }
  list.push(
    `Figure 4: the route's default page size, the first page requested ${options.smoke ? 3 : 10} times, then a walk following \`next_cursor\` to the end. Usage: ${count(options.auditRows)} MCP audit rows written straight into the local D1, spread over the last 7 days and the connections (8 in 10 allowed, 1 denied, 1 an Odoo error); \`GET /admin/api/usage\` with the ids of a list page (what the console's list asks for its sparklines), the first page ${options.smoke ? 3 : 10} times, then each page of a walk.`,
    'Figure 6: `wrangler deploy --dry-run --outdir` modules (source maps excluded), gzipped together as wrangler does; start-up is the non-idle CPU time in the V8 profile `wrangler check startup` records for that same bundle in local workerd (Cloudflare\'s CPU differs).',
    'Figure 7: a full-access key and a key whose scope reaches res.partner only through a record domain; each row is one happy-path call, counted at the stand-in. A domain condition through a relation (`partner_id.is_company`) makes the gateway ask `fields_get` first, to check the related model against the scope.',
  );
  return list;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ms`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function kib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
