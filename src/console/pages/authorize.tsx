import { AuthorizationError, CimdFetchError, type AuthRequest, type OAuthHelpers } from '@cloudflare/workers-oauth-provider';
import { Hono, type Context } from 'hono';
import type { Page } from '../api-types';
import type { OdooAccountJson } from '../api-types';
import type { ConsoleEnv } from '../context';
import { auditConsoleAction } from './shared';
import { isOwnOrigin } from '../../http/own-origin';
import { can, currentSession } from '../middleware';
import { readBodyWithLimit } from '../../http/body';
import { constantTimeEqual, hashKey } from '../../keys/hash';
import { parseScope } from '../../policy/scope';
import { classifyClientId } from '../../oauth/client-id';
import { classifyRedirectUri, cleanClientName, tooLong } from '../../oauth/input';
import { createOAuthConnection, type OAuthClientFacts } from '../../oauth/connections';
import { OAUTH_SCOPES, oauthNames, oauthServer } from '../../oauth/server';
import { findInvitation, redeemInvitation, INVITATION_COOKIE, readInvitationCookie } from '../../oauth/invitations';
import type { AppEnv } from '../../http/context';
import type { Context as AppContext } from 'hono';
import { defaultWizardValues, groupIssues, readWizardForm, scopeFromForm } from '../scope-form';
import { AdminConsentPage, AuthorizeSignInPage, InvitationConsentPage, InvitationPage, type ConsentValues } from '../views/authorize';
import { MessagePage } from '../views/layout';
import type { Errors } from '../views/scope-fields';
import { log } from '../../log/log';
import { resolveAccount } from '../../accounts/resolve-account';
import { ApiError } from '../../http/errors';

const MAX_FORM_BYTES = 64 * 1024;
/** Set on the one same-site reload that lets a SameSite=Strict console cookie arrive after a cross-site redirect. */
const HOP = 'omcp_hop';

/**
 * /authorize decides who may grant access to /mcp: an admin signed in to the
 * console (any scope), or a person holding an invitation (exactly its scope).
 * The provider validates the request (client, exact redirect URI, PKCE S256,
 * resource, which must be present) and binds the consent form to this
 * browser; the form also carries the console's synchronizer token and must
 * come from this origin.
 */
export const authorizeRoutes = new Hono<ConsoleEnv>();

authorizeRoutes.get('/', async (c) => {
  const helpers = helpersFor(c);
  if (!helpers) return message(c, 'OAuth is not available', 'OAuth needs PUBLIC_URL set to this gateway’s https address.', 404);
  const parsed = await parseRequest(c, helpers);
  if (parsed instanceof Response) return parsed;
  const session = await currentSession(c);
  const invitationCode = c.req.query('invitation')?.trim() || readInvitationCookie(c.req.header('cookie'));
  if (session) return adminConsent(c, helpers, parsed, session, emptyValues(await clientName(helpers, parsed)), new Map());
  if (invitationCode) {
    const invitation = await findInvitation(c.var.services.db, c.var.services.keys.pepper, invitationCode, c.var.services.now());
    if (invitation) return invitationConsent(c, helpers, parsed, invitationCode, invitation);
    return signInPage(c, 'This invitation is unknown, used or expired. Ask your admin for a new one.', 403);
  }
  // A console cookie is SameSite=Strict, so it is not sent on the client's cross-site redirect here. One reload from this page is same-site.
  const url = new URL(c.req.url);
  if (!url.searchParams.has(HOP)) {
    url.searchParams.set(HOP, '1');
    return c.html(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeAttribute(url.pathname + url.search)}"><title>Authorize</title><p><a href="${escapeAttribute(url.pathname + url.search)}">Continue</a></p>`,
      200,
      pageHeaders(),
    );
  }
  return signInPage(c, undefined, 401);
});

authorizeRoutes.post('/', async (c) => {
  const helpers = helpersFor(c);
  if (!helpers) return message(c, 'OAuth is not available', 'OAuth needs PUBLIC_URL set to this gateway’s https address.', 404);
  if (!isOwnOrigin(c.req.header('origin'), c.req.url, c.var.services.config.PUBLIC_URL)) {
    log.warn({ msg: 'authorize form refused', reason: 'origin', origin: c.req.header('origin') ?? null });
    return message(c, 'Request refused', 'This form was not sent from this gateway, so nothing was authorized.', 403);
  }
  const body = /^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '') ? await readBodyWithLimit(c.req.raw, MAX_FORM_BYTES) : null;
  if (!body?.ok) return message(c, 'Request refused', 'The form could not be read, so nothing was authorized.', 400);
  const form = new URLSearchParams(body.text);
  const { handle, invitationTag } = splitHandle(form.get('handle') ?? '');
  const session = await currentSession(c);
  const invitationCode = form.get('invitation');
  if (invitationCode === null) {
    if (!session || !constantTimeEqual(form.get('_csrf') ?? '', session.csrfToken)) {
      log.warn({ msg: 'authorize form refused', reason: 'csrf_token' });
      return message(c, 'Request refused', 'This form has expired or did not come from your console session, so nothing was authorized. Start again from the app.', 403);
    }
  }
  try {
    if (form.get('decision') !== 'approve') {
      const denied = await helpers.denyConsent(c.req.raw, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    if (invitationCode !== null) return await approveInvitation(c, helpers, handle, invitationTag, invitationCode);
    // Approving creates a connection: the operator role, as POST /admin/api/connections needs.
    if (!can(session!, 'operator')) {
      auditConsoleAction(c, { action: 'admin.refused', detail: { route: 'POST /authorize', role: session!.role, required_role: 'operator' }, denied: { code: 'role_insufficient', reason: `needs the operator role; the caller is ${session!.role}` } });
      return message(c, 'Request refused', `Connecting an app needs the operator role; you are signed in as ${session!.role}. Nothing was authorized.`, 403);
    }
    return await approveAsAdmin(c, helpers, handle, form, session!);
  } catch (error) {
    if (error instanceof AuthorizationError) {
      return message(c, 'This authorization has expired', `${error.description} Start connecting again from the app.`, 400);
    }
    throw error;
  }
});

async function approveAsAdmin(c: Context<ConsoleEnv>, helpers: OAuthHelpers, handle: string, form: URLSearchParams, session: NonNullable<Awaited<ReturnType<typeof currentSession>>>) {
  const values: ConsentValues = { name: (form.get('name') ?? '').trim(), odooAccountId: form.get('odoo_account_id') ?? '', scope: readWizardForm(form).scope };
  const built = scopeFromForm(values.scope);
  const parsedScope = parseScope(built.scope);
  const issues = [...built.issues, ...(parsedScope.ok ? [] : parsedScope.issues.map((issue) => ({ path: issue.path ? `scope.${issue.path}` : 'scope', message: issue.message })))];
  if (!values.name) issues.push({ path: 'name', message: 'give the connection a name' });
  if (issues.length > 0 || !parsedScope.ok) {
    // Nothing consumed yet: the same request is shown again with the problems next to their fields.
    const parsed = await parseRequest(c, helpers);
    if (parsed instanceof Response) return parsed;
    return adminConsent(c, helpers, parsed, session, values, groupIssues(issues, 'form', built.layout), 'The scope is not valid yet.');
  }
  // The Odoo account (a posted id, or the configured default) is checked before the consent is consumed: a problem is the page again, never the API's JSON.
  const accountProblem = await odooAccountProblem(c, values.odooAccountId);
  if (accountProblem) {
    const parsed = await parseRequest(c, helpers);
    if (parsed instanceof Response) return parsed;
    return adminConsent(c, helpers, parsed, session, values, groupIssues(accountProblem.issues, 'form', built.layout), accountProblem.problem);
  }
  const approved = await helpers.approveConsent(c.req.raw, handle, { scope: OAUTH_SCOPES });
  const client = await clientFacts(helpers, approved.request);
  const connection = await createOAuthConnection(c as unknown as AppContext<AppEnv>, {
    name: values.name,
    odooAccountId: values.odooAccountId || undefined,
    scope: parsedScope.scope,
    expiresAt: null,
    client,
    via: 'admin',
  });
  return complete(helpers, approved, connection.id);
}

async function odooAccountProblem(c: Context<ConsoleEnv>, accountId: string): Promise<{ problem: string; issues: { path: string; message: string }[] } | null> {
  try {
    await resolveAccount(c as unknown as AppContext<AppEnv>, accountId || undefined);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'validation_failed') return { problem: 'The Odoo account is unknown; pick one from the list.', issues: [{ path: 'odoo_account_id', message: 'no such Odoo account; pick one from the list' }] };
    return { problem: error.message, issues: [] };
  }
}

async function approveInvitation(c: Context<ConsoleEnv>, helpers: OAuthHelpers, handle: string, tag: string | null, code: string) {
  const { db, keys, now } = c.var.services;
  const invitation = await findInvitation(db, keys.pepper, code, now());
  if (!invitation) return message(c, 'Invitation not valid', 'This invitation is unknown, used or expired, so nothing was authorized. Ask your admin for a new one.', 403);
  // Before the handle is consumed: a refused form leaves the consent, the invitation and every other one as they were.
  if (tag === null || !constantTimeEqual(tag, await invitationTagFor(keys.pepper, handle, invitation.id))) {
    log.warn({ msg: 'authorize form refused', reason: 'invitation_not_shown' });
    return message(c, 'Request refused', 'This consent page was shown for another invitation (or none), so nothing was authorized. Open your invitation link again, then connect from the app.', 403);
  }
  const approved = await helpers.approveConsent(c.req.raw, handle, { scope: OAUTH_SCOPES });
  // Single use: whoever redeems it first gets the connection; a concurrent second approval finds it taken.
  if (!(await redeemInvitation(db, invitation.id, now()))) {
    return message(c, 'Invitation not valid', 'This invitation was used meanwhile, so nothing was authorized.', 403);
  }
  const client = await clientFacts(helpers, approved.request);
  const connection = await createOAuthConnection(c as unknown as AppContext<AppEnv>, {
    name: invitation.name,
    odooAccountId: invitation.odooAccountId ?? undefined,
    scope: invitation.scope,
    expiresAt: invitation.connectionExpiresAt,
    client,
    via: 'invitation',
    invitationId: invitation.id,
  });
  await redeemInvitation(db, invitation.id, now(), connection.id);
  const response = await complete(helpers, approved, connection.id);
  response.headers.append('Set-Cookie', `${INVITATION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
  return response;
}

async function complete(helpers: OAuthHelpers, approved: { request: AuthRequest; headers: Headers }, connectionId: string): Promise<Response> {
  // The grant's user id is the connection's id: every token of the grant names it, and /mcp reads it on every call.
  const { redirectTo } = await helpers.completeAuthorization({ request: approved.request, userId: connectionId, metadata: {}, scope: OAUTH_SCOPES, props: {} });
  approved.headers.set('Location', redirectTo);
  return new Response(null, { status: 302, headers: approved.headers });
}

async function adminConsent(
  c: Context<ConsoleEnv>,
  helpers: OAuthHelpers,
  request: AuthRequest,
  session: NonNullable<Awaited<ReturnType<typeof currentSession>>>,
  values: ConsentValues,
  errors: Errors,
  problem?: string,
) {
  const details = await consentDetails(helpers, request);
  const consent = await helpers.beginConsent(request);
  const accounts = await c.var.api.get<Page<OdooAccountJson>>('/odoo-accounts', { limit: '200' });
  const page = (
    <AdminConsentPage
      session={session}
      action={formAction(c)}
      handle={consent.handle}
      details={details}
      values={values}
      accounts={accounts.ok ? accounts.body.items : []}
      errors={errors}
      problem={problem}
    />
  );
  return htmlWith(c, consent.headers, page, problem ? 400 : 200, request.redirectUri);
}

async function invitationConsent(c: Context<ConsoleEnv>, helpers: OAuthHelpers, request: AuthRequest, code: string, invitation: { id: string; name: string; scope: unknown; expiresAt: number }) {
  const details = await consentDetails(helpers, request);
  const consent = await helpers.beginConsent(request);
  const handle = `${consent.handle}.${await invitationTagFor(c.var.services.keys.pepper, consent.handle, invitation.id)}`;
  const page = (
    <InvitationConsentPage action={formAction(c)} handle={handle} details={details} invitation={{ code, name: invitation.name, scope: invitation.scope, expiresAt: new Date(invitation.expiresAt).toISOString() }} />
  );
  return htmlWith(c, consent.headers, page, 200, request.redirectUri);
}

/**
 * The consent page of an invitation shows that invitation's scope, and its form
 * must grant exactly that one: the form's handle is the provider's consent handle
 * (base64url, so never a dot) followed by `.` and an HMAC (the pepper) of the
 * handle and the shown invitation's id. The form also carries the invitation's
 * code, which the POST redeems; a code of another invitation (or a tag from
 * another consent, or none, as on the admin page) does not match, and the POST is
 * refused before anything is consumed. The code alone names the invitation; the
 * tag proves it is the one this consent was shown for.
 */
async function invitationTagFor(pepper: CryptoKey, handle: string, invitationId: string): Promise<string> {
  return hashKey(pepper, `omcp-consent-invitation\u0000${handle}\u0000${invitationId}`);
}

function splitHandle(value: string): { handle: string; invitationTag: string | null } {
  const dot = value.indexOf('.');
  return dot === -1 ? { handle: value, invitationTag: null } : { handle: value.slice(0, dot), invitationTag: value.slice(dot + 1) };
}

/** The validated authorization request, or the answer: a redirect back to the client only once the client and redirect URI are known good. */
async function parseRequest(c: Context<ConsoleEnv>, helpers: OAuthHelpers): Promise<AuthRequest | Response> {
  const url = new URL(c.req.url);
  url.searchParams.delete(HOP);
  url.searchParams.delete('invitation');
  const clientId = url.searchParams.get('client_id');
  // Too long to be a client id (and for the provider's KV key): refused here, as an unknown client is, never a 500.
  if (tooLong(url.searchParams.getAll('client_id'))) {
    log.warn({ msg: 'authorize refused', reason: 'client_id_too_long' });
    return message(c, 'This authorization request is not valid', 'Invalid client_id (invalid_request)', 400);
  }
  const kind = clientId === null ? null : classifyClientId(clientId);
  if (kind?.kind === 'refused') {
    log.warn({ msg: 'authorize refused', reason: kind.reason });
    return message(c, 'This app cannot be authorized', 'Its client id is not an https address on the public internet (invalid_client).', 400);
  }
  // A CIMD document is held only to the provider's list of dangerous schemes; this gateway's list is longer (input.ts). Never redirected to.
  const redirect = classifyRedirectUri(url.searchParams.get('redirect_uri') ?? '');
  if (redirect && !redirect.ok) {
    log.warn({ msg: 'authorize refused', reason: 'redirect_uri_scheme' });
    return message(c, 'This authorization request is not valid', `${redirect.problem} (invalid_request)`, 400);
  }
  try {
    const request = await helpers.parseAuthRequest(new Request(url, { headers: c.req.raw.headers }));
    if (!url.searchParams.has('resource')) throw missingResource(request, oauthNames(c.var.services.config, c.req.url).resource);
    if (!PKCE_CHALLENGE.test(request.codeChallenge ?? '')) throw badChallenge(request);
    // The server's order puts none first, so a document that offers it is a public client; one with only private_key_jwt could never get a token here.
    if (kind?.kind === 'metadata_document' && (await helpers.lookupClient(request.clientId))?.tokenEndpointAuthMethod !== 'none') {
      log.warn({ msg: 'authorize refused', reason: 'cimd_private_key_jwt_only' });
      return message(c, 'This app cannot be authorized', 'Its client metadata document offers only private_key_jwt, which this gateway does not accept (invalid_client).', 400);
    }
    return request;
  } catch (error) {
    if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
    if (error instanceof AuthorizationError) return message(c, 'This authorization request is not valid', `${error.description} (${error.code})`, 400);
    if (error instanceof CimdFetchError) {
      log.warn({ msg: 'authorize refused', reason: 'cimd_fetch', detail: String(error.message) });
      return message(c, 'This app could not be verified', 'Its client metadata document could not be fetched or is not valid (invalid_client).', 400);
    }
    throw error;
  }
}

/**
 * The provider binds a request without `resource` to its one resource; the MCP
 * authorization spec (2025-11-25) has clients send it, so it is refused like a
 * wrong one (RFC 8707 invalid_target), to the redirect URI the provider has
 * just checked against the client's registration, before any consent or grant.
 */
function missingResource(request: AuthRequest, resource: string): AuthorizationError {
  log.warn({ msg: 'authorize refused', reason: 'resource_missing' });
  return new AuthorizationError('invalid_target', {
    description: `The resource parameter is required; this server's resource is ${resource}.`,
    redirectUri: request.redirectUri,
    state: request.state || undefined,
    issuer: request.issuer,
  });
}

/** RFC 7636 §4.2: the S256 challenge is 43 to 128 characters of the unreserved set (a SHA-256 digest in base64url is 43). */
const PKCE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** A code_challenge that is missing (any client: the MCP authorization spec makes PKCE mandatory) or malformed: the error redirect, as for a missing resource. */
function badChallenge(request: AuthRequest): AuthorizationError {
  log.warn({ msg: 'authorize refused', reason: request.codeChallenge ? 'code_challenge_malformed' : 'code_challenge_missing' });
  return new AuthorizationError('invalid_request', {
    description: 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~" (RFC 7636), with code_challenge_method S256.',
    redirectUri: request.redirectUri,
    state: request.state || undefined,
    issuer: request.issuer,
  });
}

/** The provider's description of the request, with the client name cleaned of hidden characters, the redirect's host with its port, and the scheme when the redirect goes to an app's own scheme. */
async function consentDetails(helpers: OAuthHelpers, request: AuthRequest) {
  const described = await helpers.describeConsent(request);
  const redirect = classifyRedirectUri(request.redirectUri);
  const target = new URL(request.redirectUri);
  return {
    ...described,
    clientName: cleanClientName(described.clientName) || request.clientId,
    // The host with its port: `a.example:8443` is not `a.example`, and the person approving must see which one gets the code
    // (a loopback redirect's port changes with every run of a native app, RFC 8252 §7.3: its host alone is what it is).
    redirectHost: (redirect?.ok && redirect.kind === 'loopback' ? target.hostname : target.host) || described.redirectHost,
    appScheme: redirect?.ok && redirect.kind === 'app' ? target.protocol : undefined,
  };
}

async function clientName(helpers: OAuthHelpers, request: AuthRequest): Promise<string> {
  return cleanClientName((await helpers.lookupClient(request.clientId))?.clientName ?? '') || 'OAuth app';
}

async function clientFacts(helpers: OAuthHelpers, request: AuthRequest): Promise<OAuthClientFacts> {
  const client = await helpers.lookupClient(request.clientId);
  const kind = classifyClientId(request.clientId);
  return {
    clientId: request.clientId,
    clientName: (cleanClientName(client?.clientName ?? '') || request.clientId).slice(0, 200),
    registration: kind.kind === 'metadata_document' ? 'cimd' : 'dcr',
    redirectUris: (client?.redirectUris ?? [request.redirectUri]).slice(0, 20),
  };
}

function emptyValues(name: string): ConsentValues {
  return { name: name.slice(0, 100), odooAccountId: '', scope: defaultWizardValues().scope };
}

function helpersFor(c: Context<ConsoleEnv>): OAuthHelpers | null {
  const server = oauthServer(oauthNames(c.var.services.config, c.req.url));
  return server ? server.getOAuthApi(c.env) : null;
}

function formAction(c: Context<ConsoleEnv>): string {
  const url = new URL(c.req.url);
  url.searchParams.delete(HOP);
  url.searchParams.delete('invitation');
  return url.pathname + url.search;
}

function signInPage(c: Context<ConsoleEnv>, error: string | undefined, status: 401 | 403) {
  const url = new URL(c.req.url);
  url.searchParams.delete(HOP);
  url.searchParams.delete('invitation');
  const back = url.pathname + url.search;
  return c.html(<AuthorizeSignInPage signInHref={`/admin/sign-in?next=${encodeURIComponent(back)}`} action="/authorize" query={[...url.searchParams.entries()]} error={error} />, status, pageHeaders());
}

function message(c: Context<ConsoleEnv>, title: string, text: string, status: 400 | 403 | 404) {
  return c.html(<MessagePage title={title} message={text} backHref="/admin/connections" backLabel="Go to the console" />, status, pageHeaders());
}

/** The page with the provider's consent headers: the cookie that binds the handle to this browser, and no framing. */
async function htmlWith(c: Context<ConsoleEnv>, consentHeaders: Headers, page: Parameters<typeof c.html>[0], status: 200 | 400, redirectUri: string): Promise<Response> {
  const response = await c.html(page, status, pageHeaders(redirectUri));
  for (const cookie of consentHeaders.getSetCookie()) response.headers.append('Set-Cookie', cookie);
  consentHeaders.forEach((value, name) => {
    if (name.toLowerCase() !== 'set-cookie' && name.toLowerCase() !== 'content-type' && !response.headers.has(name)) response.headers.set(name, value);
  });
  return response;
}

/**
 * The consent form posts here and is answered with a redirect to the app;
 * browsers apply form-action to that redirect too, so the (validated)
 * redirect URI's origin, or its scheme for an app's own scheme, is allowed
 * beside 'self' on the consent page, and nowhere else.
 */
function pageHeaders(redirectUri?: string): Record<string, string> {
  const formTargets = ["'self'", ...(redirectUri ? [formActionSource(redirectUri)] : [])].join(' ');
  return {
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
  };
}

function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : url.protocol;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The invitation link: remembers the code in this browser (SameSite=Lax, so it
 * reaches /authorize after the app's cross-site redirect) and says what to do.
 */
export const inviteRoutes = new Hono<ConsoleEnv>();

inviteRoutes.get('/:code', async (c) => {
  const { db, keys, now, config } = c.var.services;
  const code = c.req.param('code');
  const invitation = await findInvitation(db, keys.pepper, code, now());
  if (!invitation) return message(c, 'Invitation not valid', 'This invitation is unknown, used or expired. Ask your admin for a new one.', 404);
  const mcpUrl = oauthNames(config, c.req.url).resource;
  const maxAge = Math.max(60, Math.floor((invitation.expiresAt - now()) / 1000));
  const response = await c.html(<InvitationPage name={invitation.name} mcpUrl={mcpUrl} code={code} scope={invitation.scope} />, 200, pageHeaders());
  response.headers.append('Set-Cookie', `${INVITATION_COOKIE}=${code}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`);
  return response;
});
