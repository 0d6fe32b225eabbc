import { STANDIN_ADMIN_KEY, STANDIN_DEMO_KEY, type OdooStandin } from '../../../odoo-standin/standin';

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const USERS = { admin: { key: STANDIN_ADMIN_KEY, uid: 2 }, demo: { key: STANDIN_DEMO_KEY, uid: 5 } };
export type StandinUserName = keyof typeof USERS;

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  const isJson = response.headers.get('Content-Type')?.startsWith('application/json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

export async function json2(standin: OdooStandin, model: string, method: string, body: unknown, user: StandinUserName = 'admin'): Promise<Answer> {
  return answer(
    await standin.handle(
      new Request(`http://odoo.test/json/2/${model}/${method}`, {
        method: 'POST',
        headers: { Authorization: `bearer ${USERS[user].key}`, 'Content-Type': 'application/json', 'X-Odoo-Database': 'odoo' },
        body: JSON.stringify(body),
      }),
    ),
  );
}

export async function jsonRpc(standin: OdooStandin, params: unknown): Promise<Answer> {
  return answer(
    await standin.handle(
      new Request('http://odoo.test/jsonrpc', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 7, params }),
      }),
    ),
  );
}

/** execute_kw as `user`; answers the JSON-RPC `result`, or the `error.data` when Odoo failed. */
export async function executeKw(
  standin: OdooStandin,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
  user: StandinUserName = 'admin',
): Promise<{ result?: unknown; error?: { name: string; message: string } }> {
  const { key, uid } = USERS[user];
  const { body } = await jsonRpc(standin, { service: 'object', method: 'execute_kw', args: ['odoo', uid, key, model, method, args, kwargs] });
  const envelope = body as { result?: unknown; error?: { data: { name: string; message: string } } };
  return envelope.error ? { error: envelope.error.data } : { result: envelope.result };
}
