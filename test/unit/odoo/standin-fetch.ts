import { vi } from 'vitest';
import { createOdooStandin, STANDIN_ADMIN_KEY, type OdooStandin } from '../../../odoo-standin/standin';
import type { OdooAccount, OdooApi } from '../../../src/odoo/types';

export const ODOO_URL = 'https://odoo.test/';

export function accountFor(api: OdooApi, overrides: Partial<OdooAccount> = {}): OdooAccount {
  return { id: 'acc_1', url: ODOO_URL, database: 'odoo', login: 'admin', apiKey: STANDIN_ADMIN_KEY, api, uid: api === 'jsonrpc' ? 2 : null, ...overrides };
}

export interface SentRequest {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | null | undefined;
}

/** Sends every `fetch` to a fresh stand-in and keeps what was sent. */
export function routeFetchToStandin(): { standin: OdooStandin; sent: SentRequest[]; fetchSpy: ReturnType<typeof vi.spyOn> } {
  const standin = createOdooStandin();
  const sent: SentRequest[] = [];
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    sent.push({ url: request.url, method: request.method, headers: request.headers, body: text ? JSON.parse(text) : undefined, signal: init?.signal });
    return standin.handle(request);
  });
  return { standin, sent, fetchSpy };
}

/** A fetch that only ends when its signal aborts, like an Odoo that never answers. */
export function hangingFetch(): ReturnType<typeof vi.spyOn> {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(
    (_input, init) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal.reason));
      }),
  );
}
