import type { BenchEnvironment } from '../environment';
import { drive, newTally, type Path } from '../load';
import { jsonRpc, type McpSession } from '../mcp';
import { summarize, type Percentiles } from '../stats';

export interface KeyLookupStage extends Percentiles {
  connections: number;
  failures: number;
  lost: number;
  firstFailure: string | null;
}

/**
 * Figure 3, one stage: authenticated tools/list calls one at a time. Each
 * verifies the Bearer key (one D1 query by the key's public id, an HMAC and a
 * constant-time compare) and the session, then lists the scope's tools.
 */
export async function measureKeyLookup(
  env: BenchEnvironment,
  session: McpSession,
  { calls, connections, maxLoopSeconds }: { calls: number; connections: number; maxLoopSeconds: number },
): Promise<KeyLookupStage> {
  const path: Path = {
    name: 'tools/list',
    send: () => env.http.request(`${env.worker.url}/mcp`, { method: 'POST', headers: session.headers, body: jsonRpc('tools/list', {}) }),
    succeeded: (answer) => answer.status === 200 && answer.body.includes('"tools"'),
    recover: () => env.worker.recover(),
  };
  await drive(path, newTally(), { count: Math.min(100, Math.max(10, Math.floor(calls / 10))), concurrency: 1, deadline: Date.now() + 60_000 });
  const tally = newTally();
  await drive(path, tally, { count: calls, concurrency: 1, deadline: Date.now() + maxLoopSeconds * 1000 });
  return { connections, ...summarize(tally.samples), failures: tally.failures, lost: tally.lost, firstFailure: tally.firstFailure };
}
