import {
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  type InboundModernRoute,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import { answer, invalidParamsAnswer, refuse } from './answers';
import type { McpHttpDeps } from './deps';
import type { ResponseFormat } from './negotiate';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { invalidParams, isPlainObject } from './params';
import { buildRefusingServer } from './server';
import type { ClientInfo } from '../connections/sessions';
import type { CallSession } from './call-session';
import { unsupportedVersionResponse } from './version-errors';
import { STATELESS_PROTOCOL_VERSIONS } from './versions';

/** The stateless methods whose params the gateway checks itself, so both eras refuse them in the same words. */
const CHECKED_METHODS = new Set(['tools/call', 'tools/list', 'server/discover']);

/**
 * A 2026-07-28 request: no initialize, no session (one that names a session
 * with Mcp-Session-Id is refused first). Connection-wide checks
 * (validity, IP, time window) come next, as for a session request; then the
 * SDK's per-request handler validates what this revision asks of the request
 * (MCP-Protocol-Version, Mcp-Method and Mcp-Name against the body, the
 * `_meta` envelope, the method) and serves it with the same tools, through
 * the same scope seam, as a session. Only a request that passed all of that
 * reaches `admit` (the factory is called after the SDK's checks), which
 * counts server/discover and tools/list against the session budget exactly as
 * initialize and tools/list are counted in a session.
 */
export async function handleStatelessRequest(
  request: Request,
  route: InboundModernRoute,
  body: unknown,
  format: ResponseFormat,
  deps: McpHttpDeps,
): Promise<Response> {
  const { message } = route;
  const id = route.messageKind === 'request' ? route.message.id : null;
  if (request.headers.has('mcp-session-id')) return sessionHeaderRefusal(id);
  if (!(route.messageKind === 'request' && message.method === 'tools/call')) {
    const connection = deps.checkConnection();
    if (connection.effect !== 'allow') return refuse(deps, connection.reason, message.method, id);
  }
  const revision = route.classification.revision;
  if (revision === undefined || !STATELESS_PROTOCOL_VERSIONS.includes(revision)) return unsupportedVersionResponse(revision ?? 'unknown', id);

  const session: CallSession = { id: null, client: clientOf(message.params) };
  let refusal: Response | null = null;
  const handler = createMcpHandler(
    async () => {
      if (route.messageKind === 'request') refusal = await admit(route.message, session, format, deps);
      // A refused request still completes the SDK's exchange, on a server with no tools; its answer is discarded.
      return refusal ? buildRefusingServer() : deps.buildServer(session);
    },
    { legacy: 'reject', responseMode: format === 'sse' ? 'sse' : 'auto', keepAliveMs: 0 },
  );
  const response = await handler.fetch(request, { parsedBody: body });
  if (refusal) return refusal;
  if (response.ok && session.client.name !== null && !sameClient(session.client, deps.principal.connection.lastClient)) {
    deps.onClientNamed(session.client);
  }
  return response;
}

/**
 * A 2026-07-28 request that names a session. The revision has no sessions;
 * its "ignore Mcp-Session-Id" rule is a SHOULD for a server that serves
 * only that revision. This one also serves 2025-era sessions on the same
 * endpoint, so the header means a client mixing the eras (a request it meant
 * for its session, sent in the stateless shape): it would not run in that
 * session, be counted or audited there. Refused like the revision's other
 * header failures (400, HeaderMismatch), a modern error, so a dual-era
 * client corrects the request instead of falling back to initialize. The
 * session id is not echoed.
 */
function sessionHeaderRefusal(id: string | number | null): Response {
  return jsonRpcErrorResponse(
    400,
    JSONRPC.HEADER_MISMATCH,
    'Bad Request: the request headers and body disagree: the body is an MCP 2026-07-28 request, which has no session, but the Mcp-Session-Id header names one; ' +
      'send it without Mcp-Session-Id, or initialize a 2025-11-25 session for session requests',
    {},
    { id, data: { mismatch: { header: 'Mcp-Session-Id', body: '2026-07-28 (no session)' } } },
  );
}

async function admit(message: JSONRPCRequest, session: CallSession, format: ResponseFormat, deps: McpHttpDeps): Promise<Response | null> {
  if (!CHECKED_METHODS.has(message.method)) return null;
  const problem = invalidParams(message);
  if (problem) {
    if (message.method === 'tools/call') deps.onInvalidToolCall(session, message.params, problem.message);
    return answer(invalidParamsAnswer(message.id, problem), format, {});
  }
  if (message.method !== 'tools/call') {
    const budget = await deps.consumeSessionBudget();
    if (budget.effect !== 'allow') return refuse(deps, budget.reason, message.method, message.id, true);
  }
  return null;
}

/** The client's self-reported name and version, from `_meta` (the SDK has checked its shape), bounded as initialize's clientInfo is. */
function clientOf(params: unknown): ClientInfo {
  const meta = isPlainObject(params) && isPlainObject(params._meta) ? params._meta : {};
  const info = isPlainObject(meta[CLIENT_INFO_META_KEY]) ? meta[CLIENT_INFO_META_KEY] : {};
  return {
    name: typeof info.name === 'string' ? info.name.slice(0, 200) : null,
    version: typeof info.version === 'string' ? info.version.slice(0, 100) : null,
  };
}

function sameClient(a: ClientInfo, b: ClientInfo): boolean {
  return a.name === b.name && a.version === b.version;
}
