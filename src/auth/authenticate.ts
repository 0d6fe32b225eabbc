import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../config/env';
import type { SecretKeys } from '../config/secrets';
import { decryptSecret } from '../crypto/secretbox';
import type { Database } from '../db/client';
import { connections, mcpSessions, odooAccounts } from '../db/schema';
import { parseKey } from '../keys/format';
import { constantTimeEqual, hashKey } from '../keys/hash';
import type { Scope } from '../policy/scope';
import { defaultAccountFromConfig, DEFAULT_ACCOUNT_ID } from '../accounts/default-account';
import type { AuthResult } from './principal';

export interface AuthDeps {
  db: Database;
  config: Config;
  keys: SecretKeys;
  now: number;
}

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
  const parsed = parseKey(presented);
  if (!parsed.ok) return { ok: false, failure: parsed.problem === 'malformed' ? 'malformed_key' : 'bad_checksum' };

  // Hashed while D1 answers, and for every well-formed key whatever its row
  // says, so no failure answers sooner than another.
  const hashing = hashKey(deps.keys.pepper, presented);
  const row = await loadByPublicId(deps.db, parsed.publicId, sessionId);
  const presentedHash = await hashing;
  if (!row) return { ok: false, failure: 'unknown_key' };
  const { connection, account, session } = row;
  const keyPublicId = parsed.publicId;
  const known = { keyPublicId, connection: { id: connection.id, name: connection.name } };
  const hashMatches = constantTimeEqual(presentedHash, connection.keyHash ?? '');
  if (connection.state === 'revoked') return { ok: false, failure: 'revoked', ...known };
  if (!connection.keyHash) return { ok: false, failure: 'no_key', ...known };
  if (!hashMatches) return { ok: false, failure: 'hash_mismatch', ...known };
  if (connection.state === 'expired' || (connection.expiresAt !== null && connection.expiresAt <= deps.now)) {
    return { ok: false, failure: 'expired', ...known };
  }

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
    ok: true,
    principal: {
      connection: {
        id: connection.id,
        name: connection.name,
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
    },
  };
}

/** One round trip: the connection, its Odoo account and (when named) its open session. */
async function loadByPublicId(db: Database, publicId: string, sessionId: string | null) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = { withSession: prepareLookup(db), withoutSession: prepareStatelessLookup(db) };
    lookups.set(db, lookup);
  }
  if (sessionId === null) {
    const rows = await lookup.withoutSession.all({ publicId });
    return rows[0] && { ...rows[0], session: null };
  }
  const rows = await lookup.withSession.all({ publicId, sessionId });
  return rows[0];
}

/**
 * Drizzle spends about 0.4 ms of CPU building this join, more than the rest
 * of authentication together, so it is built once per database with
 * placeholders. Only the statement is kept: the row is read on every request,
 * so a revocation or rotation still counts from the very next one.
 */
const lookups = new WeakMap<Database, { withSession: ReturnType<typeof prepareLookup>; withoutSession: ReturnType<typeof prepareStatelessLookup> }>();

/** The same lookup without the session join, for requests that name no session (2026-07-28 is stateless). */
function prepareStatelessLookup(db: Database) {
  return db
    .select({ connection: connections, account: odooAccounts })
    .from(connections)
    .innerJoin(odooAccounts, eq(odooAccounts.id, connections.odooAccountId))
    .where(eq(connections.keyPublicId, sql.placeholder('publicId')))
    .limit(1)
    .prepare();
}

function prepareLookup(db: Database) {
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
    .where(eq(connections.keyPublicId, sql.placeholder('publicId')))
    .limit(1)
    .prepare();
}
