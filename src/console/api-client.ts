import type { Context, ExecutionContext } from 'hono';
import type { Env } from '../config/env';
import { delegateAdmin } from '../admins/delegation';
import type { AppEnv } from '../http/context';

/** The Worker's own fetch: the console reaches the admin API in-process, never over the network. */
export type ApiFetch = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

export interface ApiProblem {
  code: string;
  message: string;
  details: unknown;
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiProblem };

export interface AdminApiClient {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<ApiResult<T>>;
  post<T>(path: string, json?: unknown): Promise<ApiResult<T>>;
  patch<T>(path: string, json: unknown, headers?: Record<string, string>): Promise<ApiResult<T>>;
  delete<T>(path: string): Promise<ApiResult<T>>;
  /** The API's response as it is, for downloads such as the audit CSV. */
  raw(path: string, query?: Record<string, string | undefined>): Promise<Response>;
}

/**
 * Every console page is built on the admin API, so the console never holds
 * its own SQL or rules. The console has already checked the admin's session;
 * it then speaks to the API as that admin (src/admins/delegation.ts), so the
 * API checks their role and the audit names them, and it
 * passes the admin's IP and user agent on so admin audit events name them.
 */
/** What the client needs of the request's context; any Hono context of the app fits. */
type RequestContext = Pick<Context<AppEnv>, 'req' | 'env' | 'executionCtx' | 'get'>;

export function adminApiClient(c: RequestContext, fetchApi: ApiFetch): AdminApiClient {
  const origin = new URL(c.req.url).origin;
  const forwarded: Record<string, string> = {};
  const ip = c.req.header('cf-connecting-ip');
  const userAgent = c.req.header('user-agent');
  if (ip) forwarded['cf-connecting-ip'] = ip;
  if (userAgent) forwarded['user-agent'] = userAgent;

  const send = (method: string, path: string, query?: Record<string, string | undefined>, json?: unknown, extra: Record<string, string> = {}) => {
    const url = new URL(`/admin/api${path}`, origin);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(name, value);
    const headers = new Headers({ ...extra, ...forwarded });
    if (json !== undefined) headers.set('content-type', 'application/json');
    const request = new Request(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    // The signed-in admin, read at call time (the session is resolved after this client is made); none means the API answers 401.
    const admin = c.get('admin');
    if (admin) delegateAdmin(request, admin);
    return Promise.resolve(fetchApi(request, c.env, c.executionCtx));
  };

  const call = async <T>(method: string, path: string, query?: Record<string, string | undefined>, json?: unknown, extra?: Record<string, string>): Promise<ApiResult<T>> => {
    const response = await send(method, path, query, json, extra);
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (response.ok) return { ok: true, status: response.status, body: body as T };
    const error = (body as { error?: Partial<ApiProblem> } | null)?.error;
    return {
      ok: false,
      status: response.status,
      error: { code: error?.code ?? 'internal_error', message: error?.message ?? `The admin API answered ${response.status}.`, details: error?.details ?? null },
    };
  };

  return {
    get: (path, query) => call('GET', path, query),
    post: (path, json) => call('POST', path, undefined, json ?? {}),
    patch: (path, json, headers) => call('PATCH', path, undefined, json, headers),
    delete: (path) => call('DELETE', path),
    raw: (path, query) => send('GET', path, query),
  };
}
