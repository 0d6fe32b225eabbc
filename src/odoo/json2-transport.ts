import type { OdooExchange } from './exchange';
import { fromJson2Error } from './failures';
import { isRecordList, toGroup, type OdooTransport, type RunModelCall } from './transport';
import { fail, ok, type OdooAccount, type OdooResult } from './types';

/** Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with the API key as a bearer token and named arguments only. */
export function json2Transport(account: OdooAccount, exchange: OdooExchange): OdooTransport {
  async function post(model: string, method: string, body: Record<string, unknown>): Promise<OdooResult<unknown>> {
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

  /**
   * JSON-2 has no "who am I": the login lookup alone would accept an admin's
   * key under a colleague's login and attribute its calls to the wrong user.
   * Odoo's record rule shows a user only their own API keys, so the owner of
   * any key we can see is the key's user. Null when Odoo shows none.
   */
  async function keyOwner(run: RunModelCall): Promise<number | null> {
    const keys = await run('res.users.apikeys', 'search_read', { named: { domain: [], fields: ['user_id'], limit: 1 } }, isRecordList);
    if (!keys.ok || keys.value.length === 0) return null;
    const owner = keys.value[0]!.user_id;
    return Array.isArray(owner) && typeof owner[0] === 'number' ? owner[0] : null;
  }

  return {
    callModel: (model, method, { ids, named = {} }) => post(model, method, ids ? { ids, ...named } : named),

    positionalArgsRefusal: 'The JSON-2 API takes named arguments only: pass them in kwargs (positional args are not supported).',

    createCall: (valsList) => ({ named: { vals_list: valsList } }),

    async readGroup(run, model, { domain, groupby, aggregates }) {
      const specs = aggregates.filter((spec) => spec !== '__count');
      const rows = await run(model, 'formatted_read_group', { named: { domain, groupby, aggregates: [...specs, '__count'] } }, isRecordList);
      return rows.ok ? ok(rows.value.map((row) => toGroup(row, groupby, specs, (spec) => spec))) : rows;
    },

    async authenticate(run) {
      const users = await run('res.users', 'search_read', { named: { domain: [['login', '=', account.login]], fields: ['id', 'name'], limit: 1 } }, isRecordList);
      if (!users.ok) return users;
      const [user] = users.value;
      if (!user || typeof user.id !== 'number') {
        return fail('access_denied', `Odoo accepted the API key but has no user with the login '${account.login}'`);
      }
      const owner = await keyOwner(run);
      if (owner !== null && owner !== user.id) {
        return fail('access_denied', `The API key does not belong to the Odoo user with the login '${account.login}'`);
      }
      return ok({ uid: user.id, ...(typeof user.name === 'string' ? { name: user.name } : {}) });
    },

    async version() {
      const answer = await exchange('/web/version', { method: 'GET' });
      if (!answer.ok) return answer;
      const body = answer.value.body as { version?: unknown; version_info?: unknown };
      if (answer.value.status !== 200 || typeof body?.version !== 'string') {
        return fail('bad_response', `HTTP ${answer.value.status} without a version`, answer.value.status);
      }
      return ok({ serverVersion: body.version, versionInfo: Array.isArray(body.version_info) ? body.version_info : [] });
    },
  };
}
