import type { BenchEnvironment } from '../environment';
import type { HttpAnswer } from '../http';
import type { Path } from '../load';
import { toolsCall, type McpSession } from '../mcp';

/** The call figures 1 and 2 time: search_records on res.partner, 5 records, 3 fields. */
export const SEARCH = { model: 'res.partner', fields: ['name', 'email', 'is_company'], limit: 5 } as const;

/** The same search straight to Odoo, with the body the gateway sends to /json/2. */
const DIRECT_BODY = JSON.stringify({ domain: [], fields: SEARCH.fields, limit: SEARCH.limit, offset: 0 });

const gatewaySucceeded = (answer: HttpAnswer) =>
  answer.status === 200 && answer.body.includes('"result"') && !answer.body.includes('"isError":true');

export function odooPath(env: BenchEnvironment): Path {
  return {
    name: 'Odoo, direct',
    send: () => env.http.request(`${env.standin.url}/json/2/${SEARCH.model}/search_read`, { method: 'POST', headers: env.odooHeaders, body: DIRECT_BODY }),
    succeeded: (answer) => answer.status === 200 && answer.body.startsWith('['),
  };
}

/** Through the gateway, on the Worker's own socket. */
export function gatewayPath(env: BenchEnvironment, session: McpSession): Path {
  const args = { model: SEARCH.model, fields: [...SEARCH.fields], limit: SEARCH.limit };
  return {
    name: 'Gateway',
    send: () => env.http.request(`${env.worker.url}/mcp`, { method: 'POST', headers: session.headers, body: toolsCall('search_records', args) }),
    succeeded: gatewaySucceeded,
    recover: () => env.worker.recover(),
  };
}

const STATELESS_REVISION = '2026-07-28';

/**
 * The same call in MCP 2026-07-28: no session, the protocol version, client
 * capabilities and client info in the request's `_meta`, and the headers the
 * revision requires beside it. Figure 1 sends it over HTTP, figure 2 replays
 * it inside the Worker.
 */
export function statelessCall(key: string, id: number): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': STATELESS_REVISION,
      'mcp-method': 'tools/call',
      'mcp-name': 'search_records',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'search_records', arguments: { model: SEARCH.model, fields: [...SEARCH.fields], limit: SEARCH.limit }, _meta: STATELESS_META },
    }),
  };
}

const STATELESS_META = {
  'io.modelcontextprotocol/protocolVersion': STATELESS_REVISION,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'odoo-mcp-gateway-bench', version: '1.0.0' },
};

export function statelessPath(env: BenchEnvironment, key: string): Path {
  let id = 0;
  return {
    name: 'Gateway, stateless (2026-07-28)',
    send: () => env.http.request(`${env.worker.url}/mcp`, { method: 'POST', ...statelessCall(key, ++id) }),
    succeeded: gatewaySucceeded,
    recover: () => env.worker.recover(),
  };
}

/** Through the gateway on wrangler dev's port, which adds wrangler's local proxy Worker in front. */
export function wranglerDevPath(env: BenchEnvironment, session: McpSession): Path {
  const args = { model: SEARCH.model, fields: [...SEARCH.fields], limit: SEARCH.limit };
  return {
    name: "Gateway via wrangler dev's proxy",
    send: () => env.http.request(`${env.gateway.url}/mcp`, { method: 'POST', headers: session.headers, body: toolsCall('search_records', args) }),
    succeeded: gatewaySucceeded,
  };
}
