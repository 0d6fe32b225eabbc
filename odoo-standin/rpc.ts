import type { StandinDatabase } from './database';
import { accessError, notFound, OdooError, typeError, unprocessable, valueError } from './errors';
import { bindNamed, bindPositional, findMethod, runMethod, type MethodSpec } from './methods';
import type { ModelTable } from './models';
import type { ModelCall } from './orm';
import { pyRepr } from './python';

export interface StandinUser {
  uid: number;
  login: string;
}

export interface StandinCall {
  api: 'json2' | 'jsonrpc' | 'common';
  model?: string;
  method?: string;
  uid?: number;
}

/** What the HTTP layer shares with the model layer for one stand-in. */
export interface StandinState {
  db: StandinDatabase;
  database: string;
  apiKeys: Record<string, StandinUser>;
  calls: StandinCall[];
}

const SERVER_VERSION = {
  server_version: '19.0',
  server_version_info: [19, 0, 0, 'final', 0, ''],
  server_serie: '19.0',
  protocol_version: 1,
};

interface ResolvedMethod {
  table: ModelTable;
  spec: MethodSpec;
}

/** Odoo's `get_public_method`, after the model lookup each API reports in its own way. */
function resolve(state: StandinState, model: string, method: string, onUnknownModel: () => OdooError, onUnknownMethod: (message: string) => OdooError): ResolvedMethod {
  const table = state.db.model(model);
  if (!table) throw onUnknownModel();
  if (method.startsWith('_')) throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const spec = findMethod(method, table.fields);
  if (!spec) throw onUnknownMethod(`The method '${model}.${method}' does not exist`);
  return { table, spec };
}

function idsOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value === false || value === null || value === undefined) return [];
  if (Array.isArray(value) && value.every((id) => typeof id === 'number')) return value as number[];
  throw valueError(`Invalid ids ${pyRepr(value)}`);
}

function contextOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** POST /json/2/<model>/<method> once the user is known: named arguments, `ids` and `context` apart. */
export function callJson2(state: StandinState, uid: number, model: string, method: string, body: Record<string, unknown>): unknown {
  const { ids, context, ...kwargs } = body;
  const { table, spec } = resolve(
    state,
    model,
    method,
    () => notFound(`the model ${pyRepr(model)} does not exist`),
    (message) => notFound(message),
  );
  const recordIds = idsOf(ids);
  if (!spec.onRecords && recordIds.length) throw unprocessable(`cannot call ${model}.${method} with ids`);
  state.calls.push({ api: 'json2', model, method, uid });
  const bound = bindNamed(spec, kwargs);
  const call: ModelCall = { db: state.db, table, uid, context: contextOf(context), ids: recordIds };
  return runMethod(spec, call, bound.args, bound.extra);
}

/** `execute_kw(db, uid, key, model, method, args, kwargs)` once the user is checked. */
export function callExecuteKw(state: StandinState, uid: number, model: unknown, method: unknown, args: unknown, kwargs: unknown): unknown {
  const modelName = String(model);
  const methodName = String(method);
  const { table, spec } = resolve(
    state,
    modelName,
    methodName,
    () => new OdooError('odoo.exceptions.UserError', `Object ${modelName} doesn't exist`),
    (message) => new OdooError('builtins.AttributeError', message),
  );
  state.calls.push({ api: 'jsonrpc', model: modelName, method: methodName, uid });
  const positional = Array.isArray(args) ? [...args] : [];
  const { context, ...named } = contextOf(kwargs);
  let ids: number[] = [];
  if (spec.onRecords) {
    if (!positional.length) throw new OdooError('builtins.IndexError', 'list index out of range');
    ids = idsOf(positional.shift());
  }
  const bound = bindPositional(spec, positional, named);
  // call_kw answers one id for one dict and a list for a list, reading the first positional argument;
  // Odoo fails after creating and rolls back, the stand-in fails before creating.
  if (methodName === 'create' && !positional.length) throw new OdooError('builtins.IndexError', 'list index out of range');
  const call: ModelCall = { db: state.db, table, uid, context: contextOf(context), ids };
  const result = runMethod(spec, call, bound.args, bound.extra);
  return methodName === 'create' && !Array.isArray(positional[0]) ? (result as number[])[0] : result;
}

/** The `common` service: version, login and authenticate (a wrong key answers false, not an error). */
export function callCommon(state: StandinState, method: string, args: unknown[]): unknown {
  if (method === 'version') {
    state.calls.push({ api: 'common', method });
    return SERVER_VERSION;
  }
  if (method !== 'login' && method !== 'authenticate') throw new OdooError('builtins.KeyError', pyRepr(`exp_${method}`));
  if (args.length < 3) {
    throw typeError(`exp_${method}() missing ${3 - args.length} required positional argument${3 - args.length === 1 ? '' : 's'}`);
  }
  const [db, login, key] = args;
  checkDatabase(state, db);
  const user = typeof key === 'string' ? state.apiKeys[key] : undefined;
  const uid = user && user.login === login ? user.uid : false;
  state.calls.push({ api: 'common', method, ...(uid === false ? {} : { uid }) });
  return uid;
}

function checkDatabase(state: StandinState, db: unknown): void {
  if (db !== state.database) {
    throw new OdooError('psycopg2.OperationalError', `connection failed: FATAL:  database ${JSON.stringify(String(db))} does not exist\n`);
  }
}

/** `security.check(db, uid, key)`: the key must belong to that uid. */
export function checkCredentials(state: StandinState, db: unknown, uid: unknown, key: unknown): number {
  checkDatabase(state, db);
  const user = typeof key === 'string' ? state.apiKeys[key] : undefined;
  if (!user || user.uid !== Number(uid)) throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
  return user.uid;
}
