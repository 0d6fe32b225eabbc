import { ProtocolError, ProtocolErrorCode, Server, type ServerOptions, type Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { OdooClient } from '../odoo/client';
import type { Decision } from '../policy/decision';
import { reachableOperations } from '../policy/models';
import { checkRequestContext } from '../policy/request';
import { toCallToolResult, type FinalOutcome } from './results';
import type { CallSession } from './call-session';
import { TOOLS } from './tools';
import { modelField } from './tools/fields';
import type { ApprovalAccess, ToolDefinition } from './tools/types';
import { SERVED_PROTOCOL_VERSIONS } from './versions';
import { log } from '../log/log';

export const SERVER_INFO = { name: 'odoo-mcp-gateway', version: '0.1.0' };

/**
 * Without this option the SDK builds a new Ajv instance in every Server's
 * constructor (a quarter of a millisecond of CPU, on every request here) only
 * to validate answers to elicitation requests, which this server never sends.
 * This stateless stand-in refuses, so an elicitation added later fails loudly.
 */
const NO_ELICITATION: NonNullable<ServerOptions['jsonSchemaValidator']> = {
  getValidator: () => () => ({ valid: false, data: undefined, errorMessage: 'this server does not send elicitation requests' }),
};

/**
 * 2026-07-28 list results carry a cache hint. tools/list is filtered by the
 * key's scope, so it is never `public` (a shared cache would hand one key's
 * list to another), and it is stale at once: a scope change applies from the
 * very next request and this server sends no list_changed. server/discover is
 * the same for every key but still answered only to a valid key, so it stays
 * `private` too; it changes only with a deployment.
 */
const CACHE_HINTS: NonNullable<ServerOptions['cacheHints']> = {
  'tools/list': { ttlMs: 0, cacheScope: 'private' },
  'server/discover': { ttlMs: 300_000, cacheScope: 'private' },
};

const INSTRUCTIONS =
  'Tools to search, read and change records of an Odoo ERP. This connection is narrowed to a scope: only the tools it may use are listed, and a refused call says what was refused and why. Start with list_models and describe_model to discover models and fields.';

export interface CallRecord {
  /** Null when the call named no tool (a malformed tools/call, refused before any tool ran). */
  tool: string | null;
  args: Record<string, unknown> | null;
  outcome: FinalOutcome;
  startedAt: number;
  latencyMs: number;
}

export interface McpServerDeps {
  principal: Principal;
  session: CallSession;
  odoo: OdooClient;
  clientIp: string | null;
  now: () => number;
  /** Consumes one call of the connection's rate limit, when it has one. */
  rateLimit: () => Promise<Decision>;
  /** The approval seam of one call, bound to the tool and its exact arguments (src/approvals/gate.ts). */
  approvals: (tool: string, args: Record<string, unknown>) => ApprovalAccess;
  /** Called once per tools/call, whatever its outcome; feeds the audit trail. */
  onCall: (call: CallRecord) => void;
}

function newServer(): Server {
  return new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: NO_ELICITATION,
    supportedProtocolVersions: [...SERVED_PROTOCOL_VERSIONS],
    cacheHints: CACHE_HINTS,
  });
}

/** A server with no tools: it answers a request the gateway has already refused, and its answer is discarded. */
export function buildRefusingServer(): Server {
  return newServer();
}

/**
 * A fresh server per request, closed over the request's principal, for both
 * protocol eras. Tools are registered only here, through one seam that hides
 * what the scope cannot reach, re-checks the scope on every call and reports
 * every call for audit.
 */
export function buildMcpServer(deps: McpServerDeps): Server {
  const server = newServer();
  const reachable = reachableOperations(deps.principal.connection.scope);
  const scope = deps.principal.connection.scope;
  const usable = TOOLS.filter((tool) => tool.operations.every((operation) => reachable.has(operation)));
  const visible = usable.filter((tool) => tool.listedFor?.(scope) ?? true);

  server.setRequestHandler('tools/list', () => ({ tools: visible.map(describeTool) }));
  server.setRequestHandler('tools/call', async (request) => {
    const { name, arguments: args } = request.params;
    const startedAt = deps.now();
    const tool = TOOLS.find((candidate) => candidate.name === name);
    if (!tool) {
      deps.onCall({ tool: name, args: args ?? null, outcome: { kind: 'invalid', message: `unknown tool '${name}'` }, startedAt, latencyMs: 0 });
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    // Absent arguments are an empty object (the spec makes them optional); other shapes were refused with -32602 (params.ts).
    const input = args ?? {};
    const outcome = await runTool(tool, usable.includes(tool), input, deps);
    const latencyMs = Math.max(0, deps.now() - startedAt);
    deps.onCall({ tool: name, args: args ?? null, outcome, startedAt, latencyMs });
    const target = input as { model?: unknown; method?: unknown };
    return toCallToolResult(outcome, {
      model: typeof target.model === 'string' ? target.model : undefined,
      method: typeof target.method === 'string' ? target.method : undefined,
    });
  });
  return server;
}

async function runTool(
  tool: ToolDefinition,
  isVisible: boolean,
  rawArgs: Record<string, unknown>,
  deps: McpServerDeps,
): Promise<FinalOutcome> {
  const { connection } = deps.principal;
  // Validity, client IP and time window hold for the connection as a whole, so
  // they come first: a caller outside them learns nothing about tools or arguments.
  const now = new Date(deps.now());
  const context = checkRequestContext(connection.scope, {
    ip: deps.clientIp,
    now,
    notBefore: connection.notBefore === null ? null : new Date(connection.notBefore).toISOString(),
    expiresAt: connection.expiresAt === null ? null : new Date(connection.expiresAt).toISOString(),
  });
  if (context.effect !== 'allow') return { kind: 'denied', reason: context.reason };
  if (!isVisible) {
    const operation = tool.operations.find((op) => !reachableOperations(connection.scope).has(op))!;
    const model = modelField.safeParse(rawArgs.model);
    return { kind: 'denied', reason: { code: 'operation_not_allowed', operation, ...(model.success ? { model: model.data } : {}) } };
  }
  const keyProblem = findPrototypeKey(rawArgs);
  if (keyProblem !== null) return { kind: 'invalid', message: keyProblem };
  const parsed = tool.input.safeParse(rawArgs);
  if (!parsed.success) return { kind: 'invalid', message: formatIssues(parsed.error) };

  const limited = await deps.rateLimit();
  if (limited.effect !== 'allow') return { kind: 'denied', reason: limited.reason };

  try {
    const approvals = deps.approvals(tool.name, parsed.data as Record<string, unknown>);
    return await tool.run(parsed.data, { principal: deps.principal, odoo: deps.odoo, now, fields: new Map(), effects: [], approvals });
  } catch (error) {
    log.error({ msg: 'tool failed', tool: tool.name, connection: connection.id, error: String(error) });
    return { kind: 'internal' };
  }
}

const listEntries = new Map<string, Tool>();

function describeTool(tool: ToolDefinition): Tool {
  let entry = listEntries.get(tool.name);
  if (!entry) {
    entry = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: z.toJSONSchema(tool.input, { io: 'input' }) as Tool['inputSchema'],
      annotations: { title: tool.title, ...tool.annotations },
    };
    listEntries.set(tool.name, entry);
  }
  return entry;
}

/**
 * JSON.parse keeps a `__proto__` key as an own property, but zod leaves it out
 * of every object and record it returns (assigning it would swap the
 * prototype), while values it passes through untouched keep it. Either way the
 * gateway would check something other than what the caller sent and the audit
 * records: such a key is refused wherever it appears, before parsing.
 */
const MAX_ARGUMENT_DEPTH = 64;

function findPrototypeKey(value: unknown, path = '(arguments)', depth = 0): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_ARGUMENT_DEPTH) return `${path}: arguments may be nested at most ${MAX_ARGUMENT_DEPTH} levels deep`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findPrototypeKey(item, `${path}.${index}`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path === '(arguments)' ? key : `${path}.${key}`;
    if (key === '__proto__') return `${at}: '__proto__' is no Odoo field or argument name`;
    const found = findPrototypeKey(item, at, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`)
    .join('; ');
}
