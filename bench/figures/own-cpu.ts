import { createConnection, startEnvironment, type BenchEnvironment } from '../environment';
import { openSession, toolsCall } from '../mcp';
import { percentile } from '../stats';
import { SEARCH, statelessCall } from './search-call';

/** One call's own CPU: the replay loop over bindings answered from memory, then the same loop with local ones. */
export interface OwnCpuRun {
  chunks: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  /** Binding and Odoo answers recorded from the real call and replayed. */
  recordedAnswers: number;
  /** The same loop with the real local D1, KV, Queue and the stand-in Odoo: wall time per call inside the Worker. */
  withLocalBindings: { medianMs: number; p99Ms: number };
  /** Only the key lookup goes to the local D1 (Odoo and the other bindings still answer from memory). */
  withLocalD1: { medianMs: number; p99Ms: number };
}

/** The call in a 2025-era session (the top-level fields) and the same call stateless in MCP 2026-07-28. */
export interface OwnCpuFigure extends OwnCpuRun {
  calls: number;
  /** Calls per timed chunk; each chunk gives one per-call value. */
  chunk: number;
  stateless: OwnCpuRun;
}

export interface ReplayResult {
  /** Per-call milliseconds of each chunk, bindings answered from memory. */
  chunks: number[];
  /** The same with the real local bindings and the stand-in. */
  realChunks: number[];
  /** The same with only the local D1 real. */
  d1Chunks: number[];
  recordedAnswers: number;
}

/** Which `/mcp` request the replay repeats: a tools/call in a session, or the same call stateless. */
export type ReplayEra = 'session' | 'stateless';

export const CPU_WORKER = 'bench/cpu-worker.ts';

/**
 * Figure 2, the Worker's own CPU per `tools/call`: bench/cpu-worker.ts in its
 * own `wrangler dev` repeats the benchmark's search_records through the real
 * Worker with every binding answering from memory (see that file), once in a
 * 2025-era session and once stateless in MCP 2026-07-28 (no session join in
 * the key lookup, `_meta` and the Mcp-Method/Mcp-Name headers checked, the
 * SDK v2 per-request handler). Chunks of `chunk` calls are timed inside
 * workerd, whose clock has millisecond resolution; the median and p99 are
 * over the chunk averages.
 */
export async function measureOwnCpu(log: (line: string) => void, { calls, chunk }: { calls: number; chunk: number }): Promise<OwnCpuFigure> {
  const env = await startEnvironment(log, { entry: CPU_WORKER });
  try {
    const replay = { calls, chunk, warmUp: Math.max(chunk, Math.min(500, calls)), real: true };
    const session = ownCpuRun(await replayCalls(env, { ...replay, era: 'session' }));
    const stateless = ownCpuRun(await replayCalls(env, { ...replay, era: 'stateless' }));
    return { calls: session.chunks * chunk, chunk, ...session, stateless };
  } finally {
    await env.stop();
  }
}

function ownCpuRun(result: ReplayResult): OwnCpuRun {
  const sorted = [...result.chunks].sort((a, b) => a - b);
  const real = [...result.realChunks].sort((a, b) => a - b);
  const d1 = [...result.d1Chunks].sort((a, b) => a - b);
  return {
    chunks: sorted.length,
    medianMs: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.reduce((total, value) => total + value, 0) / sorted.length,
    recordedAnswers: result.recordedAnswers,
    withLocalBindings: { medianMs: percentile(real, 50), p99Ms: percentile(real, 99) },
    withLocalD1: { medianMs: percentile(d1, 50), p99Ms: percentile(d1, 99) },
  };
}

/** For a full-access connection, opens a session (or not, stateless) and runs the replay route of bench/cpu-worker.ts once. */
export async function replayCalls(
  env: BenchEnvironment,
  { calls, chunk, warmUp, real, era = 'session' }: { calls: number; chunk: number; warmUp: number; real: boolean; era?: ReplayEra },
): Promise<ReplayResult> {
  const full = await createConnection(env, `bench: own CPU ${era} ${Date.now()}`, { preset: 'full' });
  const request =
    era === 'stateless'
      ? await primedStatelessCall(env, full.key)
      : {
          headers: (await openSession(env.worker, full.key)).headers,
          body: toolsCall('search_records', { model: SEARCH.model, fields: [...SEARCH.fields], limit: SEARCH.limit }),
        };
  const plan = { ...request, calls, chunk, warmUp, real, odooUrl: env.standin.url };
  const answer = await env.worker.request('/__bench/replay-cpu', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
    timeoutMs: 600_000,
  });
  const result = JSON.parse(answer.body) as Partial<ReplayResult> & { misses?: string[]; error?: string };
  if (answer.status !== 200 || !result.chunks) throw new Error(`the replay route answered ${answer.status}: ${result.error ?? answer.body.slice(0, 300)}`);
  if (result.misses?.length) throw new Error(`replayed calls reached a real binding (${result.misses.length} times, first: ${result.misses[0]}): the figure would include local I/O`);
  return { chunks: result.chunks, realChunks: result.realChunks ?? [], d1Chunks: result.d1Chunks ?? [], recordedAnswers: result.recordedAnswers ?? 0 };
}

/**
 * The stateless call, sent once over HTTP first: the connection then has this
 * client as its last client, as it has after any first call, so the replayed
 * key lookup does not ask to record it again on every call.
 */
async function primedStatelessCall(env: BenchEnvironment, key: string): Promise<{ headers: Record<string, string>; body: string }> {
  const call = statelessCall(key, 1);
  const first = await env.worker.request('/mcp', { method: 'POST', ...call });
  if (first.status !== 200) throw new Error(`the stateless call answered ${first.status}: ${first.body.slice(0, 300)}`);
  return call;
}
