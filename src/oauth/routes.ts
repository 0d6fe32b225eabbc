import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { clientIp, type AppEnv } from '../http/context';
import { readBodyWithLimit } from '../http/body';
import { takeOAuthEndpointBudget } from '../ratelimit/client';
import { classifyClientId } from './client-id';
import { AUTHORIZATION_SERVER_METADATA_PATH, oauthNames, oauthServer, REGISTER_PATH, TOKEN_PATH } from './server';
import { log } from '../log/log';
import { claimRefreshToken, endGrantOnReuse, endConnectionOnClientRevocation, liveRefreshGrant } from './refresh-reuse';
import { claimCode, endConnectionOnCodeReplay, findCodeGrant, isReplayedCode } from './code-replay';
import { basicClientId, classifyRedirectUri, cleanClientName, MAX_OAUTH_VALUE_BYTES, TOKEN_ENDPOINT_AUTH_METHODS, tooLong } from './input';

/** Token, revocation and registration bodies are small forms or JSON documents. */
export const MAX_OAUTH_BODY_BYTES = 16 * 1024;
/** Claude.ai, ChatGPT, VS Code and Cursor register one to three; a hundred is an attack, not a client. */
export const MAX_REDIRECT_URIS = 10;

export const oauthRoutes = new Hono<AppEnv>();

export function oauthError(code: string, description: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: code, error_description: description }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*', ...headers },
  });
}

function serverFor(c: Context<AppEnv>) {
  const names = oauthNames(c.var.services.config, c.req.url);
  return { names, server: oauthServer(names) };
}

/** RFC 9728: what protects /mcp and who issues its tokens. */
oauthRoutes.on(['GET', 'HEAD'], ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'], (c) => {
  const { names, server } = serverFor(c);
  if (!server) return c.json({ error: 'not_found', error_description: 'OAuth is not available without an https PUBLIC_URL.' }, 404);
  return c.json(
    {
      resource: names.resource,
      authorization_servers: [names.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'Odoo MCP gateway',
    },
    200,
    { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' },
  );
});

/** Per client address, before the body is read or KV is touched. */
function rateLimited(endpoint: 'token' | 'register') {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const retryAfter = await takeOAuthEndpointBudget(c.env.RATE_LIMITER, endpoint, clientIp(c.req.raw), c.var.services.now());
    if (retryAfter !== null) {
      return oauthError('temporarily_unavailable', `Too many requests from this address; retry in ${retryAfter} s.`, 429, { 'Retry-After': String(retryAfter) });
    }
    await next();
  });
}

oauthRoutes.use(TOKEN_PATH, rateLimited('token'));
oauthRoutes.use(REGISTER_PATH, rateLimited('register'));

oauthRoutes.all(AUTHORIZATION_SERVER_METADATA_PATH, async (c) => {
  const response = await forward(c, null);
  if (c.req.method !== 'GET' || response.status !== 200) return response;
  // The provider adds private_key_jwt for CIMD clients; this gateway refuses client assertions, so it advertises exactly what it takes.
  const metadata = (await response.json()) as Record<string, unknown>;
  metadata.token_endpoint_auth_methods_supported = TOKEN_ENDPOINT_AUTH_METHODS;
  delete metadata.token_endpoint_auth_signing_alg_values_supported;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(metadata), { status: 200, headers });
});

/**
 * The MCP authorization spec (2025-11-25) has clients send `resource` in the
 * authorization and the token request, so a code is exchanged only for a named
 * resource: refused here, before the provider reads (and spends) the code. A
 * refresh without `resource` goes on: its grant is bound to `<PUBLIC_URL>/mcp`
 * already (a present one must match exactly, the provider's rule), and the MCP
 * SDK clients leave it out of a refresh when the protected resource metadata
 * is not at hand (docs/oauth.md).
 */
oauthRoutes.all(TOKEN_PATH, async (c) => {
  if (c.req.method !== 'POST') return forward(c, null);
  const body = await readBodyWithLimit(c.req.raw, MAX_OAUTH_BODY_BYTES);
  if (!body.ok) return oauthError('invalid_request', `The request body must be at most ${MAX_OAUTH_BODY_BYTES} bytes of UTF-8.`, body.problem === 'too_large' ? 413 : 400);
  const params = new URLSearchParams(body.text);
  const refused = refuseBeforeProvider(params, c.req.header('authorization'));
  if (refused) return refused;
  const clientId = params.get('client_id');
  if (clientId !== null && classifyClientId(clientId).kind === 'refused') {
    log.warn({ msg: 'oauth error', code: 'invalid_client', reason: (classifyClientId(clientId) as { reason: string }).reason });
    return oauthError('invalid_client', 'Client authentication failed.', 401);
  }
  const grantType = isForm(c.req.header('content-type')) ? params.get('grant_type') : null;
  if (grantType === 'authorization_code') {
    const presentedBy = clientId ?? basicClientId(c.req.header('authorization'));
    const found = await Promise.all(params.getAll('code').map((code) => findCodeGrant(c, code)));
    // A used code sent again (by any client, with or without resource) ends its connection: see code-replay.ts for why a forged one cannot.
    const replay = found.find((each) => each !== null && isReplayedCode(each));
    if (replay) {
      const response = await forward(c, body.text);
      await endConnectionOnCodeReplay(c, replay, presentedBy);
      return response;
    }
    if (!params.has('resource')) {
      log.warn({ msg: 'oauth error', code: 'invalid_target', reason: 'resource_missing' });
      return oauthError('invalid_target', `The resource parameter is required; this server's resource is ${oauthNames(c.var.services.config, c.req.url).resource}.`, 400);
    }
    const claim = found.length === 1 && found[0] ? await claimCode(c, found[0], presentedBy, params.get('code_verifier')) : 'unclaimed';
    if (claim === 'taken') {
      // Another exchange of this very code holds the claim; it may yet be refused and give the code back.
      log.warn({ msg: 'oauth error', code: 'invalid_grant', reason: 'code_claimed' });
      return oauthError('invalid_grant', 'The authorization code is being exchanged by another request.', 400);
    }
    if (claim !== 'unclaimed') {
      const response = await forward(c, body.text);
      if (response.status !== 200) await claim.release();
      return response;
    }
  }
  if (grantType === 'refresh_token' && params.get('refresh_token')) {
    const refreshToken = params.get('refresh_token')!;
    // A refresh the provider would refuse for its resource must not spend the token: answer it here, before the claim.
    if (params.has('resource') && !namesOurResource(params.getAll('resource'), oauthNames(c.var.services.config, c.req.url).resource)) {
      log.warn({ msg: 'oauth error', code: 'invalid_target', reason: 'resource_mismatch' });
      return oauthError('invalid_target', `The resource must be this server's resource, ${oauthNames(c.var.services.config, c.req.url).resource}.`, 400);
    }
    if ((await claimRefreshToken(c, refreshToken, clientId)) === 'reuse') {
      await endGrantOnReuse(c, refreshToken);
      return oauthError('invalid_grant', 'The refresh token was already used; the grant is revoked.', 400);
    }
  }
  if (isForm(c.req.header('content-type')) && !grantType && params.get('token')) return revoke(c, params);
  return forward(c, body.text);
});

/**
 * What the provider would answer with a 500 (a value too long for a KV key) or
 * take though the metadata does not offer it (a client assertion) is answered
 * here with the error RFC 6749 §5.2 names, before anything is read or stored.
 */
function refuseBeforeProvider(params: URLSearchParams, authorization: string | undefined): Response | null {
  const basic = basicClientId(authorization);
  if (tooLong(params.getAll('client_id')) || (basic !== null && tooLong([basic]))) {
    log.warn({ msg: 'oauth error', code: 'invalid_client', reason: 'client_id_too_long' });
    return oauthError('invalid_client', 'Client authentication failed.', 401, basic !== null ? { 'WWW-Authenticate': 'Basic realm="OAuth"' } : {});
  }
  if (params.getAll('client_assertion').some(Boolean) || params.getAll('client_assertion_type').some(Boolean)) {
    log.warn({ msg: 'oauth error', code: 'invalid_client', reason: 'client_assertion_not_accepted' });
    return oauthError('invalid_client', `Client authentication failed: this server accepts ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`, 401);
  }
  if (tooLong(params.getAll('code')) || tooLong(params.getAll('refresh_token'))) {
    log.warn({ msg: 'oauth error', code: 'invalid_grant', reason: 'grant_too_long' });
    return oauthError('invalid_grant', `The grant is not valid (longer than ${MAX_OAUTH_VALUE_BYTES} bytes).`, 400);
  }
  return null;
}

/**
 * RFC 7009 revocation. A token too long to be one of ours is an invalid token,
 * which §2.2 answers with 200: it goes on to the provider as a token it cannot
 * know, so the client is still authenticated first (§2.1). A refresh token makes
 * the provider end its grant, and a connection is one grant: the connection is
 * then revoked as `client_revoked`, its sessions end, audited. An access token
 * ends alone; the grant and the connection stay, as the provider leaves them.
 */
async function revoke(c: Context<AppEnv>, params: URLSearchParams): Promise<Response> {
  if (tooLong(params.getAll('token'))) params.set('token', 'invalid');
  const grant = await liveRefreshGrant(c, params.get('token')!);
  const response = await forward(c, params.toString());
  if (grant && response.status === 200 && (await c.env.OAUTH_KV.get(grant.key)) === null) {
    await endConnectionOnClientRevocation(c, grant.connectionId, grant.clientId);
  }
  return response;
}

oauthRoutes.all(REGISTER_PATH, async (c) => {
  if (c.req.method !== 'POST') return forward(c, null);
  const body = await readBodyWithLimit(c.req.raw, MAX_OAUTH_BODY_BYTES);
  if (!body.ok) return oauthError('invalid_client_metadata', `The registration must be at most ${MAX_OAUTH_BODY_BYTES} bytes of UTF-8 JSON.`, body.problem === 'too_large' ? 413 : 400);
  let metadata: unknown;
  try {
    metadata = JSON.parse(body.text);
  } catch {
    return oauthError('invalid_client_metadata', 'The registration must be a JSON object.', 400);
  }
  const redirects = (metadata as { redirect_uris?: unknown } | null)?.redirect_uris;
  if (Array.isArray(redirects) && redirects.length > MAX_REDIRECT_URIS) {
    return oauthError('invalid_redirect_uri', `At most ${MAX_REDIRECT_URIS} redirect URIs may be registered.`, 400);
  }
  for (const uri of Array.isArray(redirects) ? redirects : []) {
    const kind = typeof uri === 'string' ? classifyRedirectUri(uri) : null;
    if (kind && !kind.ok) return oauthError('invalid_redirect_uri', kind.problem, 400);
  }
  const record = metadata as Record<string, unknown> | null;
  if (record && typeof record === 'object' && typeof record.client_name === 'string') {
    // Stored and shown as cleaned; a name of nothing but hidden characters is no name (the client id is shown instead).
    const name = cleanClientName(record.client_name);
    if (name !== record.client_name || name === '') {
      if (name) record.client_name = name;
      else delete record.client_name;
      return forward(c, JSON.stringify(record));
    }
  }
  return forward(c, body.text);
});

/** Only a form is a token request; anything else the provider refuses as invalid_request. */
function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The provider answers metadata, token, revocation and registration itself, with the body already read within limits. */
async function forward(c: Context<AppEnv>, body: string | null): Promise<Response> {
  const { server } = serverFor(c);
  if (!server) return oauthError('invalid_request', 'OAuth is not available without an https PUBLIC_URL.', 404);
  const request = body === null ? c.req.raw : new Request(c.req.raw.url, { method: c.req.method, headers: c.req.raw.headers, body });
  return server.fetch(request, c.env, c.executionCtx as ExecutionContext);
}

/** One resource value naming `<PUBLIC_URL>/mcp` (origin and path; no fragment). Stricter than the provider, never looser. */
function namesOurResource(values: string[], resource: string): boolean {
  if (values.length !== 1) return false;
  const ours = new URL(resource);
  try {
    const given = new URL(values[0]!);
    return given.hash === '' && given.origin === ours.origin && given.pathname === ours.pathname;
  } catch {
    return false;
  }
}
