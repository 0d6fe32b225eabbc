import type { BenchEnvironment } from '../environment';
import { drive, newTally, type Path, type Tally } from '../load';
import type { McpSession } from '../mcp';
import { summarize, type Percentiles } from '../stats';
import { gatewayPath, odooPath, statelessPath, wranglerDevPath } from './search-call';

export interface PathLatency extends Percentiles {
  path: string;
  failures: number;
  lost: number;
  firstFailure: string | null;
}

export interface LatencyRow {
  concurrency: number;
  odoo: PathLatency;
  gateway: PathLatency;
  wranglerDev: PathLatency;
  /** The same call in MCP 2026-07-28, without a session. */
  stateless: PathLatency;
  /** Gateway percentile minus Odoo percentile (not a percentile of differences). */
  addedP50: number;
  addedP99: number;
  statelessAddedP50: number;
  statelessAddedP99: number;
}

/**
 * Figure 1. The four paths are interleaved in one run so that whatever else
 * the machine does affects them alike: at concurrency 1 one call of each path
 * in turn; at concurrency N blocks of 8N calls per path with N in flight, the
 * order of the paths rotating from block to block.
 */
export async function measureAddedLatency(
  env: BenchEnvironment,
  session: McpSession,
  { calls, concurrency, maxLoopSeconds }: { calls: number; concurrency: number; maxLoopSeconds: number },
): Promise<LatencyRow> {
  const paths = [odooPath(env), gatewayPath(env, session), wranglerDevPath(env, session), statelessPath(env, session.key)];
  const warmUp = Math.min(calls, 200, Math.max(20, 10 * concurrency));
  for (const path of paths) await drive(path, newTally(), { count: warmUp, concurrency, deadline: Date.now() + 60_000 });

  const tallies = paths.map(() => newTally());
  const block = concurrency === 1 ? 1 : 8 * concurrency;
  const deadline = Date.now() + maxLoopSeconds * 1000;
  const attempted = (tally: Tally) => tally.samples.length + tally.failures + tally.lost;
  for (let round = 0; Date.now() < deadline && tallies.some((tally) => attempted(tally) < calls); round++) {
    for (let step = 0; step < paths.length; step++) {
      const index = (round + step) % paths.length;
      const tally = tallies[index]!;
      const count = Math.min(block, calls - attempted(tally));
      if (count > 0) await drive(paths[index]!, tally, { count, concurrency, deadline });
    }
  }
  const [odoo, gateway, wranglerDev, stateless] = paths.map((path, index) => pathLatency(path, tallies[index]!)) as [PathLatency, PathLatency, PathLatency, PathLatency];
  return {
    concurrency,
    odoo,
    gateway,
    wranglerDev,
    stateless,
    addedP50: gateway.p50 - odoo.p50,
    addedP99: gateway.p99 - odoo.p99,
    statelessAddedP50: stateless.p50 - odoo.p50,
    statelessAddedP99: stateless.p99 - odoo.p99,
  };
}

function pathLatency(path: Path, tally: Tally): PathLatency {
  return { path: path.name, ...summarize(tally.samples), failures: tally.failures, lost: tally.lost, firstFailure: tally.firstFailure };
}
