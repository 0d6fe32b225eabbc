import type { OdooGroup, OdooRecordValues, OdooResult, OdooVersion, ReadGroupParams } from './types';

/** One ORM call as the client means it; each transport spells it the way its API wants. */
export interface ModelCall {
  ids?: number[];
  /** Keyword arguments: JSON-2's body, execute_kw's kwargs. */
  named?: Record<string, unknown>;
  /** Only for /jsonrpc, after the ids. */
  positional?: unknown[];
}

export type AnswerGuard<T> = (value: unknown) => value is T;

/** The client's checked call: the answer's shape checked, the API key scrubbed from any failure. */
export type RunModelCall = <T>(model: string, method: string, call: ModelCall, isExpected: AnswerGuard<T>) => Promise<OdooResult<T>>;

/**
 * What differs between Odoo's two APIs, and nothing else: how a model call
 * travels, how its arguments are laid out, and how the user, the version and
 * grouped totals are asked for. The client (client.ts) holds what is the same
 * for both: the method list, the answer checks and the scrubbing of the key.
 */
export interface OdooTransport {
  /** Sends one model call; its answer is neither checked nor scrubbed yet. */
  callModel(model: string, method: string, call: ModelCall): Promise<OdooResult<unknown>>;
  /** Why this API cannot take call_method's positional args; null when it can. */
  readonly positionalArgsRefusal: string | null;
  createCall(valsList: OdooRecordValues[]): ModelCall;
  readGroup(run: RunModelCall, model: string, params: ReadGroupParams): Promise<OdooResult<OdooGroup[]>>;
  authenticate(run: RunModelCall): Promise<OdooResult<{ uid: number; name?: string }>>;
  version(): Promise<OdooResult<OdooVersion>>;
}

export const isRecordList = (value: unknown): value is OdooRecordValues[] =>
  Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row));

export function toGroup(row: OdooRecordValues, groupby: string[], specs: string[], keyOf: (spec: string) => string): OdooGroup {
  return {
    group: Object.fromEntries(groupby.map((spec) => [spec, row[spec] ?? false])),
    count: typeof row.__count === 'number' ? row.__count : 0,
    aggregates: Object.fromEntries(specs.map((spec) => [spec, typeof row[keyOf(spec)] === 'number' ? (row[keyOf(spec)] as number) : false])),
  };
}
