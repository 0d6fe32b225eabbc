import type { HttpAnswer, HttpRequest } from './http';

/** Anything that sends a request to the gateway by path (the WorkerTarget). */
export interface GatewayTarget {
  request(pathAndQuery: string, init?: HttpRequest): Promise<HttpAnswer>;
}

export const PROTOCOL_VERSION = '2025-06-18';

export interface McpSession {
  key: string;
  sessionId: string;
  /** Headers for every request after initialize. */
  headers: Record<string, string>;
}

export interface ToolAnswer {
  status: number;
  ms: number;
  isError: boolean;
  structured: unknown;
  text: string;
}

let nextId = 1;

export function jsonRpc(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params });
}

export function toolsCall(name: string, args: Record<string, unknown>): string {
  return jsonRpc('tools/call', { name, arguments: args });
}

/** Initializes once, the way any MCP client does; later requests reuse the session with raw JSON-RPC POSTs. */
export async function openSession(gateway: GatewayTarget, key: string): Promise<McpSession> {
  const base = { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await gateway.request('/mcp', {
    method: 'POST',
    headers: base,
    body: jsonRpc('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'odoo-mcp-gateway-bench', version: '1.0.0' } }),
  });
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string') throw new Error(`initialize answered ${init.status}: ${init.body.slice(0, 300)}`);
  const headers = { ...base, accept: 'application/json', 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION };
  const initialized = await gateway.request('/mcp', {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (initialized.status !== 202) throw new Error(`notifications/initialized answered ${initialized.status}: ${initialized.body.slice(0, 300)}`);
  return { key, sessionId, headers };
}

export async function callTool(gateway: GatewayTarget, session: McpSession, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  const answer = await gateway.request('/mcp', { method: 'POST', headers: session.headers, body: toolsCall(name, args) });
  let result: { isError?: boolean; structuredContent?: unknown; content?: Array<{ text?: string }> } | undefined;
  try {
    result = (JSON.parse(answer.body) as { result?: typeof result }).result;
  } catch {
    result = undefined;
  }
  return {
    status: answer.status,
    ms: answer.ms,
    isError: answer.status !== 200 || !result || result.isError === true,
    structured: result?.structuredContent,
    text: result?.content?.map((part) => part.text ?? '').join(' ') ?? answer.body.slice(0, 300),
  };
}
