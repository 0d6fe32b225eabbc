import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Config } from '../config/env';
import type { SecretKeys } from '../config/secrets';
import { decryptSecret } from '../crypto/secretbox';
import type { Database } from '../db/client';
import { connections, mcpSessions, odooAccounts } from '../db/schema';
import { KEY_PREFIX, parseKey } from '../keys/format';
import { constantTimeEqual, hashKey } from '../keys/hash';
import type { Scope } from '../policy/scope';
import { defaultAccountFromConfig, DEFAULT_ACCOUNT_ID } from '../accounts/default-account';
import type { AuthResult, Principal } from './principal';

export interface AuthDeps {
  db: Database;
  config: Config;
  keys: SecretKeys;
  now: number;
  /** Checks an OAuth access token against the provider's KV (hash, expiry, audience); null when OAuth is off. */
  verifyOAuthToken: OAuthTokenVerifier | null;
}

/** What an OAuth access token names once the provider verified it: its grant's connection and client. */
export type OAuthTokenVerifier = (token: string) => Promise<{ connectionId: string; clientId: string } | null>;

/** The provider's tokens are `<user id>:<grant id>:<secret>`; the user id is the connection's id. */
const OAUTH_TOKEN = /^[A-Za-z0-9_-]{1,128}:[A-Za-z0-9_-]{1,128}:[A-Za-z0-9_-]{16,256}$/;

/**
 * The one authentication seam: a request in, a principal or a precise failure
 * out. Callers answer every failure with the same 401 and log the reason, so
 * an attacker cannot tell which check failed. `sessionId` is null for a
 * stateless (2026-07-28) request: the lookup then leaves the session table out.
 */
export async function authenticateBearer(
  authorization: string | null,
  sessionId: string | null,
  deps: AuthDeps,
): Promise<AuthResult> {
  if (!authorization) return { ok: false, failure: 'missing_header' };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) return { ok: false, failure: 'wrong_scheme' };
  const presented = match[1]!;
  if (!presented.startsWith(KEY_PREFIX) && OAUTH_TOKEN.test(presented) && deps.verifyOAuthToken) {
    return authenticateOAuthToken(presented, sessionId, deps, deps.verifyOAuthToken);
  }
  const parsed = parseKey(presented);
  if (!parsed.ok) return { ok: false, failure: parsed.problem === 'malformed' ? 'malformed_key' : 'bad_checksum' };

  // Hashed while D1 answers, and for every well-formed key whatever its row
  // says, so no failure answers sooner than another.
  const hashing = hashKey(deps.keys.pepper, presented);
  const row = await loadByPublicId(deps.db, parsed.publicId, sessionId);
  const presentedHash = await hashing;
  if (!row) return { ok: false, failure: 'unknown_key' };
  const { connection } = row;
  const keyPublicId = parsed.publicId;
  const known = { keyPublicId, connection: { id: connection.id, name: connection.name } };
  const hashMatches = constantTimeEqual(presentedHash, connection.keyHash ?? '');
  if (connection.state === 'revoked') return { ok: false, failure: 'revoked', ...known };
  if (!connection.keyHash || connection.auth !== 'key') return { ok: false, failure: 'no_key', ...known };
  if (!hashMatches) return { ok: false, failure: 'hash_mismatch', ...known };
  if (connection.state === 'expired' || (connection.expiresAt !== null && connection.expiresAt <= deps.now)) {
    return { ok: false, failure: 'expired', ...known };
  }
  return { ok: true, principal: await principalOf(row, keyPublicId, deps) };
}

/**
 * An OAuth access token: the provider proves the token (KV, by hash), then the
 * connection is read from D1 on every request, exactly like a key's, so a
 * revocation, an expiry or a scope edit counts from the next call whatever the
 * token's own lifetime.
 */
async function authenticateOAuthToken(presented: string, sessionId: string | null, deps: AuthDeps, verify: OAuthTokenVerifier): Promise<AuthResult> {
  const token = await verify(presented);
  if (!token) return { ok: false, failure: 'unknown_token' };
  const row = await loadByConnectionId(deps.db, token.connectionId, sessionId);
  if (row?.connection.auth !== 'oauth' || row.connection.oauthClientId !== token.clientId) return { ok: false, failure: 'unknown_token' };
  const { connection } = row;
  const keyPublicId = connection.keyPublicId ?? connection.id;
  const known = { keyPublicId, connection: { id: connection.id, name: connection.name } };
  if (connection.state === 'revoked') return { ok: false, failure: 'revoked', ...known };
  if (connection.state === 'expired' || (connection.expiresAt !== null && connection.expiresAt <= deps.now)) {
    return { ok: false, failure: 'expired', ...known };
  }
  return { ok: true, principal: await principalOf(row, keyPublicId, deps) };
}

type PrincipalRow = NonNullable<Awaited<ReturnType<typeof loadByPublicId>>>;

/**
 * The connection as it is now, as a principal, for work done on its behalf
 * outside a request of its own (an approved call): with its state, so the
 * caller refuses a revoked or expired one.
 */
export async function currentPrincipal(
  connectionId: string,
  deps: Pick<AuthDeps, 'db' | 'config' | 'keys'>,
): Promise<{ principal: Principal; state: 'active' | 'revoked' | 'expired' } | null> {
  const row = await loadByConnectionId(deps.db, connectionId, null);
  if (!row) return null;
  return { principal: await principalOf(row, row.connection.keyPublicId ?? row.connection.id, deps), state: row.connection.state };
}

/** One principal whatever proved the caller: everything after authentication sees only this. */
async function principalOf(row: PrincipalRow, keyPublicId: string, deps: Pick<AuthDeps, 'config' | 'keys'>): Promise<Principal> {
  const { connection, account, session } = row;
  const odoo =
    account.id === DEFAULT_ACCOUNT_ID && deps.config.ODOO_URL
      ? { ...defaultAccountFromConfig(deps.config), uid: account.odooUid }
      : {
          id: account.id,
          url: account.url,
          database: account.database,
          login: account.login,
          api: account.api,
          uid: account.odooUid,
          apiKey: await decryptSecret(deps.keys.credentials, account.apiKeyCiphertext, account.id),
        };

  return {
    connection: {
      id: connection.id,
      name: connection.name,
      auth: connection.auth,
      scope: connection.scope as Scope,
      notBefore: connection.notBefore,
      expiresAt: connection.expiresAt,
      logPayloads: connection.logPayloads,
      lastClient: { name: connection.lastClientName, version: connection.lastClientVersion },
    },
    keyPublicId,
    odoo: { ...odoo, userName: account.odooUserName },
    session: session?.id
      ? {
          id: session.id,
          clientName: session.clientName,
          clientVersion: session.clientVersion,
          protocolVersion: session.protocolVersion!,
        }
      : null,
  };
}

/** One round trip: the connection, its Odoo account and (when named) its open session. */
async function loadByPublicId(db: Database, publicId: string, sessionId: string | null) {
  return load(statementsFor(db).byPublicId, { publicId }, sessionId);
}

async function loadByConnectionId(db: Database, connectionId: string, sessionId: string | null) {
  return load(statementsFor(db).byConnectionId, { connectionId }, sessionId);
}

type Lookups = { withSession: ReturnType<typeof prepareLookup>; withoutSession: ReturnType<typeof prepareStatelessLookup> };

async function load(lookup: Lookups, match: Record<string, string>, sessionId: string | null) {
  if (sessionId === null) {
    const rows = await lookup.withoutSession.all(match);
    return rows[0] && { ...rows[0], session: null };
  }
  const rows = await lookup.withSession.all({ ...match, sessionId });
  return rows[0];
}

/**
 * Drizzle spends about 0.4 ms of CPU building this join, more than the rest
 * of authentication together, so it is built once per database with
 * placeholders. Only the statement is kept: the row is read on every request,
 * so a revocation or rotation still counts from the very next one.
 */
const statements = new WeakMap<Database, { byPublicId: Lookups; byConnectionId: Lookups }>();

function statementsFor(db: Database) {
  let prepared = statements.get(db);
  if (!prepared) {
    const byPublicId = eq(connections.keyPublicId, sql.placeholder('publicId'));
    const byConnectionId = eq(connections.id, sql.placeholder('connectionId'));
    prepared = {
      byPublicId: { withSession: prepareLookup(db, byPublicId), withoutSession: prepareStatelessLookup(db, byPublicId) },
      byConnectionId: { withSession: prepareLookup(db, byConnectionId), withoutSession: prepareStatelessLookup(db, byConnectionId) },
    };
    statements.set(db, prepared);
  }
  return prepared;
}

/** The same lookup without the session join, for requests that name no session (2026-07-28 is stateless). */
function prepareStatelessLookup(db: Database, match: SQL) {
  return db
    .select({ connection: connections, account: odooAccounts })
    .from(connections)
    .innerJoin(odooAccounts, eq(odooAccounts.id, connections.odooAccountId))
    .where(match)
    .limit(1)
    .prepare();
}

function prepareLookup(db: Database, match: SQL) {
  return db
    .select({
      connection: connections,
      account: odooAccounts,
      session: {
        id: mcpSessions.id,
        clientName: mcpSessions.clientName,
        clientVersion: mcpSessions.clientVersion,
        protocolVersion: mcpSessions.protocolVersion,
      },
    })
    .from(connections)
    .innerJoin(odooAccounts, eq(odooAccounts.id, connections.odooAccountId))
    .leftJoin(
      mcpSessions,
      and(
        eq(mcpSessions.id, sql.placeholder('sessionId')),
        eq(mcpSessions.connectionId, connections.id),
        isNull(mcpSessions.endedAt),
      ),
    )
    .where(match)
    .limit(1)
    .prepare();
}
