import { SELF } from 'cloudflare:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, vi } from 'vitest';
import { loadDataset, type Dataset } from '../../odoo-standin/standin';
import { connectClient, createConnection, GATEWAY, seedOdooAccount, textOf, type CreatedConnection } from '../support/gateway';
import { useStandinOdoo, type StandinHandle } from '../support/odoo';

/** Helpers shared by the scopes-*.test.ts files: one scoped client per connection, refusals read the way a client reads them. */

/** What reached the stand-in Odoo since a connection was made (creating one may check the default account with Odoo). */
export interface OdooTraffic {
  /** Raw HTTP requests towards Odoo. */
  requests(): Request[];
  /** Model methods the stand-in ran, as `model.method`. */
  methods(): string[];
  /** Bodies sent to one path, e.g. '/json/2/sale.order/search_read'. */
  bodies(path: string): Array<Record<string, unknown>>;
}

export interface ScopedClient {
  client: Client;
  key: string;
  connection: CreatedConnection['connection'];
  odoo: OdooTraffic;
}

export interface ConnectOptions {
  /** Headers on every MCP request, e.g. CF-Connecting-IP. */
  headers?: Record<string, string>;
  /** Extra fields of the create-connection body: not_before, expires_at, valid_for_days. */
  validity?: Record<string, unknown>;
  /** 'jsonrpc' stores an Odoo account of the same stand-in that is reached through /jsonrpc. */
  api?: 'json2' | 'jsonrpc';
}

export type ConnectWithScope = (scope: unknown, options?: ConnectOptions) => Promise<ScopedClient>;

/** A fresh stand-in Odoo per test, and a way to open an MCP session of a new connection with a given scope. */
export function useScopedGateway(options: { dataset?: () => Dataset } = {}): { odoo: StandinHandle; connectWithScope: ConnectWithScope } {
  const odoo = useStandinOdoo(options);
  const connectWithScope: ConnectWithScope = async (scope, connect = {}) => {
    let odooAccount: Record<string, string> = {};
    if (connect.api === 'jsonrpc') {
      const id = `acct_rpc_${crypto.randomUUID().slice(0, 8)}`;
      await seedOdooAccount({ id, api: 'jsonrpc', apiKey: 'admin-api-key' });
      odooAccount = { odoo_account_id: id };
    }
    const created = await createConnection({ scope, ...odooAccount, ...connect.validity });
    const client = await connectClient(created.key, { headers: connect.headers });
    return { client, key: created.key, connection: created.connection, odoo: trafficSince(odoo) };
  };
  return { odoo, connectWithScope };
}

function trafficSince(odoo: StandinHandle): OdooTraffic {
  const requests = odoo.requests.length;
  const calls = odoo.odoo.calls.length;
  const sent = odoo.sent.length;
  return {
    requests: () => odoo.requests.slice(requests),
    methods: () => odoo.odoo.calls.slice(calls).map((call) => `${call.model}.${call.method}`),
    bodies: (path) =>
      odoo.sent
        .slice(sent)
        .filter((request) => request.path === path)
        .map((request) => request.body as Record<string, unknown>),
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export interface Refusal {
  type: string;
  code: string;
  message: string;
  retry_after_seconds?: number;
}

/**
 * Asserts a tool refusal: an MCP tool error whose text and structured error
 * agree, with the expected reason code and every mention in its words.
 */
export function expectRefused(result: CallToolResult, code: string, ...mentions: Array<string | RegExp>): Refusal {
  expect(result.isError, `expected a refusal, got ${textOf(result)}`).toBe(true);
  const error = (result.structuredContent as { error: Refusal }).error;
  expect(error).toMatchObject({ type: 'denied', code });
  expect(textOf(result)).toBe(error.message);
  for (const mention of mentions) {
    if (typeof mention === 'string') expect(error.message).toContain(mention);
    else expect(error.message).toMatch(mention);
  }
  return error;
}

/**
 * Validity, client address and time window are checked on every /mcp request,
 * initialize included: a session cannot be opened from where or when the
 * connection may not work. Asserts that refusal, as the SDK client reports it.
 */
export async function expectSessionRefused(connecting: Promise<unknown>, code: string, ...mentions: string[]): Promise<void> {
  const error = await connecting.then(
    () => null,
    (failure: unknown) => failure as Error,
  );
  expect(error, 'expected initialize to be refused').not.toBeNull();
  expect(error!.message).toContain(`"data":{"type":"denied","code":"${code}"}`);
  for (const mention of mentions) expect(error!.message).toContain(mention);
}

/**
 * A tools/call on the client's open session, sent with other headers (another
 * client address): the session was opened where the connection allows it, and
 * only this call comes from elsewhere.
 */
export async function callToolWithHeaders(
  scoped: { client: Client; key: string },
  headers: Record<string, string>,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const { sessionId } = scoped.client.transport as unknown as { sessionId: string };
  const response = await SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${scoped.key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: CallToolResult }).result;
}

export function expectAllowed<T = Record<string, unknown>>(result: CallToolResult): T {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
}

/** Sorted names from tools/list. */
export async function listedTools(client: Client): Promise<string[]> {
  const { tools } = await client.listTools();
  return tools.map((tool) => tool.name).sort();
}

/**
 * Moves the clock of the test and of the Worker: @cloudflare/vitest-plugin runs
 * them in one isolate, so a faked Date is what the Worker's Date.now() returns.
 * Only Date is faked; timers stay real so fetch timeouts keep working.
 */
export function setClock(at: string | number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(at));
}

/** The model the nightly sync writes does not exist in the captured dataset; the stand-in gets it here. */
export function datasetWithSalesStats(): Dataset {
  const dataset = loadDataset();
  dataset.ir_model.push({ id: 10_001, model: 'x_sales_stats', name: 'Sales statistics' });
  const field = (string: string, type: string) => ({ string, type, required: false, readonly: false, store: true });
  dataset.models.x_sales_stats = {
    fields_get: {
      id: { ...field('ID', 'integer'), readonly: true },
      display_name: { ...field('Display Name', 'char'), readonly: true, store: false },
      x_name: field('Name', 'char'),
      x_day: field('Day', 'date'),
      x_orders: field('Orders', 'integer'),
      x_revenue: field('Revenue', 'float'),
    },
    records: [
      { id: 1, display_name: '2026-03-01', x_name: '2026-03-01', x_day: '2026-03-01', x_orders: 4, x_revenue: 5470.5 },
      { id: 2, display_name: '2026-03-02', x_name: '2026-03-02', x_day: '2026-03-02', x_orders: 2, x_revenue: 1096.5 },
    ],
  };
  return dataset;
}

export { ISSUE_SCOPE } from '../unit/policy/examples';
