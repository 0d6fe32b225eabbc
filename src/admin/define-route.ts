import type { Context, Handler, Hono } from 'hono';
import type { z } from 'zod';
import type { AdminRole } from '../admins/actor';
import type { AppEnv } from '../http/context';
import type { ApiErrorCode } from '../http/errors';
import { readJsonBody } from './body';
import { parseOrThrow, readOptionalJsonBody, singleQueryValues } from './request-input';

/**
 * An admin route is declared once, next to its handler, with defineRoute:
 * method, path, role, the zod schemas it reads and answers with, and its
 * documentation. The list of declarations (src/admin/api-routes.ts) is what
 * registers the Hono routes (src/admin/routes.ts), what the OpenAPI document
 * is generated from (src/admin/openapi.ts), and where requireAdmin looks up
 * each request's role (src/admin/route-roles.ts); the role matrix and the 401
 * matrix tests walk the same list.
 *
 * A small helper of our own rather than @hono/zod-openapi: its generator
 * (zod-to-openapi) words the document differently from ours (component refs,
 * the error responses per status), and its validators read bodies and queries
 * their own way (Content-Type and JSON errors, size limits, empty optional
 * bodies, repeated query parameters), so neither the document nor the error
 * bodies would stay byte-identical (docs/development.md, "Admin API routes").
 *
 * The declared `query` and `body` are also what validates the request: the
 * handler gets them parsed as its second argument (`input.query`, `input.body`),
 * read with request-input.ts and body.ts (size limits, Content-Type, empty
 * optional bodies, repeated query parameters) before it runs, so a 400 for the
 * input comes before anything the handler answers (404, 409, ...). A route
 * whose query has its own parser (the audit list) names it in `readQuery`.
 * test/unit/admin/route-input.test.ts checks every declared route reads its
 * input this way and no handler reads it again.
 */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface DocumentedResponse {
  description: string;
  /** JSON unless mediaType says otherwise; no schema means no body. */
  schema?: z.ZodType;
  mediaType?: string;
}

/** A request body: `required: false` reads an empty body as {}. `overrides` only changes the document (see openapi.ts). */
interface BodyDeclaration<S extends z.ZodType = z.ZodType> {
  schema: S;
  required: boolean;
  overrides?: Record<string, z.ZodType>;
}

interface RouteDescription {
  method: HttpMethod;
  /** Under /admin/api, with OpenAPI path templates: /connections/{id}. */
  path: string;
  operationId: string;
  tag: 'connections' | 'sessions' | 'odoo-accounts' | 'audit' | 'approvals' | 'admin-tokens' | 'api';
  summary: string;
  description?: string;
  query?: z.ZodObject;
  /**
   * Reads the query instead of the declared schema, for a query whose parser words its own issues
   * (parseAuditQuery); `query` then only documents it, and a test keeps the two to the same parameters.
   */
  readQuery?: (c: Context<AppEnv>) => unknown;
  body?: BodyDeclaration;
  responses: Record<number, DocumentedResponse>;
  /** Error codes this route answers besides the ones every route of its kind can. */
  errors?: ApiErrorCode[];
}

/**
 * Every route declares the least admin role that may call it (src/admins/actor.ts), or is public
 * (served without a credential). requireAdmin enforces it and a route missing here answers 500;
 * test/integration/admin-role-matrix.test.ts checks each role against every route the app serves.
 */
export type DocumentedRoute = RouteDescription & ({ public: true; role?: never } | { public?: false; role: AdminRole });

/** A declared route with the handler that serves it: its input read and validated, then the route's own handler. */
export type AdminRoute = DocumentedRoute & { handler: Handler<AppEnv> };

/** `/connections/{id}/sessions/{sid}` as Hono writes it: `/connections/:id/sessions/:sid`. */
type HonoPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}` ? `${Head}:${Name}${HonoPath<Tail>}` : P;

/** What the handler gets besides the context: the declared query and body, parsed by exactly the declared schemas (or readQuery). */
export type RouteInput<Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, R> = (Q extends z.ZodObject
  ? { query: [R] extends [never] ? z.output<Q> : R }
  : { query?: never }) &
  (B extends z.ZodType ? { body: z.output<B> } : { body?: never });

type RouteDeclaration<P extends string, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, R> = DocumentedRoute & {
  path: P;
  query?: Q;
  body?: BodyDeclaration<NonNullable<B>>;
  readQuery?: (c: Context<AppEnv>) => R;
};

type RouteHandler<P extends string, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, R> = (
  c: Context<AppEnv, HonoPath<P>>,
  input: RouteInput<Q, B, R>,
) => Response | Promise<Response>;

/**
 * The handler's context knows the path's parameters, as with router.get('/connections/:id', handler),
 * and its input is typed from the declared schemas.
 */
export function defineRoute<P extends string, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined, R = never>(
  description: RouteDeclaration<P, Q, B, R>,
  handler: RouteHandler<P, Q, B, R>,
): AdminRoute {
  const serve: Handler<AppEnv> = async (c) => handler(c as Context<AppEnv, HonoPath<P>>, (await readInput(description, c)) as RouteInput<Q, B, R>);
  return { ...description, handler: serve };
}

/** The declared input, read the one way every admin route reads it: the query, then the body. */
async function readInput(route: DocumentedRoute, c: Context<AppEnv>): Promise<{ query?: unknown; body?: unknown }> {
  const input: { query?: unknown; body?: unknown } = {};
  if (route.query) {
    input.query = route.readQuery ? route.readQuery(c) : parseOrThrow(route.query, singleQueryValues(c.req.url), 'The query is invalid.');
  }
  if (route.body) {
    const raw = route.body.required ? await readJsonBody(c.req.raw) : await readOptionalJsonBody(c.req.raw);
    input.body = parseOrThrow(route.body.schema, raw, 'The request body is invalid.');
  }
  return input;
}

export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Registers each route on the router, in the order given. */
export function registerRoutes(router: Hono<AppEnv>, routes: readonly AdminRoute[]): void {
  for (const route of routes) router.on(route.method.toUpperCase(), honoPath(route.path), route.handler);
}
