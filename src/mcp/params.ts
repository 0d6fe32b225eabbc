import {
  CallToolRequestSchema,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/**
 * The SDK parses params with its own schemas and answers a mismatch as an
 * internal error (-32603) carrying a zod dump, or a handler fails on what it
 * did not expect. Checked here first, so the client gets -32602 and one
 * sentence naming the parameter.
 */
const REQUEST_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  initialize: InitializeRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
  ping: PingRequestSchema,
};

export function invalidParams(request: JSONRPCRequest): string | null {
  if (request.method === 'tools/call') {
    const problem = invalidToolCall(request.params);
    if (problem) return problem;
  }
  const schema = REQUEST_SCHEMAS[request.method];
  if (!schema) return null;
  const parsed = schema.safeParse({ method: request.method, params: request.params });
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return `Invalid params for ${request.method}: ${issue.path.length ? issue.path.join('.') : 'params'}: ${issue.message}`;
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return `a ${typeof value}`;
}
