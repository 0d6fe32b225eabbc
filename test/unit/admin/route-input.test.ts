import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { ADMIN_API_ROUTES } from '../../../src/admin/api-routes';
import { registerRoutes, type AdminRoute } from '../../../src/admin/define-route';
import type { AppEnv } from '../../../src/http/context';
import { ApiError, apiErrorResponse } from '../../../src/http/errors';
import { scopeSchema } from '../../../src/policy/scope';

// The routes' handlers come along with their declarations; revoking OAuth grants needs the Workers runtime, which Node has not.
vi.mock('../../../src/oauth/revoke', () => ({}));

const UNDECLARED = 'zz_undeclared';
const HANDLER_RAN = 'the handler ran';

/**
 * The real routes, without requireAdmin and without services: the first thing a handler reads
 * (c.var.services) answers 500 HANDLER_RAN, so an answer that is not that came before the handler.
 */
function serving(routes: readonly AdminRoute[]) {
  const untouchable = new Proxy({}, { get: () => { throw new Error(HANDLER_RAN); } });
  const api = new Hono<AppEnv>();
  api.use('*', async (c, next) => {
    c.set('services', untouchable as never);
    await next();
  });
  registerRoutes(api, routes);
  const app = new Hono<AppEnv>().route('/admin/api', api);
  app.onError((error, c) => (error instanceof ApiError ? apiErrorResponse(c, error) : c.json({ thrown: error.message }, 500)));
  return app;
}

const app = serving(ADMIN_API_ROUTES);

function samplePath(route: AdminRoute, query = ''): string {
  return `/admin/api${route.path.replace(/\{(\w+)\}/g, 'x_$1')}${query}`;
}

function send(route: AdminRoute, init: { query?: string; body?: string; contentType?: string | null } = {}) {
  const headers: Record<string, string> = {};
  const contentType = init.contentType === undefined ? 'application/json' : init.contentType;
  if (init.body !== undefined && contentType !== null) headers['content-type'] = contentType;
  return app.request(samplePath(route, init.query), { method: route.method.toUpperCase(), headers, body: init.body });
}

type ErrorBody = { error: { code: string; message: string; details: { issues?: Array<{ path: string; message: string }> } | null } };

const withQuery = ADMIN_API_ROUTES.filter((route) => route.query);
const withBody = ADMIN_API_ROUTES.filter((route) => route.body);
const byOperation = (routes: readonly AdminRoute[]) => routes.map((route) => [route.operationId, route] as const);

describe('the declared input of each admin route', () => {
  it('covers the routes that take a query or a body', () => {
    expect(withQuery.length).toBeGreaterThan(0);
    expect(withBody.length).toBeGreaterThan(0);
    expect(ADMIN_API_ROUTES.filter((route) => route.query && route.body)).toEqual([]);
  });

  it.each(byOperation(withQuery.filter((route) => !route.readQuery)))('%s: the declared query schema validates the query, before the handler runs', async (_, route) => {
    const safeParse = vi.spyOn(route.query!, 'safeParse');
    try {
      const response = await send(route, { query: `?${UNDECLARED}=1` });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.code).toBe('validation_failed');
      expect(error.message).toBe('The query is invalid.');
      expect(error.details?.issues).toContainEqual({ path: UNDECLARED, message: `unknown field '${UNDECLARED}'` });
      expect(safeParse).toHaveBeenCalledWith({ [UNDECLARED]: '1' });
    } finally {
      safeParse.mockRestore();
    }
  });

  it.each(byOperation(withQuery))('%s: a repeated query parameter is refused before the handler runs', async (_, route) => {
    const name = Object.keys(route.query!.shape)[0]!;
    const response = await send(route, { query: `?${name}=a&${name}=b` });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.details?.issues).toContainEqual({ path: name, message: 'give this parameter once' });
  });

  it.each(byOperation(withBody))('%s: the declared body schema validates the body, before the handler runs', async (_, route) => {
    const safeParse = vi.spyOn(route.body!.schema, 'safeParse');
    try {
      const response = await send(route, { body: JSON.stringify({ [UNDECLARED]: 1 }) });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.code).toBe('validation_failed');
      expect(error.message).toBe('The request body is invalid.');
      expect(error.details?.issues).toContainEqual({ path: UNDECLARED, message: `unknown field '${UNDECLARED}'` });
      expect(safeParse).toHaveBeenCalledWith({ [UNDECLARED]: 1 });
    } finally {
      safeParse.mockRestore();
    }
  });

  it.each(byOperation(withBody))('%s: the body is read as declared (required or optional)', async (_, route) => {
    const empty = await send(route, { body: '', contentType: null });
    if (route.body!.required) {
      expect(empty.status).toBe(415);
      expect(((await empty.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
    } else {
      // An empty optional body reads as {}, which every optional body schema takes: the handler runs.
      expect(await empty.json()).toEqual({ thrown: HANDLER_RAN });
    }
    const notJson = await send(route, { body: '{', contentType: 'application/json' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe('invalid_json');
    const tooLarge = await send(route, { body: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as ErrorBody).error.message).toBe(route.body!.required ? 'The body exceeds 256 KiB.' : 'The body exceeds 16 KiB.');
  });

  it.each(byOperation(withQuery.filter((route) => route.readQuery)))(
    '%s: readQuery accepts exactly the parameters the declared query documents',
    async (_, route) => {
      const universe = new Set([...ADMIN_API_ROUTES.filter((other) => other.readQuery).flatMap((other) => Object.keys(other.query!.shape)), UNDECLARED]);
      const declared = new Set(Object.keys(route.query!.shape));
      for (const name of universe) {
        const response = await send(route, { query: `?${name}=` });
        const body = (await response.json()) as ErrorBody | { thrown: string };
        const issues = 'error' in body ? (body.error.details?.issues ?? []) : [];
        const refused = issues.some((issue) => issue.path === name && /unknown parameter|not paged|given by the path/.test(issue.message));
        expect(refused, `${route.operationId} ?${name}=`).toBe(!declared.has(name));
      }
    },
  );

  it.each(byOperation(withBody.filter((route) => route.body!.overrides)))('%s: a documented override is a field the body schema leaves open for parseScope', (_, route) => {
    const shape = (route.body!.schema as z.ZodObject).shape;
    for (const [name, override] of Object.entries(route.body!.overrides!)) {
      // parseScope (src/policy/scope.ts) validates with scopeSchema, after the body schema let the field through as it is.
      expect(override, name).toBe(scopeSchema);
      expect(shape[name]!.safeParse({ anything: [1] }).success, name).toBe(true);
      expect(shape[name]!.safeParse(42).success, name).toBe(true);
    }
  });
});

/**
 * defineRoute parses the declared query and body; a handler that parsed its input again, with a schema
 * of its own, could drift from the declaration. The route modules leave the reading to defineRoute.
 */
describe('the admin route modules', () => {
  const ADMIN = path.join(import.meta.dirname, '../../../src/admin');
  const ROUTE_MODULES = readdirSync(ADMIN).filter((file) => file.endsWith('.ts') && readFileSync(path.join(ADMIN, file), 'utf8').includes('defineRoute({'));
  const READERS: Record<string, RegExp> = {
    parseOrThrow: /\bparseOrThrow\(/g,
    readJsonBody: /\breadJsonBody\(/g,
    readOptionalJsonBody: /\breadOptionalJsonBody\(/g,
    singleQueryValues: /\bsingleQueryValues\(/g,
    parseAuditQuery: /\bparseAuditQuery\(/g,
    'schema.parse': /(?<!\bDate)\.(safeParse|parse|parseAsync|safeParseAsync)\(/g,
  };
  /**
   * The exceptions, each counted: the audit routes' readQuery, and GET /connections/{id}/usage, which
   * refuses any query parameter without documenting a query (declaring one would add a 400 to the document).
   */
  const ALLOWED: Record<string, Record<string, number>> = {
    'audit.ts': { parseAuditQuery: 1 },
    'usage.ts': { parseOrThrow: 1, singleQueryValues: 1 },
  };

  it('are found', () => {
    expect(ROUTE_MODULES).toEqual(expect.arrayContaining(['api-routes.ts', 'connections.ts', 'audit.ts', 'usage.ts', 'approvals.ts']));
  });

  it.each(ROUTE_MODULES)('%s reads no request input itself', (file) => {
    const code = readFileSync(path.join(ADMIN, file), 'utf8').replace(/^import [^;]*;$/gms, '');
    const counts = Object.fromEntries(
      Object.entries(READERS)
        .map(([reader, pattern]) => [reader, code.match(pattern)?.length ?? 0] as const)
        .filter(([, count]) => count !== 0),
    );
    expect(counts).toEqual(ALLOWED[file] ?? {});
  });
});
