import type { Handler, Hono } from 'hono';
import type { z } from 'zod';
import type { AdminRole } from '../admins/actor';
import type { AppEnv } from '../http/context';
import type { ApiErrorCode } from '../http/errors';

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
 * Handlers keep validating their input with request-input.ts and body.ts.
 */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface DocumentedResponse {
  description: string;
  /** JSON unless mediaType says otherwise; no schema means no body. */
  schema?: z.ZodType;
  mediaType?: string;
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
  body?: { schema: z.ZodType; required: boolean; overrides?: Record<string, z.ZodType> };
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

/** A declared route with the handler that serves it. */
export type AdminRoute = DocumentedRoute & { handler: Handler<AppEnv> };

/** `/connections/{id}/sessions/{sid}` as Hono writes it: `/connections/:id/sessions/:sid`. */
type HonoPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}` ? `${Head}:${Name}${HonoPath<Tail>}` : P;

/** The handler's context knows the path's parameters, as with router.get('/connections/:id', handler). */
export function defineRoute<P extends string>(description: DocumentedRoute & { path: P }, handler: Handler<AppEnv, HonoPath<P>>): AdminRoute {
  return { ...description, handler: handler as Handler<AppEnv> };
}

export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Registers each route on the router, in the order given. */
export function registerRoutes(router: Hono<AppEnv>, routes: readonly AdminRoute[]): void {
  for (const route of routes) router.on(route.method.toUpperCase(), honoPath(route.path), route.handler);
}
