import { isConnectionError, type HttpAnswer, type HttpRequest, type KeepAliveClient } from './http';
import { commandLine, descendants, listeningPorts } from './proc';

/**
 * Where the benchmark sends gateway requests. `wrangler dev` answers on its
 * port through a local proxy Worker in a second workerd process, a hop that a
 * deployed Worker does not have; so the benchmark finds the workerd process
 * that runs the gateway itself and talks to its own socket. That process is
 * also the one whose CPU time figure 2 reads. When wrangler reloads the Worker
 * (a source file changed) the process and port change: `recover` finds them again.
 */
export class WorkerTarget {
  url: string;
  pid: number | null = null;
  /** How often the Worker had to be found again after wrangler reloaded it. */
  reloads = 0;
  #recovering: Promise<void> | null = null;

  constructor(
    private readonly http: KeepAliveClient,
    private readonly wranglerUrl: string,
  ) {
    this.url = wranglerUrl;
  }

  /** True when requests reach the Worker's own socket, false when they go through wrangler's proxy. */
  get direct(): boolean {
    return this.url !== this.wranglerUrl;
  }

  /** A request to the gateway; when the Worker was reloaded under it, finds it again and retries once. */
  async request(pathAndQuery: string, init: HttpRequest = {}): Promise<HttpAnswer> {
    try {
      return await this.http.request(`${this.url}${pathAndQuery}`, init);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      await this.recover();
      return this.http.request(`${this.url}${pathAndQuery}`, init);
    }
  }

  /** After a connection error; calls in flight fail together, and one search serves them all. */
  recover(): Promise<void> {
    this.#recovering ??= this.refresh().finally(() => {
      this.#recovering = null;
      this.reloads++;
    });
    return this.#recovering;
  }

  async refresh(deadlineMs = 30_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    const wranglerPort = Number(new URL(this.wranglerUrl).port);
    while (Date.now() < until) {
      for (const pid of workerdProcesses()) {
        const ports = listeningPorts(pid);
        if (ports.includes(wranglerPort)) continue;
        for (const port of ports) {
          if (await this.answersAsGateway(`http://127.0.0.1:${port}`)) {
            this.url = `http://127.0.0.1:${port}`;
            this.pid = pid;
            return;
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    this.url = this.wranglerUrl;
    this.pid = null;
  }

  private async answersAsGateway(origin: string): Promise<boolean> {
    try {
      const answer = await this.http.request(`${origin}/`, { timeoutMs: 1000 });
      // PUBLIC_URL is wrangler's address: it tells this gateway from any other one running under the same parent.
      return answer.status === 200 && (JSON.parse(answer.body) as { mcp_endpoint?: unknown }).mcp_endpoint === `${this.wranglerUrl}/mcp`;
    } catch {
      return false;
    }
  }
}

/** Every workerd process started under this benchmark (wrangler's proxy and the Worker's runtime). */
export function workerdProcesses(): number[] {
  return descendants(process.pid).filter((pid) => {
    const [binary, subcommand] = commandLine(pid);
    return Boolean(binary?.endsWith('/workerd') && subcommand === 'serve');
  });
}
