import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../auth/principal';
import { readBodyWithLimit, MAX_BODY_BYTES } from '../http/body';
import type { Decision, DenialReason } from '../policy/decision';
import { deniedResponse, sessionBudgetResponse } from './connection-checks';
import { exchangeOnce } from './exchange';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { isJsonContentType, negotiateResponseFormat, type ResponseFormat } from './negotiate';
import { invalidParams, type ParamsProblem } from './params';
import { newSessionId, type ClientInfo } from './sessions';

/** Without the header, the Streamable HTTP spec says to assume this revision. */
const ASSUMED_PROTOCOL_VERSION = '2025-03-26';

export interface McpHttpDeps {
  principal: Principal;
  buildServer: (session: { id: string; client: ClientInfo }) => Server;
  openSession: (session: { id: string; client: ClientInfo; protocolVersion: string }) => Promise<void>;
  closeSession: (sessionId: string) => Promise<boolean>;
  /** Validity, client IP and time window of the connection, now. */
  checkConnection: () => Decision;
  /** Takes one initialize or tools/list from the connection's session budget. */
  consumeSessionBudget: () => Promise<Decision>;
  /** A request refused for the connection as a whole (not a tool call): audited, in the background. */
  onDenied?: (reason: DenialReason, method: string) => void;
  /** A tools/call whose params are malformed (answered -32602): audited as an invalid call, in the background. */
  onInvalidToolCall: (params: unknown, problem: string) => void;
}

function invalidParamsAnswer(id: string | number, problem: ParamsProblem): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: problem };
}

/** Audits the refusal and answers it. */
function refuse(deps: Pick<McpHttpDeps, 'onDenied'>, reason: DenialReason, method: string, id: string | number | null, budget = false): Response {
  deps.onDenied?.(reason, method);
  return budget ? sessionBudgetResponse(reason, id) : deniedResponse(reason, id);
}

/** POST /mcp: one JSON-RPC message per request, as the current MCP revision specifies. */
export async function handleMcpPost(request: Request, deps: McpHttpDeps): Promise<Response> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return jsonRpcErrorResponse(415, JSONRPC.INVALID_REQUEST, 'Content-Type must be application/json');
  }
  const format = negotiateResponseFormat(request.headers.get('accept'));
  if (!format) {
    return jsonRpcErrorResponse(406, JSONRPC.INVALID_REQUEST, 'Accept must allow application/json or text/event-stream');
  }
  const body = await readBodyWithLimit(request);
  if (!body.ok) {
    return body.problem === 'too_large'
      ? jsonRpcErrorResponse(413, JSONRPC.INVALID_REQUEST, `Request body exceeds ${MAX_BODY_BYTES} bytes`)
      : jsonRpcErrorResponse(400, JSONRPC.PARSE_ERROR, 'Parse error: the body is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch {
    return jsonRpcErrorResponse(400, JSONRPC.PARSE_ERROR, 'Parse error: the body is not valid JSON');
  }
  if (Array.isArray(raw)) {
    return jsonRpcErrorResponse(400, JSONRPC.INVALID_REQUEST, 'Invalid Request: send one JSON-RPC message per request (batches are not supported)');
  }
  const parsed = JSONRPCMessageSchema.safeParse(raw);
  if (!parsed.success) {
    return jsonRpcErrorResponse(400, JSONRPC.INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message');
  }
  const message = parsed.data;
  const id = isRequest(message) ? message.id : null;

  // A tools/call checks the connection in the tool seam (server.ts), which answers a tool error and audits the call.
  if (!(isRequest(message) && message.method === 'tools/call')) {
    const connection = deps.checkConnection();
    if (connection.effect !== 'allow') return refuse(deps, connection.reason, 'method' in message ? message.method : 'response', id);
  }
  if (isRequest(message) && message.method === 'initialize') {
    const problem = invalidParams(message);
    if (problem) return answer(invalidParamsAnswer(message.id, problem), format, {});
    return initialize(message, format, deps);
  }

  const version = request.headers.get('mcp-protocol-version') ?? ASSUMED_PROTOCOL_VERSION;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return jsonRpcErrorResponse(400, JSONRPC.INVALID_REQUEST, `Unsupported MCP-Protocol-Version '${version}'; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
  }
  const sessionError = checkSession(request, deps.principal);
  if (sessionError) return sessionError;

  if (!isRequest(message)) return new Response(null, { status: 202 });
  const problem = invalidParams(message);
  if (problem) {
    // Checked after the session, so a malformed tools/call is audited like any other call, in its session.
    if (message.method === 'tools/call') deps.onInvalidToolCall(message.params, problem.message);
    return answer(invalidParamsAnswer(message.id, problem), format, {});
  }
  if (message.method === 'tools/list') {
    const budget = await deps.consumeSessionBudget();
    if (budget.effect !== 'allow') return refuse(deps, budget.reason, message.method, message.id, true);
  }
  const session = deps.principal.session!;
  const server = deps.buildServer({ id: session.id, client: { name: session.clientName, version: session.clientVersion } });
  return answer(await exchangeOnce(server, message), format, {});
}

/** DELETE /mcp ends the session named by Mcp-Session-Id. */
export async function handleMcpDelete(request: Request, deps: McpHttpDeps): Promise<Response> {
  const connection = deps.checkConnection();
  if (connection.effect !== 'allow') return refuse(deps, connection.reason, 'DELETE', null);
  const sessionError = checkSession(request, deps.principal);
  if (sessionError) return sessionError;
  await deps.closeSession(deps.principal.session!.id);
  return new Response(null, { status: 204 });
}

/** GET /mcp would open a server-to-client stream; this server never sends unsolicited messages. */
export function handleMcpGet(deps: Pick<McpHttpDeps, 'checkConnection' | 'onDenied'>): Response {
  const connection = deps.checkConnection();
  if (connection.effect !== 'allow') return refuse(deps, connection.reason, 'GET', null);
  return jsonRpcErrorResponse(405, JSONRPC.SERVER_ERROR, 'Method Not Allowed: this server does not offer a server-initiated stream; use POST', {
    Allow: 'POST, DELETE',
  });
}

async function initialize(message: JSONRPCRequest, format: ResponseFormat, deps: McpHttpDeps): Promise<Response> {
  const params = (message.params ?? {}) as { clientInfo?: { name?: unknown; version?: unknown } };
  const client: ClientInfo = {
    name: typeof params.clientInfo?.name === 'string' ? params.clientInfo.name.slice(0, 200) : null,
    version: typeof params.clientInfo?.version === 'string' ? params.clientInfo.version.slice(0, 100) : null,
  };
  const budget = await deps.consumeSessionBudget();
  if (budget.effect !== 'allow') return refuse(deps, budget.reason, 'initialize', message.id, true);
  const sessionId = newSessionId();
  const reply = await exchangeOnce(deps.buildServer({ id: sessionId, client }), message);
  if (!('result' in reply)) return answer(reply, format, {});
  const protocolVersion = String((reply.result as { protocolVersion?: string }).protocolVersion);
  await deps.openSession({ id: sessionId, client, protocolVersion });
  return answer(reply, format, { 'Mcp-Session-Id': sessionId });
}

function checkSession(request: Request, principal: Principal): Response | null {
  const sessionId = request.headers.get('mcp-session-id');
  if (!sessionId) {
    return jsonRpcErrorResponse(400, JSONRPC.SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
  }
  if (!principal.session || principal.session.id !== sessionId) {
    return jsonRpcErrorResponse(404, JSONRPC.SESSION_NOT_FOUND, 'Session not found: it ended or never existed; initialize a new one');
  }
  return null;
}

function answer(reply: JSONRPCMessage, format: ResponseFormat, headers: Record<string, string>): Response {
  const json = JSON.stringify(reply);
  if (format === 'json') {
    return new Response(json, { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });
  }
  return new Response(`event: message\ndata: ${json}\n\n`, {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', ...headers },
  });
}

function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}
