import { createMiddleware } from 'hono/factory';
import { clientIp, type AppEnv } from '../http/context';
import { ApiError, apiErrorResponse } from '../http/errors';
import { recordKnownKeyFailure } from '../audit/auth-failures';
import { namesStatelessRevision } from '../mcp/versions';
import { oauthNames, oauthServer } from '../oauth/server';
import { authenticateBearer, type OAuthTokenVerifier } from './authenticate';
import { log } from '../log/log';

/**
 * Every failure gets the same 401 body and challenge; only the log says
 * which check failed, so a caller cannot probe keys or tokens. The challenge
 * points OAuth clients at the protected resource metadata (RFC 9728), from
 * which they discover the authorization server.
 */
export const requireBearerKey = createMiddleware<AppEnv>(async (c, next) => {
  const { db, config, keys, now } = c.var.services;
  const names = oauthNames(config, c.req.url);
  const server = oauthServer(names);
  const verifyOAuthToken: OAuthTokenVerifier | null = server
    ? async (token) => {
        const verified = await server.validateToken(names.resource, token, c.env);
        return verified ? { connectionId: verified.userId, clientId: verified.clientId } : null;
      }
    : null;
  // A stateless request carries no session: the lookup skips the session join (one that sends Mcp-Session-Id is refused in mcp/stateless.ts).
  const sessionId = namesStatelessRevision(c.req.header('mcp-protocol-version') ?? null) ? null : (c.req.header('mcp-session-id') ?? null);
  const result = await authenticateBearer(c.req.header('authorization') ?? null, sessionId, {
    db,
    config,
    keys,
    now: now(),
    verifyOAuthToken,
  });
  if (!result.ok) {
    const ip = clientIp(c.req.raw);
    log.warn({ msg: 'mcp authentication failed', reason: result.failure, keyPublicId: result.keyPublicId ?? null, ip });
    if (result.connection && result.keyPublicId) {
      // A known key refused (revoked, expired, wrong secret) is audited against its connection, in the
      // background so the 401 leaves exactly as fast as for an unknown key.
      const attempt = {
        at: now(),
        failure: result.failure,
        keyPublicId: result.keyPublicId,
        connectionId: result.connection.id,
        connectionName: result.connection.name,
        clientIp: ip,
        userAgent: c.req.header('user-agent') ?? null,
      };
      c.executionCtx.waitUntil(
        recordKnownKeyFailure(db, attempt).catch((error) =>
          log.error({ msg: 'authentication failure not audited', keyPublicId: attempt.keyPublicId, error: String(error) }),
        ),
      );
    }
    const challenge = server ? `Bearer resource_metadata="${names.resourceMetadataUrl}"` : 'Bearer realm="odoo-mcp-gateway"';
    return apiErrorResponse(
      c,
      new ApiError('unauthorized', 'A valid API key is required: send Authorization: Bearer <key>.', null, { 'WWW-Authenticate': challenge }),
    );
  }
  c.set('principal', result.principal);
  await next();
});
