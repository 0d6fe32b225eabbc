import { cleanOdooText, fromJson2Error, fromJsonRpcError, type OdooFailure, type OdooFailureKind } from './failures';
import type { OdooAccount } from './types';

/** Odoo and network failures are values, never exceptions. */
export type OdooResult<T> = { ok: true; value: T } | { ok: false; failure: OdooFailure };

export type OdooDomain = unknown[];
export type OdooRecordValues = Record<string, unknown>;

export interface OdooGroup {
  /** The groupby values, keyed by groupby spec (a many2one as [id, name], empty as false). */
  group: Record<string, unknown>;
  count: number;
  /** Keyed by aggregate spec, e.g. "amount_total:sum"; false when Odoo had nothing to aggregate. */
  aggregates: Record<string, number | false>;
}

export interface OdooVersion {
  serverVersion: string;
  versionInfo: unknown[];
}

export interface ExecuteParams {
  ids?: number[];
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

export interface SearchReadParams {
  domain: OdooDomain;
  fields?: string[];
  limit?: number;
  offset?: number;
  order?: string;
}

export interface ReadGroupParams {
  domain: OdooDomain;
  groupby: string[];
  /** "field:function" (sum, avg, min, max, count, ...) or "__count". */
  aggregates: string[];
}

export interface OdooClient {
  execute(model: string, method: string, params: ExecuteParams): Promise<OdooResult<unknown>>;
  searchRead(model: string, params: SearchReadParams): Promise<OdooResult<OdooRecordValues[]>>;
  searchCount(model: string, domain: OdooDomain): Promise<OdooResult<number>>;
  read(model: string, ids: number[], fields?: string[]): Promise<OdooResult<OdooRecordValues[]>>;
  create(model: string, valsList: OdooRecordValues[]): Promise<OdooResult<number[]>>;
  write(model: string, ids: number[], vals: OdooRecordValues): Promise<OdooResult<boolean>>;
  unlink(model: string, ids: number[]): Promise<OdooResult<boolean>>;
  fieldsGet(model: string, attributes?: string[]): Promise<OdooResult<Record<string, Record<string, unknown>>>>;
  readGroup(model: string, params: ReadGroupParams): Promise<OdooResult<OdooGroup[]>>;
  authenticate(): Promise<OdooResult<{ uid: number; name?: string }>>;
  version(): Promise<OdooResult<OdooVersion>>;
}

export interface OdooClientOptions {
  timeoutMs?: number;
}

export const DEFAULT_ODOO_TIMEOUT_MS = 15_000;

interface ModelCall {
  ids?: number[];
  /** Keyword arguments: JSON-2's body, execute_kw's kwargs. */
  named?: Record<string, unknown>;
  /** Only for /jsonrpc, after the ids. */
  positional?: unknown[];
}

const ok = <T>(value: T): OdooResult<T> => ({ ok: true, value });
const fail = <T>(kind: OdooFailureKind, message: string, status?: number): OdooResult<T> => ({
  ok: false,
  failure: { kind, odooName: null, message, ...(status === undefined ? {} : { status }) },
});

export function createOdooClient(account: OdooAccount, options: OdooClientOptions = {}): OdooClient {
  const baseUrl = account.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_ODOO_TIMEOUT_MS;
  let uid = account.uid;
  let nextRpcId = 1;

  /**
   * One HTTP exchange; the body must be JSON. The timeout covers the answer's
   * body too, and its timer is cleared as soon as the exchange ends: a timer
   * left running for every call would stay armed for `timeoutMs` after the
   * answer, and a request may only hold so many.
   */
  async function exchange(path: string, init: RequestInit): Promise<OdooResult<{ status: number; body: unknown }>> {
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
  }

  async function json2(model: string, method: string, body: Record<string, unknown>): Promise<OdooResult<unknown>> {
    const answer = await exchange(`/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: {
        Authorization: `bearer ${account.apiKey}`,
        'Content-Type': 'application/json',
        ...(account.database ? { 'X-Odoo-Database': account.database } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!answer.ok) {
      const { kind, status } = answer.failure;
      if (kind !== 'bad_response' || status !== 404) return answer;
      return fail('bad_response', 'HTTP 404 with a body that is not JSON: is this Odoo 19 or later, and is the database name right?', 404);
    }
    const { status, body: answered } = answer.value;
    return status === 200 ? ok(answered) : { ok: false, failure: fromJson2Error(status, answered) };
  }

  async function jsonRpc(service: string, method: string, args: unknown[]): Promise<OdooResult<unknown>> {
    const answer = await exchange('/jsonrpc', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: nextRpcId++, params: { service, method, args } }),
    });
    if (!answer.ok) return answer;
    const { status, body } = answer.value;
    const envelope = typeof body === 'object' && body !== null ? (body as { result?: unknown; error?: { data?: unknown } }) : {};
    if (envelope.error) return { ok: false, failure: fromJsonRpcError(envelope.error.data ?? envelope.error) };
    if (status !== 200 || !('result' in envelope)) {
      return fail('bad_response', `HTTP ${status} without a JSON-RPC result`, status);
    }
    return ok(envelope.result);
  }

  async function knownUid(): Promise<OdooResult<number>> {
    if (uid !== null) return ok(uid);
    const checked = await client.authenticate();
    return checked.ok ? ok(checked.value.uid) : checked;
  }

  async function callModel(model: string, method: string, { ids, named = {}, positional = [] }: ModelCall): Promise<OdooResult<unknown>> {
    if (account.api === 'json2') return json2(model, method, ids ? { ids, ...named } : named);
    const user = await knownUid();
    if (!user.ok) return user;
    const args = ids ? [ids, ...positional] : positional;
    return jsonRpc('object', 'execute_kw', [account.database, user.value, account.apiKey, model, method, args, named]);
  }

  /** Calls Odoo, checks the shape of the answer and scrubs the API key from any failure. */
  async function run<T>(model: string, method: string, call: ModelCall, isExpected: (value: unknown) => value is T): Promise<OdooResult<T>> {
    const result = await callModel(model, method, call);
    if (!result.ok) return redacted(result, account.apiKey);
    return isExpected(result.value) ? ok(result.value) : fail('bad_response', 'a value of an unexpected type');
  }

  /**
   * JSON-2 has no "who am I": the login lookup alone would accept an admin's
   * key under a colleague's login and attribute its calls to the wrong user.
   * Odoo's record rule shows a user only their own API keys, so the owner of
   * any key we can see is the key's user. Null when Odoo shows none.
   */
  async function keyOwner(): Promise<number | null> {
    const keys = await run('res.users.apikeys', 'search_read', { named: { domain: [], fields: ['user_id'], limit: 1 } }, isRecordList);
    if (!keys.ok || keys.value.length === 0) return null;
    const owner = keys.value[0]!.user_id;
    return Array.isArray(owner) && typeof owner[0] === 'number' ? owner[0] : null;
  }

  const client: OdooClient = {
    async execute(model, method, { ids, args, kwargs }) {
      if (account.api === 'json2' && args?.length) {
        return fail(
          'invalid_request',
          'The JSON-2 API takes named arguments only: pass them in kwargs (positional args are not supported).',
        );
      }
      return run(model, method, { ids, named: kwargs ?? {}, positional: args ?? [] }, isAnything);
    },

    searchRead(model, { domain, fields, limit, offset, order }) {
      return run(model, 'search_read', { named: defined({ domain, fields, limit, offset, order }) }, isRecordList);
    },

    searchCount(model, domain) {
      return run(model, 'search_count', { named: { domain } }, isNumber);
    },

    read(model, ids, fields) {
      return run(model, 'read', { ids, named: defined({ fields }) }, isRecordList);
    },

    create(model, valsList) {
      // execute_kw reads the created ids' shape from the first positional argument, so it must be positional.
      const call = account.api === 'json2' ? { named: { vals_list: valsList } } : { positional: [valsList] };
      return run(model, 'create', call, isIdList);
    },

    write(model, ids, vals) {
      return run(model, 'write', { ids, named: { vals } }, isBoolean);
    },

    unlink(model, ids) {
      return run(model, 'unlink', { ids }, isBoolean);
    },

    fieldsGet(model, attributes) {
      return run(model, 'fields_get', { named: defined({ attributes }) }, isFieldMap);
    },

    async readGroup(model, { domain, groupby, aggregates }) {
      const specs = aggregates.filter((spec) => spec !== '__count');
      if (account.api === 'json2') {
        const rows = await run(model, 'formatted_read_group', { named: { domain, groupby, aggregates: [...specs, '__count'] } }, isRecordList);
        return rows.ok ? ok(rows.value.map((row) => toGroup(row, groupby, specs, (spec) => spec))) : rows;
      }
      const legacyFields = legacyAggregateFields(specs);
      const named = { domain, fields: [...legacyFields.values()].map((field) => field.request), groupby, lazy: false };
      const rows = await run(model, 'read_group', { named }, isRecordList);
      return rows.ok ? ok(rows.value.map((row) => toGroup(row, groupby, specs, (spec) => legacyFields.get(spec)!.key))) : rows;
    },

    async authenticate() {
      if (account.api === 'json2') {
        const users = await run(
          'res.users',
          'search_read',
          { named: { domain: [['login', '=', account.login]], fields: ['id', 'name'], limit: 1 } },
          isRecordList,
        );
        if (!users.ok) return users;
        const [user] = users.value;
        if (!user || typeof user.id !== 'number') {
          return fail('access_denied', `Odoo accepted the API key but has no user with the login '${account.login}'`);
        }
        const owner = await keyOwner();
        if (owner !== null && owner !== user.id) {
          return fail('access_denied', `The API key does not belong to the Odoo user with the login '${account.login}'`);
        }
        uid = user.id;
        return ok({ uid: user.id, ...(typeof user.name === 'string' ? { name: user.name } : {}) });
      }
      const answer = await jsonRpc('common', 'authenticate', [account.database, account.login, account.apiKey, {}]);
      if (!answer.ok) return redacted(answer, account.apiKey);
      if (typeof answer.value !== 'number') return fail('access_denied', 'Odoo refused the login or the API key');
      uid = answer.value;
      return ok({ uid: answer.value });
    },

    async version() {
      if (account.api === 'json2') {
        const answer = await exchange('/web/version', { method: 'GET' });
        if (!answer.ok) return answer;
        const body = answer.value.body as { version?: unknown; version_info?: unknown };
        if (answer.value.status !== 200 || typeof body?.version !== 'string') {
          return fail('bad_response', `HTTP ${answer.value.status} without a version`, answer.value.status);
        }
        return ok({ serverVersion: body.version, versionInfo: Array.isArray(body.version_info) ? body.version_info : [] });
      }
      const answer = await jsonRpc('common', 'version', []);
      if (!answer.ok) return redacted(answer, account.apiKey);
      const body = answer.value as { server_version?: unknown; server_version_info?: unknown };
      if (typeof body?.server_version !== 'string') return fail('bad_response', 'common.version answered without a version');
      return ok({ serverVersion: body.server_version, versionInfo: Array.isArray(body.server_version_info) ? body.server_version_info : [] });
    },
  };
  return client;
}

/** How read_group (legacy) is asked for each aggregate, and under which key it answers. */
function legacyAggregateFields(specs: string[]): Map<string, { request: string; key: string }> {
  const fieldCounts = new Map<string, number>();
  for (const spec of specs) fieldCounts.set(spec.split(':')[0]!, (fieldCounts.get(spec.split(':')[0]!) ?? 0) + 1);
  return new Map(
    specs.map((spec) => {
      const [field = spec, func] = spec.split(':');
      // One field aggregated twice needs read_group's "alias:function(field)" form to keep both.
      if (func && fieldCounts.get(field)! > 1) {
        const alias = `${field}_${func}`;
        return [spec, { request: `${alias}:${func}(${field})`, key: alias }];
      }
      return [spec, { request: spec, key: field }];
    }),
  );
}

function toGroup(row: OdooRecordValues, groupby: string[], specs: string[], keyOf: (spec: string) => string): OdooGroup {
  return {
    group: Object.fromEntries(groupby.map((spec) => [spec, row[spec] ?? false])),
    count: typeof row.__count === 'number' ? row.__count : 0,
    aggregates: Object.fromEntries(specs.map((spec) => [spec, typeof row[keyOf(spec)] === 'number' ? (row[keyOf(spec)] as number) : false])),
  };
}

function redacted<T>(result: OdooResult<T>, apiKey: string): OdooResult<T> {
  if (result.ok || !apiKey) return result;
  const message = result.failure.message.split(apiKey).join('[redacted]');
  return { ok: false, failure: { ...result.failure, message } };
}

function networkErrorText(error: unknown): string {
  if (!(error instanceof Error)) return cleanOdooText(String(error));
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return cleanOdooText(code ? `${error.message}: ${code}` : error.message);
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

const isAnything = (value: unknown): value is unknown => true;
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isIdList = (value: unknown): value is number[] => Array.isArray(value) && value.every((id) => typeof id === 'number');
const isRecordList = (value: unknown): value is OdooRecordValues[] =>
  Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row));
const isFieldMap = (value: unknown): value is Record<string, Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
