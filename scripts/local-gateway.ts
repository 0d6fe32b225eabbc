import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStandinServer } from '../odoo-standin/server';
import { STANDIN_ADMIN_KEY } from '../odoo-standin/standin';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const WRANGLER = path.join(ROOT, 'node_modules', '.bin', 'wrangler');

export interface OdooSettings {
  url: string;
  database: string;
  login: string;
  apiKey: string;
  api: 'json2' | 'jsonrpc';
}

export interface LocalGateway {
  url: string;
  adminToken: string;
  odoo: OdooSettings;
  demoOdoo: boolean;
  stop(): Promise<void>;
}

export interface LocalGatewayOptions {
  port?: number;
  /** Where wrangler keeps local D1, KV and Queue state and the generated secrets. */
  stateDir?: string;
  /** Odoo to use; without it a demo Odoo built from the fixtures runs on a local port. */
  odoo?: OdooSettings;
  demoOdooLatencyMs?: number;
  log?: (line: string) => void;
  quiet?: boolean;
  /** The Worker's entry module, relative to the repo; wrangler.toml's `main` (src/index.ts) when absent. */
  entry?: string;
  /** Port of wrangler's DevTools inspector (wrangler picks 9229 or the next free one when absent). */
  inspectorPort?: number;
  /** More variables for the Worker (tests: Cloudflare Access settings). */
  vars?: Record<string, string>;
}

/** A loopback port that was free a moment ago, for tests and benchmarks that start their own gateway. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Reads ODOO_* from the environment; all four of URL, DB, LOGIN and API_KEY are needed. */
export function odooFromEnvironment(environment: NodeJS.ProcessEnv): OdooSettings | undefined {
  const { ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, ODOO_API } = environment;
  if (!ODOO_URL && !ODOO_DB && !ODOO_LOGIN && !ODOO_API_KEY) return undefined;
  const missing = Object.entries({ ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length) throw new Error(`Set all of ODOO_URL, ODOO_DB, ODOO_LOGIN and ODOO_API_KEY (missing: ${missing.join(', ')})`);
  if (ODOO_API && ODOO_API !== 'json2' && ODOO_API !== 'jsonrpc') throw new Error("ODOO_API must be 'json2' or 'jsonrpc'");
  return { url: ODOO_URL!, database: ODOO_DB!, login: ODOO_LOGIN!, apiKey: ODOO_API_KEY!, api: (ODOO_API as 'json2' | 'jsonrpc') ?? 'json2' };
}

/**
 * Runs the gateway the way `npm start` does: local secrets generated once and
 * kept, D1 migrations applied, an Odoo (real or demo), then `wrangler dev`
 * with local D1, KV, Queues and Durable Objects.
 */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stateDir = path.resolve(options.stateDir ?? path.join(ROOT, '.wrangler'));
  const persistTo = path.join(stateDir, 'state');
  await mkdir(stateDir, { recursive: true });
  const secrets = await localSecrets(path.join(stateDir, 'local-secrets.json'));

  let demo: Awaited<ReturnType<typeof startStandinServer>> | undefined;
  let odoo = options.odoo;
  if (!odoo) {
    demo = await startStandinServer({ port: 0, latencyMs: options.demoOdooLatencyMs });
    odoo = { url: demo.url, database: 'odoo', login: 'admin', apiKey: STANDIN_ADMIN_KEY, api: 'json2' };
  }

  const port = options.port ?? 8787;
  const envFile = path.join(stateDir, 'local.env');
  await writeFile(
    envFile,
    dotenv({
      ...secrets,
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.database,
      ODOO_LOGIN: odoo.login,
      ODOO_API_KEY: odoo.apiKey,
      ODOO_API: odoo.api,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DEMO_ODOO: demo ? '1' : '',
      ...options.vars,
    }),
    { mode: 0o600 },
  );

  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });

  const child = spawn(
    WRANGLER,
    ['dev', ...(options.entry ? [options.entry] : []), ...(options.inspectorPort ? ['--inspector-port', String(options.inspectorPort)] : []), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--env-file', envFile, '--show-interactive-dev-session=false', '--log-level', options.quiet ? 'error' : 'log'],
    { cwd: ROOT, env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If this process dies without stop() (a signal to a parent, an uncaught error), wrangler must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (!options.quiet) log(`[wrangler] ${line}`);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
    await demo?.close();
  };
  try {
    await waitUntilReady(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adminToken: secrets.ADMIN_TOKEN, odoo, demoOdoo: Boolean(demo), stop };
}

async function localSecrets(file: string): Promise<Record<'ADMIN_TOKEN' | 'KEY_PEPPER' | 'CREDENTIALS_KEY', string>> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    const secrets = {
      ADMIN_TOKEN: `adm_${randomBytes(24).toString('base64url')}`,
      KEY_PEPPER: randomBytes(32).toString('base64url'),
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    };
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}

function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join('\n');
}

async function waitUntilReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output.slice(-30).join('\n')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output.slice(-30).join('\n')}`);
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
