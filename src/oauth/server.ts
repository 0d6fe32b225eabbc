import { OAuthAuthorizationServer, OAuthError, type TokenExchangeCallbackOptions } from '@cloudflare/workers-oauth-provider';
import type { Config, Env } from '../config/env';
import { openDatabase } from '../db/client';
import { findOAuthConnection, recordTokenUse } from '../connections/store';
import { log } from '../log/log';

export const AUTHORIZE_PATH = '/authorize';
export const TOKEN_PATH = '/oauth/token';
export const REGISTER_PATH = '/oauth/register';
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';

/** Access tokens live an hour; a grant lives 30 days from its last refresh, and refresh tokens rotate on use. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 86400;
/** A registration nobody has used for this long is removed; one in use is renewed by the provider. */
export const CLIENT_REGISTRATION_TTL_SECONDS = 90 * 86400;
/** The one OAuth scope: what the token may do is the connection's scope, chosen at consent, not a string. */
export const OAUTH_SCOPES = ['mcp'];

/** Where this gateway's OAuth names come from: PUBLIC_URL, or the request's origin when it is unset (local use). */
export interface OAuthNames {
  issuer: string;
  resource: string;
  resourceMetadataUrl: string;
  resourceMetadataPath: string;
}

export function oauthNames(config: Config, requestUrl: string): OAuthNames {
  const issuer = (config.PUBLIC_URL ?? new URL(requestUrl).origin).replace(/\/+$/, '');
  const resource = `${issuer}/mcp`;
  const resourceMetadataPath = `/.well-known/oauth-protected-resource${new URL(resource).pathname}`;
  return { issuer, resource, resourceMetadataPath, resourceMetadataUrl: `${new URL(issuer).origin}${resourceMetadataPath}` };
}

const servers = new Map<string, OAuthAuthorizationServer<Env> | null>();

/**
 * The provider for one issuer, built once per isolate and issuer (it holds no
 * request state). Null when the issuer cannot be an OAuth issuer (plain http
 * on a non-loopback host without PUBLIC_URL): keys still work, OAuth does not.
 */
export function oauthServer(names: OAuthNames): OAuthAuthorizationServer<Env> | null {
  if (servers.has(names.issuer)) return servers.get(names.issuer)!;
  let server: OAuthAuthorizationServer<Env> | null;
  try {
    server = new OAuthAuthorizationServer<Env>({
      issuer: names.issuer,
      resources: [names.resource],
      authorizeEndpoint: AUTHORIZE_PATH,
      tokenEndpoint: TOKEN_PATH,
      clientRegistrationEndpoint: REGISTER_PATH,
      accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTTL: REFRESH_TOKEN_TTL_SECONDS,
      refreshTokenIdleTTL: REFRESH_TOKEN_TTL_SECONDS,
      clientRegistrationTTL: CLIENT_REGISTRATION_TTL_SECONDS,
      scopesSupported: OAUTH_SCOPES,
      clientIdMetadataDocumentEnabled: true,
      // RFC 8252 §7.1 private-use schemes (Cursor's cursor://): the dangerous ones are refused before the provider (input.ts).
      allowPrivateUseRedirectUris: true,
      tokenExchangeCallback: checkConnectionOnTokenExchange,
      onError: ({ code, status, internal }) => {
        log.warn({ msg: 'oauth error', code, status, category: internal.category, reason: internal.reason });
      },
    });
  } catch (error) {
    log.warn({ msg: 'oauth disabled', issuer: names.issuer, error: String(error) });
    server = null;
  }
  if (servers.size > 16) servers.clear();
  servers.set(names.issuer, server);
  return server;
}

/**
 * A code or refresh token is exchanged only while its connection is an
 * active OAuth connection of the same client: a revoked connection's grant
 * ends here too (invalid_grant makes the provider revoke it), even if the
 * revocation in KV did not finish.
 */
async function checkConnectionOnTokenExchange(options: TokenExchangeCallbackOptions<Env>): Promise<void> {
  const db = openDatabase(options.env.DB);
  const connection = await findOAuthConnection(db, options.userId);
  const now = Date.now();
  const usable =
    connection !== null &&
    connection.state === 'active' &&
    connection.oauthClientId === options.clientId &&
    (connection.expiresAt === null || connection.expiresAt > now);
  if (!usable) {
    throw new OAuthError('invalid_grant', {
      description: 'The grant is no longer valid.',
      internal: { category: 'token-exchange-callback', reason: 'connection_not_usable', detail: { connectionId: options.userId } },
    });
  }
  await recordTokenUse(db, connection.id, now);
}
