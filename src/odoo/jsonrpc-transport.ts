import type { OdooExchange } from './exchange';
import { fromJsonRpcError } from './failures';
import { isRecordList, toGroup, type OdooTransport } from './transport';
import { fail, ok, redacted, type OdooAccount, type OdooResult } from './types';

/** The legacy `/jsonrpc` API of every Odoo version: `common` for login and version, `object.execute_kw` with uid and key in every call. */
export function jsonRpcTransport(account: OdooAccount, exchange: OdooExchange): OdooTransport {
  let uid = account.uid;
  let nextRpcId = 1;

  async function rpc(service: string, method: string, args: unknown[]): Promise<OdooResult<unknown>> {
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

  async function authenticate(): Promise<OdooResult<{ uid: number }>> {
    const answer = await rpc('common', 'authenticate', [account.database, account.login, account.apiKey, {}]);
    if (!answer.ok) return redacted(answer, account.apiKey);
    if (typeof answer.value !== 'number') return fail('access_denied', 'Odoo refused the login or the API key');
    uid = answer.value;
    return ok({ uid: answer.value });
  }

  async function knownUid(): Promise<OdooResult<number>> {
    if (uid !== null) return ok(uid);
    const checked = await authenticate();
    return checked.ok ? ok(checked.value.uid) : checked;
  }

  return {
    async callModel(model, method, { ids, named = {}, positional = [] }) {
      const user = await knownUid();
      if (!user.ok) return user;
      const args = ids ? [ids, ...positional] : positional;
      return rpc('object', 'execute_kw', [account.database, user.value, account.apiKey, model, method, args, named]);
    },

    positionalArgsRefusal: null,

    // execute_kw reads the created ids' shape from the first positional argument, so it must be positional.
    createCall: (valsList) => ({ positional: [valsList] }),

    async readGroup(run, model, { domain, groupby, aggregates }) {
      const specs = aggregates.filter((spec) => spec !== '__count');
      const legacyFields = legacyAggregateFields(specs);
      const named = { domain, fields: [...legacyFields.values()].map((field) => field.request), groupby, lazy: false };
      const rows = await run(model, 'read_group', { named }, isRecordList);
      return rows.ok ? ok(rows.value.map((row) => toGroup(row, groupby, specs, (spec) => legacyFields.get(spec)!.key))) : rows;
    },

    authenticate: () => authenticate(),

    async version() {
      const answer = await rpc('common', 'version', []);
      if (!answer.ok) return redacted(answer, account.apiKey);
      const body = answer.value as { server_version?: unknown; server_version_info?: unknown };
      if (typeof body?.server_version !== 'string') return fail('bad_response', 'common.version answered without a version');
      return ok({ serverVersion: body.server_version, versionInfo: Array.isArray(body.server_version_info) ? body.server_version_info : [] });
    },
  };
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
