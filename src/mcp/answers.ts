import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { DenialReason } from '../policy/decision';
import { deniedResponse, sessionBudgetResponse } from './connection-checks';
import type { McpHttpDeps } from './deps';
import type { ResponseFormat } from './negotiate';
import type { ParamsProblem } from './params';

export function invalidParamsAnswer(id: string | number, problem: ParamsProblem): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: problem };
}

/** Audits the refusal and answers it. */
export function refuse(deps: Pick<McpHttpDeps, 'onDenied'>, reason: DenialReason, method: string, id: string | number | null, budget = false): Response {
  deps.onDenied?.(reason, method);
  return budget ? sessionBudgetResponse(reason, id) : deniedResponse(reason, id);
}

export function answer(reply: JSONRPCMessage, format: ResponseFormat, headers: Record<string, string>): Response {
  const json = JSON.stringify(reply);
  if (format === 'json') {
    return new Response(json, { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });
  }
  return new Response(`event: message\ndata: ${json}\n\n`, {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', ...headers },
  });
}
