/** Command-line options of `npm run bench`; every loop is bounded by a count and by a time limit. */
export interface BenchOptions {
  smoke: boolean;
  /** Calls per path and concurrency for figure 1, and calls for figure 2. */
  calls: number;
  /** Authenticated tools/list calls per measurement of figure 3. */
  keyCalls: number;
  /** Connections in D1 for the second measurement of figure 3. */
  keys: number;
  /** Connections in D1 while figure 4 walks the admin list. */
  listConnections: number;
  /** MCP audit rows over the last 7 days, spread over the figure 4 connections, for the list's usage query. */
  auditRows: number;
  /** Requests per CPU sample in figure 2. */
  chunk: number;
  /** Calls per timed chunk of the Worker's own CPU in figure 2 (workerd's clock has millisecond resolution). */
  ownCpuChunk: number;
  /** Start-up profiles taken for figure 6 (the median is reported). */
  startupRuns: number;
  /** Upper bound, in seconds, for any single measurement loop. */
  maxLoopSeconds: number;
  /** Also write the results as JSON to this file. */
  json: string | null;
}

const FULL: Omit<BenchOptions, 'smoke' | 'json'> = {
  calls: 5000,
  keyCalls: 2000,
  keys: 100_000,
  listConnections: 10_000,
  auditRows: 200_000,
  chunk: 250,
  ownCpuChunk: 50,
  startupRuns: 3,
  maxLoopSeconds: 600,
};

const SMOKE: Omit<BenchOptions, 'smoke' | 'json'> = {
  calls: 40,
  keyCalls: 20,
  keys: 600,
  listConnections: 250,
  auditRows: 2_000,
  chunk: 10,
  ownCpuChunk: 10,
  startupRuns: 1,
  maxLoopSeconds: 60,
};

const NUMERIC = {
  calls: 'calls',
  'key-calls': 'keyCalls',
  keys: 'keys',
  'list-connections': 'listConnections',
  'audit-rows': 'auditRows',
  chunk: 'chunk',
  'own-cpu-chunk': 'ownCpuChunk',
  'startup-runs': 'startupRuns',
  'max-loop-seconds': 'maxLoopSeconds',
} as const satisfies Record<string, keyof typeof FULL>;

export const USAGE = `Usage: npm run bench -- [--smoke] [--calls N] [--key-calls N] [--keys N] [--list-connections N] [--audit-rows N]
                       [--chunk N] [--own-cpu-chunk N] [--startup-runs N] [--max-loop-seconds N] [--json FILE]

  --smoke               tiny sizes, to check that the benchmark still runs (a minute at most)
  --calls N             calls per path and concurrency in figure 1, calls in figure 2 (default ${FULL.calls})
  --key-calls N         tools/list calls per measurement in figure 3 (default ${FULL.keyCalls})
  --keys N              connections in D1 for figure 3 (default ${FULL.keys})
  --list-connections N  connections in D1 for figure 4 (default ${FULL.listConnections})
  --audit-rows N        audit rows over 7 days for figure 4's usage query (default ${FULL.auditRows})
  --chunk N             requests per CPU sample in figure 2 (default ${FULL.chunk})
  --own-cpu-chunk N     calls per timed chunk of the Worker's own CPU in figure 2 (default ${FULL.ownCpuChunk})
  --startup-runs N      start-up profiles for figure 6, median reported (default ${FULL.startupRuns})
  --max-loop-seconds N  time limit of any one measurement loop (default ${FULL.maxLoopSeconds})
  --json FILE           also write the raw results as JSON`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const options: BenchOptions = { smoke, json: null, ...(smoke ? SMOKE : FULL) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--smoke') continue;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = flag.replace(/^--/, '');
    const value = inline ?? argv[++i];
    if (name === 'json') {
      if (!value || value.startsWith('--')) throw new OptionsError('--json needs a file name');
      options.json = value;
    } else if (name in NUMERIC) {
      options[NUMERIC[name as keyof typeof NUMERIC]] = positiveInteger(flag, value);
    } else {
      throw new OptionsError(`unknown option '${arg}'`);
    }
  }
  if (options.listConnections > options.keys) {
    throw new OptionsError(`--list-connections (${options.listConnections}) must not exceed --keys (${options.keys}): figure 4 runs before the D1 table is filled up to --keys`);
  }
  return options;
}

function positiveInteger(flag: string, value: string | undefined): number {
  if (value === undefined || !/^[1-9]\d*$/.test(value)) throw new OptionsError(`${flag} needs a positive whole number, got '${value ?? ''}'`);
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed > 10_000_000) throw new OptionsError(`${flag} must be at most 10000000`);
  return parsed;
}
