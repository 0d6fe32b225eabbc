import { afterEach, beforeEach, vi } from 'vitest';
import { createOdooStandin, type Dataset, type OdooStandin } from '../../odoo-standin/standin';
import { TEST_SECRETS } from './secrets';

export type OdooFault = 'none' | 'unreachable' | 'hang' | 'html_502';

/** A request towards Odoo as it was sent: its path and parsed JSON body. */
export interface SentToOdoo {
  path: string;
  body: unknown;
}

export interface StandinHandle {
  readonly odoo: OdooStandin;
  /** Every request the Worker sent towards Odoo, in order. */
  readonly requests: Request[];
  /** The same requests with their bodies, read while in flight (a recorded Request cannot be read from the test afterwards). */
  readonly sent: SentToOdoo[];
  fault: OdooFault;
}

/**
 * Routes the Worker's outbound fetches to Odoo into a fresh stand-in per
 * test; any other outbound request fails the test loudly.
 */
export function useStandinOdoo(options: { dataset?: () => Dataset } = {}): StandinHandle {
  const handle = { odoo: undefined as unknown as OdooStandin, requests: [] as Request[], sent: [] as SentToOdoo[], fault: 'none' as OdooFault };
  beforeEach(() => {
    handle.odoo = createOdooStandin(options.dataset ? { dataset: options.dataset() } : {});
    handle.requests = [];
    handle.sent = [];
    handle.fault = 'none';
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init);
      if (!request.url.startsWith(TEST_SECRETS.ODOO_URL)) throw new Error(`unexpected outbound fetch to ${request.url}`);
      handle.requests.push(request.clone());
      const text = await request.clone().text();
      handle.sent.push({ path: new URL(request.url).pathname, body: parsedBody(text) });
      switch (handle.fault) {
        case 'unreachable':
          throw new TypeError('Network connection lost.');
        case 'hang':
          return new Promise<Response>((_, reject) => {
            request.signal.addEventListener('abort', () => reject(request.signal.reason));
          });
        case 'html_502':
          return new Response('<html><body>Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
        default:
          return handle.odoo.handle(request);
      }
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return handle;
}

function parsedBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
