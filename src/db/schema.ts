import { sql } from 'drizzle-orm';
import type { AdminActor } from '../admins/actor';
import { index, integer, sqliteTable, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Times are epoch milliseconds (UTC); the API turns them into ISO 8601 strings. */

export const odooAccounts = sqliteTable('odoo_accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  database: text('database').notNull(),
  login: text('login').notNull(),
  api: text('api', { enum: ['json2', 'jsonrpc'] }).notNull(),
  /** AES-GCM ciphertext of the Odoo API key, bound to the row id; never returned by any route. */
  apiKeyCiphertext: text('api_key_ciphertext').notNull(),
  /** Detects a change of the environment-provided default account. */
  fingerprint: text('fingerprint'),
  odooUid: integer('odoo_uid'),
  odooUserName: text('odoo_user_name'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The last_used sort key: never-used connections sort as 0 (oldest), so keyset
 * comparisons never meet a NULL. Written as CASE because drizzle-kit splits
 * index expressions on commas; queries must use this same expression for
 * SQLite to use the index.
 */
export function lastUsedSortKey(column: SQLiteColumn) {
  return sql`(case when ${column} is null then 0 else ${column} end)`;
}

export const connections = sqliteTable(
  'connections',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    odooAccountId: text('odoo_account_id')
      .notNull()
      .references(() => odooAccounts.id),
    /** The scope as validated JSON (see src/policy/scope.ts). */
    scope: text('scope', { mode: 'json' }).notNull().$type<unknown>(),
    /** How its client proves who it is: a Bearer key, or an OAuth grant (whose tokens name this row). */
    auth: text('auth', { enum: ['key', 'oauth'] }).notNull().default('key'),
    state: text('state', { enum: ['active', 'revoked', 'expired'] }).notNull().default('active'),
    /** Public part of the current key; kept after revocation so logs can name it. */
    keyPublicId: text('key_public_id'),
    /** HMAC-SHA-256 of the whole key with the pepper; null when no usable key exists. */
    keyHash: text('key_hash'),
    keyCreatedAt: integer('key_created_at'),
    notBefore: integer('not_before'),
    expiresAt: integer('expires_at'),
    logPayloads: integer('log_payloads', { mode: 'boolean' }).notNull().default(false),
    lastUsedAt: integer('last_used_at'),
    lastClientName: text('last_client_name'),
    lastClientVersion: text('last_client_version'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    revokedAt: integer('revoked_at'),
    /** What the admin gave as the reason of the revocation; cleared on reactivation. */
    revokeReason: text('revoke_reason'),
    expiredAt: integer('expired_at'),
    /** OAuth connections only: the client the grant was issued to (a CIMD URL or a registered id). */
    oauthClientId: text('oauth_client_id'),
    oauthClientName: text('oauth_client_name'),
    oauthRegistration: text('oauth_registration', { enum: ['cimd', 'dcr'] }),
    oauthRedirectUris: text('oauth_redirect_uris', { mode: 'json' }).$type<string[]>(),
    /** When the client last exchanged a code or a refresh token. */
    lastTokenAt: integer('last_token_at'),
    /** The admin who created it and the one who last revoked it (src/admins/actor.ts); null on rows older than attribution. */
    createdBy: text('created_by', { mode: 'json' }).$type<AdminActor>(),
    revokedBy: text('revoked_by', { mode: 'json' }).$type<AdminActor>(),
  },
  (table) => [
    uniqueIndex('connections_key_public_id').on(table.keyPublicId),
    // The admin list pages by keyset on (sort value, id); each sort has its index so a page never sorts the table.
    index('connections_created_at_id').on(table.createdAt, table.id),
    index('connections_name_id').on(sql`${table.name} collate nocase`, table.id),
    index('connections_last_used_id').on(lastUsedSortKey(table.lastUsedAt), table.id),
    index('connections_state_expires_at').on(table.state, table.expiresAt),
    index('connections_odoo_account').on(table.odooAccountId),
  ],
);

export const mcpSessions = sqliteTable(
  'mcp_sessions',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    clientName: text('client_name'),
    clientVersion: text('client_version'),
    protocolVersion: text('protocol_version').notNull(),
    createdAt: integer('created_at').notNull(),
    endedAt: integer('ended_at'),
    endedReason: text('ended_reason'),
  },
  (table) => [index('mcp_sessions_connection').on(table.connectionId, table.createdAt)],
);

/**
 * Append-only: rows are inserted with INSERT OR IGNORE on the event id and only removed by retention.
 * The one exception is the per-key, per-minute row of failed authentications (src/audit/auth-failures.ts),
 * whose attempt count grows during its minute.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    kind: text('kind', { enum: ['mcp', 'admin', 'system'] }).notNull(),
    connectionId: text('connection_id'),
    connectionName: text('connection_name'),
    keyPublicId: text('key_public_id'),
    odooUid: integer('odoo_uid'),
    odooLogin: text('odoo_login'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    mcpClientName: text('mcp_client_name'),
    mcpClientVersion: text('mcp_client_version'),
    sessionId: text('session_id'),
    tool: text('tool'),
    model: text('model'),
    method: text('method'),
    recordIds: text('record_ids', { mode: 'json' }).$type<number[]>(),
    outcome: text('outcome', { enum: ['allowed', 'denied', 'error'] }).notNull(),
    denialCode: text('denial_code'),
    denialReason: text('denial_reason'),
    odooError: text('odoo_error'),
    latencyMs: integer('latency_ms'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    deadLettered: integer('dead_lettered', { mode: 'boolean' }).notNull().default(false),
    storedAt: integer('stored_at')
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (table) => [
    index('audit_at').on(table.at),
    index('audit_connection_at').on(table.connectionId, table.at),
    // Usage at a glance (src/audit/usage.ts): per connection, MCP calls in a time range counted by outcome, read from the index alone.
    index('audit_usage').on(table.connectionId, table.kind, table.at, table.outcome),
    index('audit_outcome_at').on(table.outcome, table.at),
    index('audit_model_at').on(table.model, table.at),
    index('audit_tool_at').on(table.tool, table.at),
  ],
);

/**
 * One row per console create form submitted. A repeated or concurrent
 * submission of the same form finds its row taken and creates nothing. The
 * created connection (with its new key) waits here sealed with the
 * credentials key, bound to the console session and form, until the page
 * after the redirect shows it once; then it is erased. Rows older than a day
 * are removed.
 */
export const consoleSubmissions = sqliteTable(
  'console_submissions',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id'),
    sealedCreated: text('sealed_created'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('console_submissions_created_at').on(table.createdAt)],
);

/**
 * One row per console sign-in. The cookie holds a random token; only its
 * SHA-256 is stored, so a read of this table cannot be replayed as a cookie.
 * A session is valid while it is not ended (sign-out), not expired, and was
 * created under the current admin token: admin_token_fingerprint is an HMAC
 * of the admin token keyed with the pepper, so changing ADMIN_TOKEN ends
 * every session without touching a row, and the column alone reveals nothing
 * about the token.
 */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    adminTokenFingerprint: text('admin_token_fingerprint').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    endedAt: integer('ended_at'),
    endedReason: text('ended_reason'),
    /** Who signed in: re-checked on every request (a revoked admin token or a lost role ends the session's use at once). */
    actor: text('actor', { mode: 'json' }).$type<AdminActor>(),
  },
  (table) => [uniqueIndex('console_sessions_token_hash').on(table.tokenHash), index('console_sessions_expires_at').on(table.expiresAt)],
);

/**
 * An admin's invitation to connect one OAuth app with a fixed scope. The code
 * is shown once (in the URL); only its HMAC with the pepper is stored. Single
 * use: used_at is set by the one approval that redeems it.
 */
export const oauthInvitations = sqliteTable(
  'oauth_invitations',
  {
    id: text('id').primaryKey(),
    codeHash: text('code_hash').notNull(),
    name: text('name').notNull(),
    odooAccountId: text('odoo_account_id'),
    scope: text('scope', { mode: 'json' }).notNull().$type<unknown>(),
    /** The validity of the connection it creates, if any. */
    connectionExpiresAt: integer('connection_expires_at'),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    usedAt: integer('used_at'),
    connectionId: text('connection_id'),
  },
  (table) => [uniqueIndex('oauth_invitations_code_hash').on(table.codeHash), index('oauth_invitations_expires_at').on(table.expiresAt)],
);

/**
 * A call held for a person's approval, bound to its exact arguments: the
 * canonical JSON of {tool, arguments} and its SHA-256. At most one open
 * (pending or approved, i.e. executing) approval per connection and digest,
 * enforced by the partial unique index, so concurrent identical calls insert
 * one row. `delivered_at` is set when the repeated identical call received
 * the outcome (once).
 */
export const approvals = sqliteTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    tool: text('tool').notNull(),
    model: text('model'),
    method: text('method'),
    arguments: text('arguments').notNull(),
    digest: text('digest').notNull(),
    rule: text('rule', { mode: 'json' }).notNull().$type<{ index: number; matched: string; rule: unknown; related?: string[] }>(),
    status: text('status', { enum: ['pending', 'approved', 'denied', 'expired', 'executed', 'failed'] }).notNull(),
    requestedAt: integer('requested_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    note: text('note'),
    /** Why a call did not run or failed (revoked, scope narrowed, Odoo error), in words. */
    reason: text('reason'),
    /** The tool answer the execution produced, bounded like every tool result. */
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    executedAt: integer('executed_at'),
    deliveredAt: integer('delivered_at'),
  },
  (table) => [
    uniqueIndex('approvals_open_digest').on(table.connectionId, table.digest).where(sql`status in ('pending', 'approved')`),
    index('approvals_requested_at_id').on(table.requestedAt, table.id),
    index('approvals_connection_requested_at').on(table.connectionId, table.requestedAt),
    index('approvals_status_expires_at').on(table.status, table.expiresAt),
  ],
);

/**
 * Named admin tokens: for scripts and for people without single sign-on.
 * Only the HMAC-SHA-256 of the token (keyed with the pepper) is stored and
 * looked up, like connection keys. A token opens the admin API while it is
 * not revoked and not past expires_at; both are checked on every request.
 */
export const adminTokens = sqliteTable(
  'admin_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ['viewer', 'operator', 'owner'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    publicId: text('public_id').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by', { mode: 'json' }).$type<AdminActor>(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
    revokedBy: text('revoked_by', { mode: 'json' }).$type<AdminActor>(),
    /** Written at most once a minute per token, in the background. */
    lastUsedAt: integer('last_used_at'),
  },
  (table) => [uniqueIndex('admin_tokens_token_hash').on(table.tokenHash), index('admin_tokens_created_at_id').on(table.createdAt, table.id)],
);

/** Refresh tokens already redeemed (SHA-256 of the token, as the provider names it): a second presentation is reuse, and ends the grant. */
export const oauthRefreshRedemptions = sqliteTable(
  'oauth_refresh_redemptions',
  {
    tokenHash: text('token_hash').primaryKey(),
    grantId: text('grant_id').notNull(),
    usedAt: integer('used_at').notNull(),
  },
  (table) => [index('oauth_refresh_redemptions_used_at').on(table.usedAt)],
);
