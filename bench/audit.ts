import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freePort, stopChild } from '../scripts/local-gateway';

/**
 * npm run bench:audit
 *
 * Runs bench/audit-worker.ts (the gateway plus bench routes that call the
 * real audit code) in `wrangler dev` with local D1 and Queues, then measures:
 *  (a) ingest: batches of 100 events through the real queue consumer into
 *      local D1, timed per batch; and the same end to end through the local queue;
 *  (b) the request path: in workerd, the time to build an event and hand its
 *      queue send to waitUntil (what the MCP route adds to a tools/call); and,
 *      from outside, the latency of a request with and without that, next to
 *      two controls that show what local emulation of background I/O costs.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
/** Run with this process's node (the project's), whatever `node` is first on PATH. */
const WRANGLER = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const QUIET_ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

const INGEST_ROUNDS = 5;
const BATCHES_PER_ROUND = 20;
const QUEUE_EVENTS = 10_000;
const CALL_ROUNDS = Number(process.env.BENCH_CALL_ROUNDS ?? 1500);
const CALL_GAP_MS = 10;

const run = promisify(execFile);

interface BenchWorker {
  base: string;
  stop(): Promise<void>;
}

/** bench/audit-worker.ts in wrangler dev, on a free port, with fresh local state that stop() removes. */
async function startBenchWorker(): Promise<BenchWorker> {
  const state = await mkdtemp(path.join(tmpdir(), 'audit-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await writeFile(
    path.join(state, 'bench.env'),
    [
      `ADMIN_TOKEN="${randomBytes(24).toString('base64url')}"`,
      `KEY_PEPPER="${randomBytes(32).toString('base64url')}"`,
      `CREDENTIALS_KEY="${randomBytes(32).toString('base64')}"`,
    ].join('\n'),
    { mode: 0o600 },
  );
  await run(process.execPath, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', path.join(state, 'state')], { cwd: ROOT, env: QUIET_ENV });
  const child = spawn(
    process.execPath,
    [WRANGLER, 'dev', 'bench/audit-worker.ts', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', path.join(state, 'state'), '--env-file', path.join(state, 'bench.env'), '--show-interactive-dev-session=false', '--log-level', 'error'],
    { cwd: ROOT, env: QUIET_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  const stopWorker = async () => {
    process.off('exit', stopOnExit);
    await stopChild(child);
    await rm(state, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(base, child, output);
  } catch (error) {
    await stopWorker();
    throw error;
  }
  return { base, stop: stopWorker };
}

async function main(): Promise<void> {
  const worker = await startBenchWorker();
  try {
    const rows = await measureIngest(worker.base);
    const queued = await measureQueueIngest(worker.base);
    const cost = await measureCallCost(worker.base);
    const calls = await measureCallPath(worker.base, CALL_ROUNDS);
    printReport(rows, queued, calls, cost);
  } finally {
    await worker.stop();
  }
}

/** Part (a) alone, for bench/run.ts (its figure 5). */
export async function measureAuditIngest(): Promise<{ rowsPerSecond: number; queueRowsPerSecond: number; note: string }> {
  const worker = await startBenchWorker();
  try {
    const rows = await measureIngest(worker.base);
    const queued = await measureQueueIngest(worker.base);
    return {
      rowsPerSecond: median(rows.rowsPerSecond),
      queueRowsPerSecond: queued.rowsPerSecond,
      note: `batches of 100 through the queue consumer into local D1, median of ${INGEST_ROUNDS} rounds of ${BATCHES_PER_ROUND} batches`,
    };
  } finally {
    await worker.stop();
  }
}

interface IngestFigures {
  rowsPerSecond: number[];
  batchMs: number[];
}

async function measureIngest(base: string): Promise<IngestFigures> {
  await getJson(`${base}/__bench/ingest?batches=5&run=warm`);
  const rowsPerSecond: number[] = [];
  const batchMs: number[] = [];
  for (let round = 0; round < INGEST_ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const result = (await getJson(`${base}/__bench/ingest?batches=${BATCHES_PER_ROUND}&run=r${round}`)) as { rows: number; perBatchMs: number[] };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rowsPerSecond.push(result.rows / seconds);
    batchMs.push(...result.perBatchMs);
  }
  const stored = (await getJson(`${base}/__bench/count?prefix=r`)) as { count: number };
  if (stored.count !== INGEST_ROUNDS * BATCHES_PER_ROUND * 100) throw new Error(`expected ${INGEST_ROUNDS * BATCHES_PER_ROUND * 100} rows, found ${stored.count}`);
  return { rowsPerSecond, batchMs };
}

async function measureQueueIngest(base: string): Promise<{ rowsPerSecond: number; seconds: number }> {
  const started = process.hrtime.bigint();
  await getJson(`${base}/__bench/enqueue?count=${QUEUE_EVENTS}&run=q`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { count } = (await getJson(`${base}/__bench/count?prefix=q_`)) as { count: number };
    if (count >= QUEUE_EVENTS) break;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${QUEUE_EVENTS} queued events stored within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rowsPerSecond: QUEUE_EVENTS / seconds, seconds };
}

const VARIANTS = ['none', 'audit', 'timer', 'd1'] as const;
type Variant = (typeof VARIANTS)[number];
type CallFigures = Record<Variant, number[]>;

/**
 * The same tiny request in four variants, interleaved in random order so
 * drift (GC, other load on the machine) hits all alike, each request a few ms
 * after the previous so its background work is done: none; audit (build the
 * event and send it in waitUntil, as the MCP route does); and two controls,
 * waitUntil of an idle timer and waitUntil of one D1 `select 1`, which show
 * what any background I/O costs a request when the local emulation of the
 * binding shares the machine with it.
 */
async function measureCallPath(base: string, rounds: number): Promise<CallFigures> {
  const time = async (variant: Variant) => {
    await new Promise((resolve) => setTimeout(resolve, CALL_GAP_MS));
    const started = process.hrtime.bigint();
    const response = await fetch(`${base}/__bench/call?variant=${variant}`);
    await response.arrayBuffer();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < 100; i++) await time(VARIANTS[i % VARIANTS.length]!);
  const figures: CallFigures = { none: [], audit: [], timer: [], d1: [] };
  for (let i = 0; i < rounds; i++) {
    for (const variant of [...VARIANTS].sort(() => Math.random() - 0.5)) figures[variant].push(await time(variant));
  }
  return figures;
}

/** Microseconds per event of the request-path work, in workerd; its clock ticks in ms, so each sample times 200 events. */
async function measureCallCost(base: string): Promise<{ build: number[]; buildAndSend: number[] }> {
  const sample = async (send: boolean) => {
    const { events, totalMs } = (await getJson(`${base}/__bench/call-cost?events=200&send=${send ? 1 : 0}`)) as { events: number; totalMs: number };
    return (totalMs * 1000) / events;
  };
  const figures = { build: [] as number[], buildAndSend: [] as number[] };
  for (let i = 0; i < 110; i++) {
    const build = await sample(false);
    const buildAndSend = await sample(true);
    if (i < 10) continue;
    figures.build.push(build);
    figures.buildAndSend.push(buildAndSend);
  }
  return figures;
}

function printReport(
  rows: IngestFigures,
  queued: { rowsPerSecond: number; seconds: number },
  calls: CallFigures,
  cost: { build: number[]; buildAndSend: number[] },
): void {
  const p = (values: number[], q: number) => percentile(values, q);
  const ms = (values: number[]) => `${fmt(p(values, 50), 3)} / ${fmt(p(values, 99), 3)} ms`;
  const signed = (value: number) => `${value >= 0 ? '+' : '−'}${fmt(Math.abs(value), 3)}`;
  const added = (variant: Variant) => `${signed(p(calls[variant], 50) - p(calls.none, 50))} / ${signed(p(calls[variant], 99) - p(calls.none, 99))} ms`;
  const micros = (values: number[]) => `${fmt(p(values, 50), 0)} / ${fmt(p(values, 99), 0)} µs`;
  const table: Array<[string, string, string]> = [
    ['measure', 'figure', 'goal'],
    ['(a) consumer ingest, batches of 100 (median of 5 rounds)', `${fmt(median(rows.rowsPerSecond), 0)} rows/s`, '>= 5,000 rows/s'],
    ['(a) consumer ingest, slowest round', `${fmt(Math.min(...rows.rowsPerSecond), 0)} rows/s`, ''],
    ['(a) one batch of 100 into D1 (p50 / p99)', `${fmt(p(rows.batchMs, 50), 0)} / ${fmt(p(rows.batchMs, 99), 0)} ms`, ''],
    [`(a) end to end through the local queue (emulated), ${fmt(QUEUE_EVENTS, 0)} events`, `${fmt(queued.rowsPerSecond, 0)} rows/s`, ''],
    ['(b) in workerd, per event: build it (p50 / p99 of 200-event means)', micros(cost.build), ''],
    ['(b) in workerd, per event: build + hand the send to waitUntil', micros(cost.buildAndSend), '< 1 ms at p99'],
    ['(b) wrangler dev request, no audit (p50 / p99)', ms(calls.none), ''],
    ['(b) same request with the audit send, added (p50 / p99)', added('audit'), ''],
    ['    control: waitUntil(idle timer), added', added('timer'), ''],
    ['    control: waitUntil(D1 select 1), added', added('d1'), ''],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(line(table[0]!));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
  console.log(
    `\n${CALL_ROUNDS} requests per variant, ${CALL_GAP_MS} ms apart; in-worker figures over 100 samples of 200 events; ` +
      `${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; node ${process.version}; ${new Date().toISOString()}`,
  );
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]!;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function waitUntilReady(base: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(`${base}/__bench/count`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer within 60 s:\n${output.join('')}`);
}


if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
