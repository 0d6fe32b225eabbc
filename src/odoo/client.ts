import { createExchange } from './exchange';
import { json2Transport } from './json2-transport';
import { jsonRpcTransport } from './jsonrpc-transport';
import { isRecordList, type RunModelCall } from './transport';
import {
  fail,
  ok,
  redacted,
  type OdooAccount,
  type OdooDomain,
  type OdooGroup,
  type OdooRecordValues,
  type OdooResult,
  type OdooVersion,
  type ReadGroupParams,
} from './types';

export type { OdooDomain, OdooGroup, OdooRecordValues, OdooResult, OdooVersion, ReadGroupParams } from './types';

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

/**
 * The gateway's one way to Odoo. What differs between JSON-2 and /jsonrpc
 * lives in their transports (json2-transport.ts, jsonrpc-transport.ts); here
 * is what holds for both: every answer's shape is checked and the API key is
 * scrubbed from every failure before it leaves.
 */
export function createOdooClient(account: OdooAccount, options: OdooClientOptions = {}): OdooClient {
  const exchange = createExchange(account.url, options.timeoutMs ?? DEFAULT_ODOO_TIMEOUT_MS);
  const transport = account.api === 'json2' ? json2Transport(account, exchange) : jsonRpcTransport(account, exchange);

  const run: RunModelCall = async (model, method, call, isExpected) => {
    const result = await transport.callModel(model, method, call);
    if (!result.ok) return redacted(result, account.apiKey);
    return isExpected(result.value) ? ok(result.value) : fail('bad_response', 'a value of an unexpected type');
  };

  return {
    async execute(model, method, { ids, args, kwargs }) {
      if (transport.positionalArgsRefusal !== null && args?.length) return fail('invalid_request', transport.positionalArgsRefusal);
      return run(model, method, { ids, named: kwargs ?? {}, positional: args ?? [] }, isAnything);
    },
    searchRead: (model, { domain, fields, limit, offset, order }) =>
      run(model, 'search_read', { named: defined({ domain, fields, limit, offset, order }) }, isRecordList),
    searchCount: (model, domain) => run(model, 'search_count', { named: { domain } }, isNumber),
    read: (model, ids, fields) => run(model, 'read', { ids, named: defined({ fields }) }, isRecordList),
    create: (model, valsList) => run(model, 'create', transport.createCall(valsList), isIdList),
    write: (model, ids, vals) => run(model, 'write', { ids, named: { vals } }, isBoolean),
    unlink: (model, ids) => run(model, 'unlink', { ids }, isBoolean),
    fieldsGet: (model, attributes) => run(model, 'fields_get', { named: defined({ attributes }) }, isFieldMap),
    readGroup: (model, params) => transport.readGroup(run, model, params),
    authenticate: () => transport.authenticate(run),
    version: () => transport.version(),
  };
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

const isAnything = (value: unknown): value is unknown => true;
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isIdList = (value: unknown): value is number[] => Array.isArray(value) && value.every((id) => typeof id === 'number');
const isFieldMap = (value: unknown): value is Record<string, Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
