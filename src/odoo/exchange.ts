import { cleanOdooText } from './failures';
import { fail, ok, type OdooResult } from './types';

/** One HTTP exchange with Odoo whose answer must be JSON; what both transports send through. */
export type OdooExchange = (path: string, init: RequestInit) => Promise<OdooResult<{ status: number; body: unknown }>>;

/**
 * The timeout covers the answer's body too, and its timer is cleared as soon
 * as the exchange ends: a timer left running for every call would stay armed
 * for `timeoutMs` after the answer, and a request may only hold so many.
 */
export function createExchange(url: string, timeoutMs: number): OdooExchange {
  const baseUrl = url.replace(/\/+$/, '');
  return async (path, init) => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException('Odoo did not answer in time', 'TimeoutError')), timeoutMs);
    try {
      const response = await globalThis.fetch(`${baseUrl}${path}`, { ...init, signal: deadline.signal });
      const text = await response.text();
      try {
        return ok({ status: response.status, body: JSON.parse(text) as unknown });
      } catch {
        return fail('bad_response', `HTTP ${response.status} with a body that is not JSON`, response.status);
      }
    } catch (error) {
      if (deadline.signal.aborted) return fail('timeout', `Odoo did not answer within ${Number((timeoutMs / 1000).toFixed(3))} s`);
      return fail('unreachable', networkErrorText(error));
    } finally {
      clearTimeout(timer);
    }
  };
}

function networkErrorText(error: unknown): string {
  if (!(error instanceof Error)) return cleanOdooText(String(error));
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return cleanOdooText(code ? `${error.message}: ${code}` : error.message);
}
