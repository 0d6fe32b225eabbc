import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  wrangler: string;
  /** 1, 5 and 15 minute load averages when the bench started: a busy machine shows here. */
  loadAverage: number[];
}

export async function describeMachine(): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: await wranglerVersion(),
    loadAverage: os.loadavg(),
  };
}

async function wranglerVersion(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'wrangler'), ['--version'], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    });
    return /\d+\.\d+\.\d+\S*/.exec(stdout)?.[0] ?? stdout.trim();
  } catch {
    return 'unknown';
  }
}
