import type { BenchEnvironment } from '../environment';
import { drive, newTally, type Path } from '../load';
import type { McpSession } from '../mcp';
import { cpuSeconds } from '../proc';
import { percentile } from '../stats';
import { workerdProcesses } from '../worker-target';
import { gatewayPath } from './search-call';

export interface ThroughputFigure {
  concurrency: number;
  calls: number;
  seconds: number;
  requestsPerSecond: number;
  chunk: number;
  /** Per-chunk averages of workerd CPU milliseconds per request. */
  cpuChunks: number;
  cpuMedianMs: number;
  cpuP99Ms: number;
  /** Total workerd CPU over the run divided by the calls. */
  cpuOverallMs: number;
  /** Workerd CPU per `GET /` (no key, no D1, no Odoo) at the same concurrency: what any request costs locally. */
  floorCpuMs: number;
  /** 'worker': the Worker's own workerd process; 'all-workerd': every workerd under the bench (its socket was not found). */
  cpuSource: 'worker' | 'all-workerd';
  ticksPerSecond: number;
  discardedChunks: number;
  failures: number;
  lost: number;
  firstFailure: string | null;
}

interface CpuReading {
  source: string;
  seconds: number | null;
}

/**
 * Figure 2. Calls flow with `concurrency` in flight for the whole run. After
 * every `chunk` completed calls the CPU time of the Worker's workerd process
 * (utime + stime of all its threads, /proc/<pid>/stat) is read; each chunk
 * gives (CPU delta / chunk) as one per-request figure, and the median and p99
 * are taken over the chunks. A chunk across a reload of the Worker is discarded.
 */
export async function measureThroughput(
  env: BenchEnvironment,
  session: McpSession,
  { calls, chunk, concurrency, ticksPerSecond, maxLoopSeconds }: { calls: number; chunk: number; concurrency: number; ticksPerSecond: number; maxLoopSeconds: number },
): Promise<ThroughputFigure> {
  const path = gatewayPath(env, session);
  await drive(path, newTally(), { count: Math.min(calls, 500, Math.max(50, chunk)), concurrency, deadline: Date.now() + 60_000 });

  const read = (): CpuReading => {
    if (env.worker.pid !== null) return { source: `pid ${env.worker.pid}`, seconds: cpuSeconds(env.worker.pid, ticksPerSecond) };
    const pids = workerdProcesses();
    const each = pids.map((pid) => cpuSeconds(pid, ticksPerSecond) ?? 0);
    return { source: pids.join(','), seconds: each.reduce((total, value) => total + value, 0) };
  };
  const perRequest: number[] = [];
  let discardedChunks = 0;
  let completed = 0;
  const first = read();
  let previous = first;
  const tally = newTally();
  const started = performance.now();
  await drive(path, tally, {
    count: calls,
    concurrency,
    deadline: Date.now() + maxLoopSeconds * 1000,
    onDone: () => {
      if (++completed % chunk !== 0) return;
      const reading = read();
      if (reading.source === previous.source && reading.seconds !== null && previous.seconds !== null) {
        perRequest.push(((reading.seconds - previous.seconds) * 1000) / chunk);
      } else {
        discardedChunks++;
      }
      previous = reading;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const last = read();
  const floor = await measureFloor(env, read, { count: Math.max(chunk, Math.floor(calls / 4)), concurrency, maxLoopSeconds });
  const sorted = perRequest.sort((a, b) => a - b);
  const sameProcess = last.source === first.source && last.seconds !== null && first.seconds !== null;
  return {
    concurrency,
    calls: completed,
    seconds,
    requestsPerSecond: tally.samples.length / seconds,
    chunk,
    cpuChunks: sorted.length,
    cpuMedianMs: percentile(sorted, 50),
    cpuP99Ms: percentile(sorted, 99),
    cpuOverallMs: sameProcess ? ((last.seconds! - first.seconds!) * 1000) / completed : Number.NaN,
    floorCpuMs: floor,
    cpuSource: env.worker.pid !== null ? 'worker' : 'all-workerd',
    ticksPerSecond,
    discardedChunks,
    failures: tally.failures,
    lost: tally.lost,
    firstFailure: tally.firstFailure,
  };
}

/**
 * The same CPU reading around `GET /` calls: the local cost of any request
 * (miniflare's entry Worker, wrangler's middleware, Hono, the services
 * middleware) that no part of the MCP path adds.
 */
async function measureFloor(
  env: BenchEnvironment,
  read: () => CpuReading,
  { count, concurrency, maxLoopSeconds }: { count: number; concurrency: number; maxLoopSeconds: number },
): Promise<number> {
  const path: Path = {
    name: 'GET /',
    send: () => env.http.request(`${env.worker.url}/`),
    succeeded: (answer) => answer.status === 200,
    recover: () => env.worker.recover(),
  };
  await drive(path, newTally(), { count: Math.min(count, 200), concurrency, deadline: Date.now() + 60_000 });
  const before = read();
  const tally = newTally();
  await drive(path, tally, { count, concurrency, deadline: Date.now() + maxLoopSeconds * 1000 });
  const after = read();
  if (after.source !== before.source || after.seconds === null || before.seconds === null || tally.samples.length === 0) return Number.NaN;
  return ((after.seconds - before.seconds) * 1000) / (tally.samples.length + tally.failures);
}
