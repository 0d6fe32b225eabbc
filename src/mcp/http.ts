import {
  classifyInboundRequest,
  specTypeSchemas,
  type InboundLadderRejection,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal';
import { readBodyWithLimit, MAX_BODY_BYTES } from '../http/body';
import { answer, invalidParamsAnswer, refuse } from './answers';
import type { McpHttpDeps } from './deps';
import { exchangeOnce } from './exchange';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { isJsonContentType, negotiateResponseFormat, type ResponseFormat } from './negotiate';
import { invalidParams } from './params';
import type { ClientInfo } from '../connections/sessions';
import { newSessionId } from './call-session';
import { handleStatelessRequest } from './stateless';
import { unsupportedVersionResponse } from './version-errors';
import { SERVED_PROTOCOL_VERSIONS, SESSION_PROTOCOL_VERSIONS } from './versions';

export type { McpHttpDeps } from './deps';

/** Without the header, the Streamable HTTP spec says to assume this revision. */
const ASSUMED_PROTOCOL_VERSION = '2025-03-26';

/**
 * POST /mcp: one JSON-RPC message per request, in either era. The SDK's
 * classifier picks the era from the body: a request carrying the 2026-07-28
 * `_meta` envelope is served statelessly (stateless.ts); anything else,
 * `initialize` first, is the 2025-era session flow below.
 */
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
  if (!isJsonRpcMessage(raw)) {
    return jsonRpcErrorResponse(400, JSONRPC.INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message');
  }
  const message = raw;
  const id = isRequest(message) ? message.id : null;
  if (id !== null) deps.onRequestId(id);

  const versionHeader = request.headers.get('mcp-protocol-version');
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader: versionHeader ?? undefined,
    mcpMethodHeader: request.headers.get('mcp-method') ?? undefined,
    mcpNameHeader: request.headers.get('mcp-name') ?? undefined,
    body: raw,
  });
  if (route.kind === 'reject') return ladderRefusal(route, versionHeader, id);
  if (route.kind === 'modern') return handleStatelessRequest(request, route, raw, format, deps);

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

  const version = versionHeader ?? ASSUMED_PROTOCOL_VERSION;
  if (!SESSION_PROTOCOL_VERSIONS.includes(version)) return unsupportedVersionResponse(version, id);
  const sessionError = checkSession(request, deps.principal, id);
  if (sessionError) return sessionError;

  if (!isRequest(message)) return new Response(null, { status: 202 });
  const problem = invalidParams(message);
  if (problem) {
    // Checked after the session, so a malformed tools/call is audited like any other call, in its session.
    if (message.method === 'tools/call') deps.onInvalidToolCall(sessionOf(deps.principal), message.params, problem.message);
    return answer(invalidParamsAnswer(message.id, problem), format, {});
  }
  if (message.method === 'tools/list') {
    const budget = await deps.consumeSessionBudget();
    if (budget.effect !== 'allow') return refuse(deps, budget.reason, message.method, message.id, true);
  }
  return answer(await exchangeOnce(deps.buildServer(sessionOf(deps.principal)), message), format, {});
}

/** DELETE /mcp ends the session named by Mcp-Session-Id. */
export async function handleMcpDelete(request: Request, deps: McpHttpDeps): Promise<Response> {
  const connection = deps.checkConnection();
  if (connection.effect !== 'allow') return refuse(deps, connection.reason, 'DELETE', null);
  const sessionError = checkSession(request, deps.principal, null);
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

/** `id` is the request's, once its body has been read (JSON-RPC 2.0: null only when it cannot be known). */
function checkSession(request: Request, principal: Principal, id: string | number | null): Response | null {
  const sessionId = request.headers.get('mcp-session-id');
  if (!sessionId) {
    return jsonRpcErrorResponse(400, JSONRPC.SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required (send initialize first)', {}, { id });
  }
  if (!principal.session || principal.session.id !== sessionId) {
    return jsonRpcErrorResponse(404, JSONRPC.SESSION_NOT_FOUND, 'Session not found: it ended or never existed; initialize a new one', {}, { id });
  }
  return null;
}

function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

function isJsonRpcMessage(value: unknown): value is JSONRPCMessage {
  const result = specTypeSchemas.JSONRPCMessage['~standard'].validate(value) as { issues?: readonly unknown[] };
  return !result.issues;
}

/** The open session a request named (checkSession has passed), as the tool seam and audit see it. */
function sessionOf(principal: Principal): { id: string; client: ClientInfo } {
  const session = principal.session!;
  return { id: session.id, client: { name: session.clientName, version: session.clientVersion } };
}

/**
 * A request the revision's checks refuse before any era is served: headers
 * that disagree with the body (-32020, HTTP 400), a malformed `_meta` envelope
 * or a 2026-07-28 header on a body without one (-32602, HTTP 400). A header
 * naming a revision served by neither era is the unsupported-version error,
 * as it is in a session.
 */
function ladderRefusal(rejection: InboundLadderRejection, versionHeader: string | null, id: string | number | null): Response {
  if (rejection.cell === 'modern-header-without-claim' && versionHeader !== null && !SERVED_PROTOCOL_VERSIONS.includes(versionHeader)) {
    return unsupportedVersionResponse(versionHeader, id);
  }
  return jsonRpcErrorResponse(rejection.httpStatus, rejection.code, rejection.message, {}, { id, data: rejection.data });
}
