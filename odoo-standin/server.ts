import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createOdooStandin, STANDIN_ADMIN_KEY, STANDIN_DEMO_KEY, type OdooStandin } from './standin';

export interface StandinServerOptions {
  port?: number;
  host?: string;
  latencyMs?: number;
}

export interface StandinServer {
  url: string;
  standin: OdooStandin;
  close(): Promise<void>;
}

/** Serves a fresh Odoo stand-in over HTTP, for tools that cannot call `handle` directly. */
export async function startStandinServer({ port = 0, host = '127.0.0.1', latencyMs }: StandinServerOptions = {}): Promise<StandinServer> {
  const standin = createOdooStandin({ latencyMs });
  const server = createServer((request, response) => void serve(standin, request, response, host));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    standin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(standin: OdooStandin, request: IncomingMessage, response: ServerResponse, host: string): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const method = request.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
    const answer = await standin.handle(new Request(`http://${host}${request.url ?? '/'}`, { method, headers, body }));
    response.writeHead(answer.status, Object.fromEntries([...(answer.headers as unknown as Iterable<[string, string]>)]));
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`Odoo stand-in failure: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const latency = option(argv, 'latency');
  const server = await startStandinServer({
    port: Number(option(argv, 'port') ?? 8069),
    host: option(argv, 'host') ?? '127.0.0.1',
    latencyMs: latency === undefined ? undefined : Number(latency),
  });
  console.log(`Odoo stand-in listening on ${server.url} (database "odoo", API keys ${STANDIN_ADMIN_KEY} and ${STANDIN_DEMO_KEY})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.close().then(() => process.exit(0)));
}
