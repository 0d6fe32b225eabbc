import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { freePort } from '../scripts/local-gateway';
import { startEnvironment } from './environment';
import { CPU_WORKER, replayCalls } from './figures/own-cpu';

/**
 * npm run bench:profile -- [--calls N] [--out FILE] [--top N]
 *
 * Records a V8 CPU profile of the Worker's own work per `tools/call`: the loop
 * of figure 2 (bench/cpu-worker.ts, every binding answered from memory), so
 * the only JavaScript on workerd's thread is the gateway's. The profile comes
 * through wrangler's DevTools inspector; the file opens in Chrome DevTools
 * (Performance tab, "Load profile") and the functions that cost most are printed.
 *
 * A profile of the plain `wrangler dev` gateway says little: the local D1, KV,
 * Cache and Queue simulators run on the same thread, and their time lands on
 * whatever Worker frame was on top of the stack.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const USAGE = 'Usage: npm run bench:profile -- [--calls N (default 3000)] [--out FILE (default worker.cpuprofile)] [--top N (default 25)]';

function parseArgs(argv: string[]): { calls: number; out: string; top: number } {
  const options = { calls: 3000, out: 'worker.cpuprofile', top: 25 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (flag === '--out' && value) options.out = value;
    else if ((flag === '--calls' || flag === '--top') && value && /^[1-9]\d*$/.test(value)) options[flag.slice(2) as 'calls' | 'top'] = Number(value);
    else throw new Error(`bad option '${flag ?? ''}'\n${USAGE}`);
  }
  return options;
}

class Inspector {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiting) return;
      this.#pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new Inspector(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Self and inclusive time per function, in milliseconds per call; idle time left out. */
export function summarizeProfile(profile: CpuProfile, calls: number): { totalMs: number; self: Array<[string, number]>; inclusive: Array<[string, number]> } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const sampled = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0));
  });
  const name = (node: ProfileNode) => {
    const file = node.callFrame.url ? ` (${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1})` : '';
    return `${node.callFrame.functionName || '(anonymous)'}${file}`;
  };
  let total = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, micros] of sampled) {
    const node = nodes.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    total += micros;
    self.set(name(node), (self.get(name(node)) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const label = name(nodes.get(at)!);
      if (label.startsWith('(root)') || seen.has(label)) continue;
      seen.add(label);
      inclusive.set(label, (inclusive.get(label) ?? 0) + micros);
    }
  }
  const perCall = (entries: Map<string, number>) => [...entries].map(([label, micros]): [string, number] => [label, micros / 1000 / calls]).sort((a, b) => b[1] - a[1]);
  return { totalMs: total / 1000 / calls, self: perCall(self), inclusive: perCall(inclusive) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.error(`[profile] ${line}`);
  const inspectorPort = await freePort();
  const env = await startEnvironment(log, { entry: CPU_WORKER, inspectorPort });
  try {
    log('warming up...');
    await replayCalls(env, { calls: 500, chunk: 50, warmUp: 0, real: false });
    const inspector = await Inspector.connect(inspectorPort);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 50 });
    await inspector.send('Profiler.start');
    log(`profiling ${options.calls} calls...`);
    const result = await replayCalls(env, { calls: options.calls, chunk: 50, warmUp: 0, real: false });
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    inspector.close();
    await writeFile(options.out, JSON.stringify(profile));
    const calls = result.chunks.length * 50;
    const summary = summarizeProfile(profile, calls);
    const row = ([label, ms]: [string, number]) => `${ms.toFixed(4).padStart(8)}  ${label}`;
    console.log(`${calls} calls; ${summary.totalMs.toFixed(3)} ms of sampled CPU per call (the profiler itself adds some); profile written to ${options.out}`);
    console.log(`\nSelf time, ms per call:\n${summary.self.slice(0, options.top).map(row).join('\n')}`);
    console.log(`\nInclusive time, ms per call:\n${summary.inclusive.slice(0, options.top).map(row).join('\n')}`);
  } finally {
    await env.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
