import { z } from 'zod';
import { API_ERRORS, type ApiErrorCode } from '../http/errors';
import { SERVER_INFO } from '../mcp/server';
import { scopeSchema } from '../policy/scope';
import { connectionSchema, connectionSummarySchema, sessionSchema } from './connection-schemas';
import { odooAccountSchema } from './odoo-account-schemas';
import { auditEventJsonSchema } from '../audit/present';
import type { DocumentedRoute } from './define-route';
import { snippetsSchema } from '../snippets/snippets';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * Schemas published once under components and referred to wherever the
 * same shape appears. `overrides` replaces properties the zod schema leaves
 * open but the handler validates precisely (the scope, checked by parseScope).
 */
const COMPONENTS: Array<{ name: string; schema: z.ZodType; io: Io; overrides?: Record<string, z.ZodType> }> = [
  { name: 'Connection', schema: connectionSchema, io: 'output', overrides: { scope: scopeSchema } },
  { name: 'ConnectionSummary', schema: connectionSummarySchema, io: 'output' },
  { name: 'Session', schema: sessionSchema, io: 'output' },
  { name: 'OdooAccount', schema: odooAccountSchema, io: 'output' },
  { name: 'Snippets', schema: snippetsSchema, io: 'output' },
  { name: 'AuditEvent', schema: auditEventJsonSchema, io: 'output' },
  { name: 'Scope', schema: scopeSchema, io: 'input' },
];

const TAGS = [
  { name: 'connections', description: 'Connections: one scoped, audited Bearer key each' },
  { name: 'sessions', description: 'MCP sessions of a connection' },
  { name: 'odoo-accounts', description: 'The Odoo users connections act as' },
  { name: 'audit', description: 'The audit trail of MCP calls and admin actions' },
  { name: 'approvals', description: "Calls held for a person's OK by the scope's approval rules" },
  { name: 'admin-tokens', description: 'Named admin tokens with roles (owner only)' },
  { name: 'api', description: 'About this API' },
];

/**
 * The admin API as OpenAPI 3.1, generated from the declared routes (src/admin/api-routes.ts)
 * and their zod schemas: the paths and components once, the servers per origin.
 */
export function describeAdminApi(routes: readonly DocumentedRoute[]) {
  const documentBody = describeRoutes(routes);
  return (origin: string) => ({
    openapi: '3.1.0',
    info: {
      title: `${SERVER_INFO.name} admin API`,
      version: SERVER_INFO.version,
      description:
        'Manage connections (scoped Bearer keys to the MCP endpoint), their sessions, the Odoo accounts they act as, and the audit trail. ' +
        'Every route except this document takes `Authorization: Bearer <token>` (the ADMIN_TOKEN secret or a named admin token, oadm_...) or a Cloudflare Access JWT (docs/admins.md). ' +
        'Each operation names the least role it needs in `x-required-role` (viewer < operator < owner); a lesser role gets 403 forbidden. Errors answer `{ "error": { "code", "message", "details", "request_id" } }`; every response carries its `X-Request-Id`.',
    },
    servers: [{ url: `${origin.replace(/\/+$/, '')}/admin/api` }],
    security: [{ adminToken: [] }],
    tags: TAGS,
    paths: documentBody.paths,
    components: documentBody.components,
  });
}

function describeRoutes(routes: readonly DocumentedRoute[]) {
  const components = new ComponentIndex();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method] = describeOperation(route, components);
  }
  return {
    paths,
    components: {
      schemas: components.published(),
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN secret (owner) or a named admin token (oadm_..., its own role). MCP keys are never admin tokens.' },
      },
    },
  };
}

function describeOperation(route: DocumentedRoute, components: ComponentIndex) {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.public ? { security: [] } : { 'x-required-role': route.role }),
    ...(pathParameters.length || route.query ? { parameters: [...pathParameters, ...queryParameters(route.query, components)] } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            content: { 'application/json': { schema: components.schemaOf(route.body.schema, 'input', route.body.overrides) } },
          },
        }
      : {}),
    responses: { ...successResponses(route, components), ...errorResponses(route) },
  };
}

function queryParameters(query: z.ZodObject | undefined, components: ComponentIndex) {
  if (!query) return [];
  const schema = components.schemaOf(query, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function successResponses(route: DocumentedRoute, components: ComponentIndex) {
  return Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema
          ? { content: { [response.mediaType ?? 'application/json']: { schema: components.schemaOf(response.schema, 'output') } } }
          : {}),
      },
    ]),
  );
}

/** The error codes a route can answer, grouped by status, each status with the exact codes it may carry. */
function errorResponses(route: DocumentedRoute) {
  const codes = new Set<ApiErrorCode>(['internal_error', ...(route.errors ?? [])]);
  if (!route.public) {
    codes.add('unauthorized');
    codes.add('forbidden');
  }
  if (route.path.includes('{')) codes.add('not_found');
  if (route.query) codes.add('validation_failed');
  if (route.body) for (const code of ['invalid_json', 'validation_failed', 'unsupported_media_type', 'payload_too_large'] as const) codes.add(code);

  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_ERRORS[code], [...(byStatus.get(API_ERRORS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      {
        description: statusCodes.join(', '),
        content: { 'application/json': { schema: toJsonSchema(errorBodySchema(statusCodes), 'output') } },
      },
    ]),
  );
}

function errorBodySchema(codes: ApiErrorCode[]) {
  return z.object({
    error: z.object({
      code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string().meta({ description: 'What went wrong, for a person' }),
      details: z.unknown().meta({ description: 'null, or structured details such as { issues: [{ path, message }] } for validation errors' }),
      request_id: z.string().meta({ description: "The response's X-Request-Id, which every log line of the request carries" }),
    }),
  });
}

function toJsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return jsonSchema;
}

/**
 * Generates JSON Schemas and swaps every subschema that is exactly a
 * published component for a $ref, so the document names shared shapes once.
 */
class ComponentIndex {
  private readonly byJson = new Map<string, string>();
  private readonly schemas: Record<string, JsonSchema> = {};

  constructor() {
    for (const component of COMPONENTS) {
      this.byJson.set(JSON.stringify(toJsonSchema(component.schema, component.io)), component.name);
    }
    for (const component of COMPONENTS) {
      this.schemas[component.name] = this.withRefs(withOverrides(toJsonSchema(component.schema, component.io), component.overrides, component.io), true);
    }
  }

  schemaOf(schema: z.ZodType, io: Io, overrides?: Record<string, z.ZodType>): JsonSchema {
    return this.withRefs(withOverrides(toJsonSchema(schema, io), overrides, io), false);
  }

  published(): Record<string, JsonSchema> {
    return this.schemas;
  }

  private withRefs(node: JsonSchema, isComponentRoot: boolean): JsonSchema {
    if (!isComponentRoot) {
      const exact = this.byJson.get(JSON.stringify(node));
      if (exact) return { $ref: `#/components/schemas/${exact}` };
      const { description, ...shape } = node;
      const described = description === undefined ? undefined : this.byJson.get(JSON.stringify(shape));
      if (described) return { $ref: `#/components/schemas/${described}`, description };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, this.replaceIn(value)]));
  }

  private replaceIn(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.replaceIn(item));
    if (value !== null && typeof value === 'object') return this.withRefs(value as JsonSchema, false);
    return value;
  }
}

function withOverrides(schema: JsonSchema, overrides: Record<string, z.ZodType> | undefined, io: Io): JsonSchema {
  if (!overrides) return schema;
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  for (const [name, override] of Object.entries(overrides)) {
    if (!(name in properties)) throw new Error(`openapi: no property '${name}' to override`);
    const { description } = properties[name]!;
    properties[name] = { ...toJsonSchema(override, io), ...(description ? { description } : {}) };
  }
  return { ...schema, properties };
}
