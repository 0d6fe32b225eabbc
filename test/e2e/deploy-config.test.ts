import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `wrangler deploy --dry-run` validates the configuration and builds the
 * Worker exactly as a deploy would, without an account: the shipped
 * wrangler.toml, and each placement docs/performance.md tells an operator to
 * write, must pass it.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WRANGLER = path.join(ROOT, 'node_modules', '.bin', 'wrangler');
const run = promisify(execFile);

let dir: string;
let shipped: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-deploy-'));
  shipped = await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The shipped configuration with its [placement] table replaced, written where wrangler can still find the sources. */
async function withPlacement(name: string, placement: string): Promise<string> {
  const table = /^\[placement\]\n(?:[^[\n].*\n)*/m;
  expect(shipped).toMatch(table);
  const config = shipped
    .replace(table, `[placement]\n${placement}\n\n`)
    .replace(/^main = "(.*)"$/m, (_line, main: string) => `main = ${JSON.stringify(path.join(ROOT, main))}`)
    .replace(/^migrations_dir = "(.*)"$/m, (_line, migrations: string) => `migrations_dir = ${JSON.stringify(path.join(ROOT, migrations))}`);
  const file = path.join(dir, `${name}.toml`);
  await writeFile(file, config);
  return file;
}

async function dryRun(config: string): Promise<{ ok: boolean; output: string }> {
  const outdir = path.join(dir, `out-${path.basename(config, '.toml')}`);
  try {
    const { stdout, stderr } = await run(WRANGLER, ['deploy', '--dry-run', '--config', config, '--outdir', outdir], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('wrangler deploy --dry-run', () => {
  it('builds the shipped wrangler.toml, with every binding the Worker needs and smart placement', async () => {
    const { ok, output } = await dryRun(path.join(ROOT, 'wrangler.toml'));
    expect(ok, output).toBe(true);
    for (const binding of ['DB', 'LAST_USED', 'AUDIT_QUEUE', 'RATE_LIMITER']) expect(output).toContain(binding);
    expect(output).toContain('--dry-run: exiting now.');
    expect(shipped).toMatch(/^\[placement\]\nmode = "smart"$/m);
  });

  it.each([
    ['near a self-hosted Odoo, by hostname', 'mode = "targeted"\nhostname = "mycompany.odoo.com"'],
    ['near the cloud region Odoo runs in', 'mode = "targeted"\nregion = "gcp:europe-west1"'],
  ])('builds with the placement docs/performance.md describes %s', async (_label, placement) => {
    const { ok, output } = await dryRun(await withPlacement(placement.includes('hostname') ? 'hostname' : 'region', placement));
    expect(ok, output).toBe(true);
    expect(output).toContain('--dry-run: exiting now.');
  });

  it('refuses a placement wrangler does not know, naming it', async () => {
    const { ok, output } = await dryRun(await withPlacement('unknown', 'mode = "nearby"'));
    expect(ok).toBe(false);
    expect(output).toMatch(/placement/i);
  });
});
