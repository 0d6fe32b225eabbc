import { loadDataset, type Dataset } from './dataset';
import { StandinDatabase } from './database';
import { badRequest, OdooError, unauthorized } from './errors';
import { pythonJsonError } from './python';
import { callCommon, callExecuteKw, callJson2, checkCredentials, type StandinCall, type StandinState, type StandinUser } from './rpc';

export type { Dataset } from './dataset';
export { loadDataset } from './dataset';
export type { StandinCall, StandinUser } from './rpc';

export const STANDIN_ADMIN_KEY = 'admin-api-key';
export const STANDIN_DEMO_KEY = 'demo-api-key';
export const STANDIN_DATABASE = 'odoo';

export interface OdooStandinOptions {
  dataset?: Dataset;
  apiKeys?: Record<string, StandinUser>;
  database?: string;
  /** Delay before every answer, to make benchmarks look like a real network. */
  latencyMs?: number;
}

export interface OdooStandin {
  handle(request: Request): Promise<Response>;
  /** Every request that reached a model method (or the common service), oldest first. */
  calls: StandinCall[];
  /** Back to the initial data, with no calls recorded. */
  reset(): void;
}

/** An in-memory Odoo 19 answering /jsonrpc and /json/2 exactly like the captured fixtures. */
export function createOdooStandin(options: OdooStandinOptions = {}): OdooStandin {
  const fresh = () => new StandinDatabase(options.dataset ? structuredClone(options.dataset) : loadDataset());
  const state: StandinState = {
    db: fresh(),
    database: options.database ?? STANDIN_DATABASE,
    apiKeys: options.apiKeys ?? {
      [STANDIN_ADMIN_KEY]: { uid: 2, login: 'admin' },
      [STANDIN_DEMO_KEY]: { uid: 5, login: 'demo' },
    },
    calls: [],
  };
  return {
    calls: state.calls,
    async handle(request) {
      const response = await route(state, request);
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      return response;
    },
    reset() {
      state.db = fresh();
      state.calls.length = 0;
    },
  };
}

async function route(state: StandinState, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/jsonrpc' && request.method === 'POST') return handleJsonRpc(state, request);
  if (pathname === '/web/version' && request.method === 'GET') {
    return json({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
  }
  const modelRoute = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (modelRoute && request.method === 'POST') {
    return handleJson2(state, request, decodeURIComponent(modelRoute[1]!), decodeURIComponent(modelRoute[2]!));
  }
  if (pathname === '/json/2' || pathname.startsWith('/json/2/')) {
    return errorResponse(new OdooError('werkzeug.exceptions.NotFound', 'Did you mean POST /json/2/<model>/<method>?', 404));
  }
  return html(404, 'Not Found', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.');
}

async function handleJson2(state: StandinState, request: Request, model: string, method: string): Promise<Response> {
  if (!isJson(request)) return unsupportedMediaType('/json/2', 'json2');
  const database = request.headers.get('X-Odoo-Database');
  if (database !== null && database !== state.database) {
    return html(404, 'Not Found', 'Not Found: the requested URL was not found in the server-wide controllers.');
  }
  try {
    const uid = bearerUser(state, request.headers.get('Authorization'));
    const body = await json2Body(request);
    return json(callJson2(state, uid, model, method, body));
  } catch (error) {
    return errorResponse(asOdooError(error));
  }
}

function bearerUser(state: StandinState, authorization: string | null): number {
  const token = authorization ? /^bearer\s+(.+)$/is.exec(authorization)?.[1]?.trim() : undefined;
  if (!token) throw unauthorized('User not authenticated, use an API Key with a Bearer Authorization header.');
  const user = state.apiKeys[token];
  if (!user) throw unauthorized('Invalid apikey');
  return user.uid;
}

async function json2Body(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text) return {};
  const problem = pythonJsonError(text);
  if (problem) throw badRequest(`could not parse the body as json: ${problem}`);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('could not parse the body, expecting a json object');
  }
  return parsed as Record<string, unknown>;
}

async function handleJsonRpc(state: StandinState, request: Request): Promise<Response> {
  if (!isJson(request)) return unsupportedMediaType('/jsonrpc', 'jsonrpc');
  const text = await request.text();
  // Odoo answers these two outside JSON-RPC, as plain HTTP 400s.
  if (pythonJsonError(text)) return new Response('Invalid JSON data', { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  const message: unknown = JSON.parse(text);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return new Response('Invalid JSON-RPC data', { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  }
  const { id = null, params } = message as { id?: unknown; params?: unknown };
  try {
    return json({ jsonrpc: '2.0', id, result: dispatchRpc(state, (params ?? {}) as Record<string, unknown>) });
  } catch (error) {
    const data = asOdooError(error).toBody();
    return json({ jsonrpc: '2.0', id, error: { code: 0, message: 'Odoo Server Error', data } });
  }
}

function dispatchRpc(state: StandinState, params: Record<string, unknown>): unknown {
  const { service, method, args } = params;
  if (service === undefined || method === undefined) {
    throw new OdooError('builtins.TypeError', `RPC.jsonrpc() missing 1 required positional argument: '${service === undefined ? 'service' : 'method'}'`);
  }
  const list = Array.isArray(args) ? args : [];
  if (service === 'common') return callCommon(state, String(method), list);
  if (service !== 'object') throw new OdooError('builtins.KeyError', `'${String(service)}'`);
  const [db, uid, key, model, modelMethod, ...rest] = list;
  const user = checkCredentials(state, db, uid, key);
  if (method === 'execute_kw') return callExecuteKw(state, user, model, modelMethod, rest[0] ?? [], rest[1] ?? {});
  if (method === 'execute') return callExecuteKw(state, user, model, modelMethod, rest, {});
  throw new OdooError('builtins.NameError', `Method not available ${String(method)}`);
}

function isJson(request: Request): boolean {
  const mimetype = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  return mimetype === 'application/json' || mimetype === 'application/json-rpc';
}

function asOdooError(error: unknown): OdooError {
  if (error instanceof OdooError) return error;
  // A bug in the stand-in: answer like an Odoo crash so the test that hit it fails loudly.
  return new OdooError('builtins.RuntimeError', `Odoo stand-in failure: ${error instanceof Error ? error.message : String(error)}`);
}

function errorResponse(error: OdooError): Response {
  // Odoo sends "Bearer " with a trailing space; Fetch's Headers trim it, as any HTTP client does.
  const headers: Record<string, string> = error.httpStatus === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return json(error.toBody(), error.httpStatus, headers);
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } });
}

function html(status: number, title: string, description: string): Response {
  const page = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`;
  return new Response(page, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function unsupportedMediaType(path: string, type: string): Response {
  return html(
    415,
    'Unsupported Media Type',
    `Request inferred type is compatible with [&#x27;http&#x27;] but ${path} is type=${type}. Please verify the Content-Type request header and try again.`,
  );
}
