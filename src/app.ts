import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { adminApiRoutes } from './admin/routes';
import { ConfigError } from './config/load';
import { createAuthorizeRoutes, createConsoleRoutes } from './console/routes';
import type { AppEnv } from './http/context';
import { ApiError, apiErrorResponse } from './http/errors';
import { assignRequestId } from './http/request-id';
import { provideServices } from './http/services';
import { log } from './log/log';
import { JSONRPC, jsonRpcErrorResponse } from './mcp/jsonrpc';
import { mcpRoutes } from './mcp/routes';
import { oauthRoutes } from './oauth/routes';
import { SERVER_INFO } from './mcp/server';

export const app = new Hono<AppEnv>();

// The request's context is reachable from anywhere it runs (the log reads its id there), then the request is named.
app.use('*', contextStorage());
app.use('*', assignRequestId);
app.use('*', provideServices);
app.route('/mcp', mcpRoutes);
// OAuth 2.1 for /mcp: resource and authorization server metadata, token (and revocation) and registration endpoints.
app.route('/', oauthRoutes);
app.route('/admin/api', adminApiRoutes);
const authorizePages = createAuthorizeRoutes((request, env, ctx) => app.fetch(request, env, ctx));
app.route('/authorize', authorizePages.authorize);
app.route('/invite', authorizePages.invite);
// After the API, and with no /admin/* middleware of its own, so /admin/api/* stays the API's.
app.route('/admin', createConsoleRoutes((request, env, ctx) => app.fetch(request, env, ctx)));

app.get('/', (c) =>
  c.json({
    name: SERVER_INFO.name,
    version: SERVER_INFO.version,
    mcp_endpoint: `${c.var.services.config.PUBLIC_URL ?? new URL(c.req.url).origin}/mcp`,
  }),
);

app.notFound((c) => apiErrorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));

/** Every error leaves as JSON: a JSON-RPC error on /mcp, the API error shape elsewhere; never an HTML page or a stack. */
app.onError((error, c) => {
  const onMcp = new URL(c.req.url).pathname.startsWith('/mcp');
  if (error instanceof ApiError) return apiErrorResponse(c, error);
  if (error instanceof ConfigError) log.error({ msg: 'configuration error', error: error.message });
  else log.error({ msg: 'unhandled error', path: new URL(c.req.url).pathname, error: String(error), stack: (error as Error).stack });
  // The request's id when its body was read before the failure (JSON-RPC 2.0: null only when it cannot be known).
  if (onMcp) return jsonRpcErrorResponse(500, JSONRPC.INTERNAL_ERROR, 'Internal error; the failure was logged.', {}, { id: c.var.jsonRpcId ?? null });
  return apiErrorResponse(c, new ApiError('internal_error', 'Internal error; the failure was logged.'));
});
