import type { OdooFailure, OdooFailureKind } from './failures';

/** JSON-2 (`/json/2/<model>/<method>`, Odoo 19+) or the legacy `/jsonrpc` (`execute_kw`, every version). */
export type OdooApi = 'json2' | 'jsonrpc';

/** The Odoo user a connection acts as, with the credentials the gateway uses to reach it. */
export interface OdooAccount {
  id: string;
  url: string;
  database: string;
  login: string;
  apiKey: string;
  api: OdooApi;
  /** Known once authenticated; /jsonrpc needs it in every call. */
  uid: number | null;
}

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

export interface ReadGroupParams {
  domain: OdooDomain;
  groupby: string[];
  /** "field:function" (sum, avg, min, max, count, ...) or "__count". */
  aggregates: string[];
}

export const ok = <T>(value: T): OdooResult<T> => ({ ok: true, value });
export const fail = <T>(kind: OdooFailureKind, message: string, status?: number): OdooResult<T> => ({
  ok: false,
  failure: { kind, odooName: null, message, ...(status === undefined ? {} : { status }) },
});

/** The API key never leaves in a failure's message, whatever Odoo or the network put there. */
export function redacted<T>(result: OdooResult<T>, apiKey: string): OdooResult<T> {
  if (result.ok || !apiKey) return result;
  const message = result.failure.message.split(apiKey).join('[redacted]');
  return { ok: false, failure: { ...result.failure, message } };
}
