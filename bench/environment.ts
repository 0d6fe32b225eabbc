import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStandinServer, type StandinServer } from '../odoo-standin/server';
import { STANDIN_ADMIN_KEY, STANDIN_DATABASE } from '../odoo-standin/standin';
import { freePort, startLocalGateway, type LocalGateway } from '../scripts/local-gateway';
import { KeepAliveClient } from './http';
import { WorkerTarget } from './worker-target';

/** Concurrency 16 plus the odd admin request, per origin. */
const SOCKETS_PER_ORIGIN = 20;

export interface BenchEnvironment {
  standin: StandinServer;
  gateway: LocalGateway;
  worker: WorkerTarget;
  http: KeepAliveClient;
  /** Holds wrangler's local state (D1, KV, Queues) and the generated secrets; removed at the end. */
  stateDir: string;
  /** What `wrangler ... --persist-to` takes for this gateway's local state. */
  persistTo: string;
  /** Headers of a direct search_read on the stand-in, as the gateway sends it. */
  odooHeaders: Record<string, string>;
  stop(): Promise<void>;
}

/** `entry`: another Worker module to run instead of wrangler.toml's `main` (a bench Worker that wraps the gateway). */
export async function startEnvironment(log: (line: string) => void, { entry, inspectorPort }: { entry?: string; inspectorPort?: number } = {}): Promise<BenchEnvironment> {
  const http = new KeepAliveClient(SOCKETS_PER_ORIGIN);
  const standin = await startStandinServer({ port: 0 });
  const stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-bench-'));
  const cleanUp = async () => {
    http.close();
    await standin.close();
    await rm(stateDir, { recursive: true, force: true });
  };
  let gateway: LocalGateway;
  try {
    log('starting wrangler dev (local D1, KV, Queues) against the Odoo stand-in...');
    gateway = await startLocalGateway({
      port: await freePort(),
      stateDir,
      quiet: true,
      entry,
      inspectorPort,
      odoo: { url: standin.url, database: STANDIN_DATABASE, login: 'admin', apiKey: STANDIN_ADMIN_KEY, api: 'json2' },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const worker = new WorkerTarget(http, gateway.url);
  await worker.refresh(15_000);
  log(worker.direct ? `the Worker's own socket is ${worker.url} (workerd pid ${worker.pid})` : `could not find the Worker's own socket; measuring through ${gateway.url}`);
  return {
    standin,
    gateway,
    worker,
    http,
    stateDir,
    persistTo: path.join(stateDir, 'state'),
    odooHeaders: { authorization: `bearer ${STANDIN_ADMIN_KEY}`, 'content-type': 'application/json', 'x-odoo-database': STANDIN_DATABASE },
    async stop() {
      await gateway.stop();
      await cleanUp();
    },
  };
}

/** Creates a connection through the admin API and returns its once-shown key. */
export async function createConnection(env: BenchEnvironment, name: string, scope: unknown): Promise<{ id: string; key: string; odooAccountId: string }> {
  const answer = await env.worker.request(`/admin/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.gateway.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scope }),
  });
  if (answer.status !== 201) throw new Error(`creating connection '${name}' answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  const created = JSON.parse(answer.body) as { key: string; connection: { id: string; odoo_account_id: string } };
  return { id: created.connection.id, key: created.key, odooAccountId: created.connection.odoo_account_id };
}
