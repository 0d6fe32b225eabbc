import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { median } from '../stats';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WRANGLER = path.join(ROOT, 'node_modules', '.bin', 'wrangler');
const run = promisify(execFile);

export interface BundleFigure {
  /** The modules wrangler would upload (source maps and the README it writes excluded). */
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  startup: {
    runs: number;
    /** Median over the runs of the sampled CPU time that was not idle (garbage collection included). */
    activeMs: number;
    /** Median profile window (wall time from the first to the last sample). */
    windowMs: number;
    allActiveMs: number[];
  };
}

/**
 * Figure 6. One `wrangler deploy --dry-run` builds the Worker exactly as a
 * deploy would; its modules are measured raw and gzipped together (zlib's
 * default level, as wrangler computes the size it checks against Cloudflare's
 * limits). `wrangler check startup` then runs that
 * same bundle's start-up in workerd under the V8 CPU profiler.
 */
export async function measureBundle({ startupRuns }: { startupRuns: number }): Promise<BundleFigure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-bundle-'));
  try {
    const outdir = path.join(dir, 'dist');
    const bundle = path.join(dir, 'worker.bundle');
    await wrangler(['deploy', '--dry-run', '--outdir', outdir, '--outfile', bundle]);
    const files = (await readdir(outdir)).filter((name) => /\.(m?js|cjs|wasm)$/.test(name)).sort();
    const modules = Buffer.concat(await Promise.all(files.map((name) => readFile(path.join(outdir, name)))));
    const profiles = [];
    for (let i = 0; i < startupRuns; i++) {
      const outfile = path.join(dir, `startup-${i}.cpuprofile`);
      await wrangler(['check', 'startup', '--worker', bundle, '--outfile', outfile]);
      profiles.push(summarizeProfile(JSON.parse(await readFile(outfile, 'utf8')) as CpuProfile));
    }
    return {
      files,
      rawBytes: modules.length,
      gzipBytes: gzipSync(modules).length,
      startup: {
        runs: profiles.length,
        activeMs: median(profiles.map((profile) => profile.activeMs)),
        windowMs: median(profiles.map((profile) => profile.windowMs)),
        allActiveMs: profiles.map((profile) => profile.activeMs),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string } }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Times in a V8 CPU profile are microseconds; each sample's delta is charged to the sampled node. */
export function summarizeProfile(profile: CpuProfile): { activeMs: number; windowMs: number } {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  let activeMicros = 0;
  profile.samples.forEach((node, index) => {
    if (!idle.has(node)) activeMicros += profile.timeDeltas[index] ?? 0;
  });
  return { activeMs: activeMicros / 1000, windowMs: (profile.endTime - profile.startTime) / 1000 };
}

async function wrangler(args: string[]): Promise<void> {
  try {
    await run(WRANGLER, args, {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 300_000,
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`wrangler ${args.slice(0, 2).join(' ')} failed: ${(stderr || stdout || String(error)).trim().slice(-600)}`);
  }
}
