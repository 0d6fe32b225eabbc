import { createOdooStandin, type OdooStandin } from './standin';

// The project has no @types/node (it targets workerd), so the few Node APIs used here are typed locally.
interface NodeRequest extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body?: Uint8Array): void;
}
interface NodeServer {
  listen(port: number, host: string, callback: () => void): void;
  once(event: 'error', callback: (error: Error) => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
  closeAllConnections?(): void;
}
interface NodeHttp {
  createServer(handler: (request: NodeRequest, response: NodeResponse) => void): NodeServer;
}

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
  const http = (await import('node:http' as string)) as NodeHttp;
  const standin = createOdooStandin({ latencyMs });
  const server = http.createServer((request, response) => {
    void serve(standin, request, response, host);
  });
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
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

async function serve(standin: OdooStandin, request: NodeRequest, response: NodeResponse, host: string): Promise<void> {
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of request) chunks.push(chunk);
    const method = request.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await new Blob(chunks).arrayBuffer();
    const answer = await standin.handle(new Request(`http://${host}${request.url ?? '/'}`, { method, headers, body }));
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(new Uint8Array(await answer.arrayBuffer()));
  } catch (error) {
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(new TextEncoder().encode(`Odoo stand-in failure: ${error instanceof Error ? error.message : String(error)}`));
  }
}

interface NodeProcess {
  argv: string[];
  on(signal: string, callback: () => void): void;
  exit(code: number): void;
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(process: NodeProcess): Promise<void> {
  const argv = process.argv.slice(2);
  const latency = option(argv, 'latency');
  const server = await startStandinServer({
    port: Number(option(argv, 'port') ?? 8069),
    host: option(argv, 'host') ?? '127.0.0.1',
    latencyMs: latency === undefined ? undefined : Number(latency),
  });
  console.log(`Odoo stand-in listening on ${server.url} (database "odoo", API keys admin-api-key and demo-api-key)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void server.close().then(() => process.exit(0)));
}

/** True when this file is the script Node was asked to run (not an import). */
function isEntryPoint(process: NodeProcess | undefined): process is NodeProcess {
  const script = process?.argv[1];
  if (!script) return false;
  const scriptUrl = new URL(`file://${script.replace(/\\/g, '/').replace(/^(?=[A-Za-z]:)/, '/')}`).href;
  return (import.meta as { url?: string }).url === scriptUrl;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;
if (isEntryPoint(nodeProcess)) void main(nodeProcess);
