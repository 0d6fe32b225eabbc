import { specTypeSchemas, type JSONRPCRequest } from '@modelcontextprotocol/server';
import { JSONRPC } from './jsonrpc';

/**
 * The SDK parses params with its own schemas and answers a mismatch as an
 * internal error (-32603) carrying a zod dump, or a handler fails on what it
 * did not expect. Checked here first, so the client gets -32602 and one
 * sentence naming the parameter.
 */
interface RequestSchema {
  '~standard': { validate: (value: unknown) => unknown };
}

const REQUEST_SCHEMAS: ReadonlyMap<string, RequestSchema> = new Map<string, RequestSchema>([
  ['initialize', specTypeSchemas.InitializeRequest],
  ['tools/list', specTypeSchemas.ListToolsRequest],
  ['tools/call', specTypeSchemas.CallToolRequest],
  ['ping', specTypeSchemas.PingRequest],
  ['server/discover', specTypeSchemas.DiscoverRequest],
]);

/** Why a request's params cannot be served, with the JSON-RPC error code to answer. */
export interface ParamsProblem {
  code: number;
  message: string;
}

export function invalidParams(request: JSONRPCRequest): ParamsProblem | null {
  if (request.method === 'tools/call') {
    const problem = invalidToolCall(request.params);
    if (problem) return { code: JSONRPC.INVALID_PARAMS, message: problem };
    // No tool here declares execution.taskSupport, so each is 'forbidden' as a task (2025-11-25, Tasks): the revision asks for -32601.
    if (isPlainObject(request.params) && request.params.task !== undefined) {
      return { code: JSONRPC.METHOD_NOT_FOUND, message: 'Method not found: this server does not run tools as tasks; send tools/call without params.task' };
    }
  }
  // A Map, not an object: a method named 'constructor' or '__proto__' must find nothing, not Object's own members.
  const schema = REQUEST_SCHEMAS.get(request.method);
  if (!schema) return null;
  // The SDK's schemas hold no async refinement, so Standard Schema validation answers at once.
  const parsed = schema['~standard'].validate({ method: request.method, params: request.params }) as { issues?: readonly { message: string; path?: readonly unknown[] }[] };
  if (!parsed.issues?.length) return null;
  const issue = parsed.issues[0]!;
  const path = (issue.path ?? []).map((segment) => (typeof segment === 'object' && segment !== null && 'key' in segment ? String(segment.key) : String(segment)));
  return { code: JSONRPC.INVALID_PARAMS, message: `Invalid params for ${request.method}: ${path.length ? path.join('.') : 'params'}: ${issue.message}` };
}

function invalidToolCall(params: unknown): string | null {
  if (!isPlainObject(params)) return 'Invalid params: tools/call needs params with the tool name and its arguments';
  if (typeof params.name !== 'string' || params.name === '') {
    return `Invalid params: tools/call params.name must be the tool's name as a string (got ${kindOf(params.name)})`;
  }
  if ('arguments' in params && params.arguments !== undefined && !isPlainObject(params.arguments)) {
    return `Invalid params: tools/call params.arguments must be an object of the tool's arguments (got ${kindOf(params.arguments)})`;
  }
  return null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return `a ${typeof value}`;
}
