import { writeFile } from 'node:fs/promises';
import { createConnection, startEnvironment, type BenchEnvironment } from './environment';
import { measureAdminList } from './figures/admin-list';
import { measureAuditIngest } from './figures/audit-ingest';
import { measureBundle } from './figures/bundle';
import { measureKeyLookup } from './figures/key-lookup';
import { measureAddedLatency } from './figures/latency';
import { measureOdooCalls } from './figures/odoo-calls';
import { measureOwnCpu } from './figures/own-cpu';
import { measureThroughput } from './figures/throughput';
import { measureUsageList } from './figures/usage-list';
import { describeMachine } from './machine';
import { openSession, type McpSession } from './mcp';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options';
import { clockTicksPerSecond } from './proc';
import { renderMarkdown, type BenchReport, type Figure, type KeyLookupFigure } from './report';
import { countConnections, seedAuditEvents, seedConnections } from './seed';

/**
 * npm run bench: measures the gateway in `wrangler dev` against a stand-in
 * Odoo and prints a Markdown table (stdout) for the README; progress goes to
 * stderr. Exits 1 when a figure could not be measured, 2 on bad options.
 */

const started = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const CONCURRENCY = 16;

async function measure<T>(label: string, run: () => Promise<T>): Promise<Figure<T>> {
  log(`${label}...`);
  try {
    return { status: 'measured', value: await run() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`${label} failed: ${reason}`);
    return { status: 'failed', reason };
  }
}

function notRun(reason: string): Figure<never> {
  return { status: 'failed', reason };
}

async function runBench(options: BenchOptions, command: string): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine();
  const ticksPerSecond = await clockTicksPerSecond();
  const bundle = await measure('figure 6: bundle size and start-up', () => measureBundle(options));

  let env: BenchEnvironment | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping wrangler dev`);
    void (env?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const report: BenchReport = {
    command,
    startedAt,
    options,
    machine,
    target: { workerSocket: false, reloads: 0 },
    figures: {
      latency: notRun('the gateway did not start'),
      throughput: notRun('the gateway did not start'),
      ownCpu: notRun('not run'),
      keyLookup: notRun('the gateway did not start'),
      adminList: notRun('the gateway did not start'),
      usageList: notRun('the gateway did not start'),
      auditIngest: notRun('not run'),
      bundle,
      odooCalls: notRun('the gateway did not start'),
    },
  };
  try {
    env = await startEnvironment(log);
    await measureGateway(env, options, ticksPerSecond, report.figures);
    report.target = { workerSocket: env.worker.direct, reloads: env.worker.reloads };
  } catch (error) {
    log(`the gateway could not be measured: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await env?.stop();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }

  report.figures.ownCpu = await measure("figure 2: the Worker's own CPU per call (bench/cpu-worker.ts)", () =>
    measureOwnCpu(log, { calls: options.calls, chunk: options.ownCpuChunk }),
  );
  if (options.smoke) {
    report.figures.auditIngest = { status: 'skipped', reason: 'not run with --smoke (bench/audit.ts starts its own wrangler dev and takes minutes)' };
  } else {
    const audit = await measure('figure 5: audit ingest (bench/audit.ts)', () => measureAuditIngest({ maxSeconds: options.maxLoopSeconds }));
    report.figures.auditIngest =
      audit.status !== 'measured' ? audit : audit.value.status === 'measured' ? { status: 'measured', value: audit.value } : { status: 'unavailable', reason: audit.value.reason };
  }
  return report;
}

async function measureGateway(env: BenchEnvironment, options: BenchOptions, ticksPerSecond: number, figures: BenchReport['figures']): Promise<void> {
  const full = await createConnection(env, 'bench: full access', { preset: 'full' });
  const session: McpSession = await openSession(env.worker, full.key);
  const limit = { maxLoopSeconds: options.maxLoopSeconds };

  figures.odooCalls = await measure('figure 7: calls to Odoo per tool call', async () => (await measureOdooCalls(env, session)).rows);
  figures.latency = await measure('figure 1: added latency', async () => [
    await measureAddedLatency(env, session, { calls: options.calls, concurrency: 1, ...limit }),
    await measureAddedLatency(env, session, { calls: options.calls, concurrency: CONCURRENCY, ...limit }),
  ]);
  figures.throughput = await measure('figure 2: throughput and CPU per request', () =>
    measureThroughput(env, session, { calls: options.calls, chunk: options.chunk, concurrency: CONCURRENCY, ticksPerSecond, ...limit }),
  );

  const keyLookup: KeyLookupFigure = { stages: [], seeding: [] };
  let seeded = 0;
  let inD1: number | null = null;
  const connectionsInD1 = async () => (inD1 ??= await countConnections(env.persistTo));
  const fillTo = async (target: number) => {
    const existing = await connectionsInD1();
    const seedStarted = performance.now();
    const rows = await seedConnections({ persistTo: env.persistTo, odooAccountId: full.odooAccountId, first: seeded, last: seeded + Math.max(0, target - existing) });
    seeded += rows;
    inD1 = existing + rows;
    if (rows) keyLookup.seeding.push({ rows, seconds: (performance.now() - seedStarted) / 1000 });
    log(`${inD1} connections in D1 (${rows} seeded)`);
    return inD1;
  };
  const keyStage = async () => {
    const connections = await connectionsInD1();
    keyLookup.stages.push(await measureKeyLookup(env, session, { calls: options.keyCalls, connections, ...limit }));
  };

  figures.keyLookup = await measure('figure 3: key verification with the bench connections only', async () => {
    await keyStage();
    return keyLookup;
  });
  const listed = await measure(`figure 4: admin list with ${options.listConnections} connections`, async () => {
    const connections = await fillTo(options.listConnections);
    return measureAdminList(env, { connections, firstPageRuns: options.smoke ? 3 : 10, ...limit });
  });
  figures.adminList =
    listed.status !== 'measured' ? listed : listed.value.status === 'measured' ? { status: 'measured', value: listed.value } : { status: 'unavailable', reason: listed.value.reason };
  const usage = await measure(`figure 4: usage of a list page, ${options.listConnections} connections and ${options.auditRows} audit rows`, async () => {
    const connections = await fillTo(options.listConnections);
    const seedStarted = performance.now();
    const rows = await seedAuditEvents({ persistTo: env.persistTo, connections: seeded, rows: options.auditRows, days: 7 });
    log(`${rows} audit rows seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    return measureUsageList(env, { connections, auditRows: rows, firstPageRuns: options.smoke ? 3 : 10, pages: options.smoke ? 5 : 50, ...limit });
  });
  figures.usageList =
    usage.status !== 'measured' ? usage : usage.value.status === 'measured' ? { status: 'measured', value: usage.value } : { status: 'unavailable', reason: usage.value.reason };
  if (figures.keyLookup.status === 'measured') {
    figures.keyLookup = await measure(`figure 3: key verification with ${options.keys} connections`, async () => {
      await fillTo(options.listConnections);
      await keyStage();
      await fillTo(options.keys);
      await keyStage();
      return keyLookup;
    });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    console.error(`bench: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const report = await runBench(options, ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '));
  console.log(renderMarkdown(report));
  if (options.json) await writeFile(options.json, JSON.stringify(report, null, 2));
  const failed = Object.entries(report.figures).filter(([, figure]) => figure.status === 'failed');
  if (failed.length) {
    log(`could not measure: ${failed.map(([name]) => name).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
