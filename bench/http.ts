import http, { type IncomingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** From the request's start to the last byte of the answer, in milliseconds. */
  ms: number;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A keep-alive HTTP/1.1 client on node:http: one pool of sockets per origin,
 * reused across calls, so the figures measure requests and not TCP set-up.
 * It sends no Accept-Encoding, so neither the gateway nor Odoo compresses.
 * The benchmark talks to loopback only.
 */
export class KeepAliveClient {
  readonly #agent: http.Agent;

  constructor(maxSockets: number) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(url: string, { method = 'GET', headers = {}, body, timeoutMs = 30_000 }: HttpRequest = {}): Promise<HttpAnswer> {
    const target = new URL(url);
    if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
      return Promise.reject(new Error(`the benchmark only talks to loopback over http, not ${target.origin}`));
    }
    const payload = body === undefined ? undefined : Buffer.from(body);
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.request(
        target,
        {
          method,
          agent: this.#agent,
          headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer from ${target.origin} within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** True for the errors a restarting server gives: nothing listening, or the socket closed under us. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE';
}
