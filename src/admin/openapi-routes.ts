import { z } from 'zod';
import { KINDS, OUTCOMES } from '../audit/filters';
import { auditEventJsonSchema } from '../audit/present';
import type { AdminRole } from '../admins/actor';
import type { ApiErrorCode } from '../http/errors';
import { scopeSchema } from '../policy/scope';
import {
  connectionListSchema,
  connectionSchema,
  createConnectionSchema,
  createInvitationSchema,
  emptyBodySchema,
  invitationSchema,
  issuedKeySchema,
  listConnectionsQuerySchema,
  listSessionsQuerySchema,
  reactivateConnectionSchema,
  revokeConnectionSchema,
  sessionListSchema,
  updateConnectionSchema,
} from './connection-schemas';
import { approvalListSchema, approvalSchema, decideApprovalSchema, listApprovalsQuerySchema } from './approval-schemas';
import { createOdooAccountSchema, listOdooAccountsQuerySchema, odooAccountListSchema, odooAccountSchema } from './odoo-account-schemas';
import { adminTokenListSchema, createAdminTokenSchema, createdAdminTokenSchema, adminTokenSchema, listAdminTokensQuerySchema } from './admin-token-schemas';
import { snippetsSchema } from '../snippets/snippets';
import { connectionUsageSchema, usageListQuerySchema, usageListSchema } from './usage-schemas';

/**
 * Every admin route, described once with the zod schemas the handlers
 * validate and answer with. The OpenAPI document is generated from this
 * list, and a test fails when the app has a route that is not in it.
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

/** The scope is validated by parseScope after the body, so the body schemas leave it open; the document shows the real one. */
const scopeOverride = { scope: scopeSchema };

export const createdConnectionSchema = z.object({
  connection: connectionSchema,
  key: z.string().meta({ description: 'The key, shown this once; only its hash is stored' }),
  mcp_url: z.string().meta({ description: 'The MCP endpoint to give the client', format: 'uri' }),
  snippets: snippetsSchema,
});

const openApiDocumentSchema = z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document' });

const auditTime = z.string().meta({ description: 'An ISO 8601 time such as 2026-01-31T23:00:00Z, or a date such as 2026-01-31 (midnight UTC)' });

const auditQuerySchema = z.strictObject({
  connection_id: z.string().min(1).max(100).optional(),
  from: auditTime.optional().meta({ description: 'Events at or after this time (ISO 8601 time or date)' }),
  to: auditTime.optional().meta({ description: 'Events before this time (ISO 8601 time or date)' }),
  outcome: z.enum(OUTCOMES).optional(),
  kind: z.enum(KINDS).optional().meta({ description: 'mcp: a tools call; admin: an admin API action; system: cron' }),
  model: z.string().min(1).max(128).optional(),
  tool: z.string().min(1).max(100).optional(),
  actor: z.string().min(1).max(320).optional().meta({ description: 'Admin events of one admin: a Cloudflare Access email, or an admin token id (adt_...; admin-token for ADMIN_TOKEN)' }),
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ description: 'Default 50' }),
  cursor: z.string().max(300).optional().meta({ description: 'next_cursor of the previous page' }),
});

const auditListSchema = z.object({ items: z.array(auditEventJsonSchema), next_cursor: z.string().nullable() });

const noBody = (description: string): DocumentedResponse => ({ description });

export const ADMIN_API_ROUTES: DocumentedRoute[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'api',
    summary: 'This OpenAPI document',
    description: 'Served without the admin token: it describes the API and holds no secret.',
    public: true,
    responses: { 200: { description: 'The OpenAPI 3.1 document of the admin API', schema: openApiDocumentSchema } },
  },
  {
    method: 'post',
    path: '/connections',
    role: 'operator',
    operationId: 'createConnection',
    tag: 'connections',
    summary: 'Create a connection and its key',
    description: 'The key is shown in this answer only. `snippets` holds ready-to-paste setup for each MCP client.',
    body: { schema: createConnectionSchema, required: true, overrides: scopeOverride },
    responses: { 201: { description: 'The connection, its key and client setup', schema: createdConnectionSchema } },
    errors: ['odoo_credentials_refused', 'odoo_unreachable', 'not_configured'],
  },
  {
    method: 'get',
    path: '/connections',
    role: 'viewer',
    operationId: 'listConnections',
    tag: 'connections',
    summary: 'List connections',
    query: listConnectionsQuerySchema,
    responses: { 200: { description: 'A page of connections', schema: connectionListSchema } },
  },
  {
    method: 'get',
    path: '/connections/{id}',
    role: 'viewer',
    operationId: 'getConnection',
    tag: 'connections',
    summary: 'Get a connection',
    responses: { 200: { description: 'The connection', schema: connectionSchema } },
  },
  {
    method: 'patch',
    path: '/connections/{id}',
    role: 'operator',
    operationId: 'updateConnection',
    tag: 'connections',
    summary: 'Change the name, scope or validity of a connection',
    description:
      'Takes effect on the next request of the connection. With `If-Match: "<updated_at>"` (the ETag of GET /connections/{id}) the change is made only if nobody changed the connection since it was read; else 409 conflict.',
    body: { schema: updateConnectionSchema, required: true, overrides: scopeOverride },
    responses: { 200: { description: 'The changed connection', schema: connectionSchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/connections/{id}/rotate',
    role: 'operator',
    operationId: 'rotateConnectionKey',
    tag: 'connections',
    summary: 'Replace the key',
    description: 'The old key fails on the very next request. The new key is shown in this answer only.',
    body: { schema: emptyBodySchema, required: false },
    responses: { 200: { description: 'The new key', schema: issuedKeySchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/connections/{id}/revoke',
    role: 'operator',
    operationId: 'revokeConnection',
    tag: 'connections',
    summary: 'Revoke a connection',
    description:
      'Deletes the key hash and ends the MCP sessions; for an OAuth connection, also revokes its grant, so every access and refresh token stops working. The record and its audit trail stay.',
    body: { schema: revokeConnectionSchema, required: false },
    responses: { 200: { description: 'The revoked connection', schema: connectionSchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/invitations',
    role: 'operator',
    operationId: 'createInvitation',
    tag: 'connections',
    summary: 'Invite a person to connect an OAuth app (Claude.ai, ChatGPT) with a fixed scope',
    description:
      'The URL is shown in this answer only and works once. Whoever opens it, then adds the MCP URL as a custom connector and approves, gets an OAuth connection with exactly this name, Odoo account and scope, without being an admin.',
    body: { schema: createInvitationSchema, required: true, overrides: scopeOverride },
    responses: { 201: { description: 'The invitation', schema: invitationSchema } },
    errors: ['not_configured', 'odoo_unreachable', 'odoo_credentials_refused'],
  },
  {
    method: 'post',
    path: '/connections/{id}/reactivate',
    role: 'operator',
    operationId: 'reactivateConnection',
    tag: 'connections',
    summary: 'Reactivate a revoked or expired connection, without a key',
    description: 'Key connections only: an OAuth connection is connected again by authorizing the app again (409).',
    body: { schema: reactivateConnectionSchema, required: false },
    responses: { 200: { description: 'The active connection, still without a key', schema: connectionSchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/connections/{id}/keys',
    role: 'operator',
    operationId: 'issueConnectionKey',
    tag: 'connections',
    summary: 'Issue a key for a connection that has none',
    body: { schema: emptyBodySchema, required: false },
    responses: { 201: { description: 'The new key', schema: issuedKeySchema } },
    errors: ['conflict'],
  },
  {
    method: 'get',
    path: '/connections/{id}/sessions',
    role: 'viewer',
    operationId: 'listConnectionSessions',
    tag: 'sessions',
    summary: "List a connection's MCP sessions",
    query: listSessionsQuerySchema,
    responses: { 200: { description: 'A page of sessions', schema: sessionListSchema } },
  },
  {
    method: 'delete',
    path: '/connections/{id}/sessions/{sid}',
    role: 'operator',
    operationId: 'endConnectionSession',
    tag: 'sessions',
    summary: 'End an MCP session',
    responses: { 204: noBody('The session is ended') },
  },
  {
    method: 'get',
    path: '/connections/{id}/audit',
    role: 'viewer',
    operationId: 'listConnectionAudit',
    tag: 'audit',
    summary: "A connection's audit events",
    query: auditQuerySchema.omit({ connection_id: true }),
    responses: { 200: { description: 'A page of audit events, newest first', schema: auditListSchema } },
  },
  {
    method: 'get',
    path: '/connections/{id}/usage',
    role: 'viewer',
    operationId: 'getConnectionUsage',
    tag: 'audit',
    summary: "A connection's calls over the last 7 days",
    description: 'Counted from the audit trail: MCP calls per hour by outcome, the top tools and models, and the denial reasons.',
    responses: { 200: { description: 'Hourly buckets, oldest first, with totals and top lists', schema: connectionUsageSchema } },
  },
  {
    method: 'get',
    path: '/usage',
    role: 'viewer',
    operationId: 'listConnectionsUsage',
    tag: 'audit',
    summary: 'Calls over the last 7 days of many connections',
    description: 'Counted from the audit trail in one query: MCP calls per 6 hours by outcome, for each connection asked (a page of the connections list).',
    query: usageListQuerySchema,
    responses: { 200: { description: 'Buckets of 6 hours per connection, oldest first', schema: usageListSchema } },
  },
  {
    method: 'get',
    path: '/audit',
    role: 'viewer',
    operationId: 'listAudit',
    tag: 'audit',
    summary: 'Audit events',
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of audit events, newest first', schema: auditListSchema } },
  },
  {
    method: 'get',
    path: '/audit.csv',
    role: 'viewer',
    operationId: 'exportAuditCsv',
    tag: 'audit',
    summary: 'Audit events as CSV',
    description: 'Streams every matching event (not paged), with a header line; the columns are the fields of an audit event.',
    query: auditQuerySchema.omit({ cursor: true, limit: true }),
    responses: { 200: { description: 'The matching audit events, one per line', schema: z.string(), mediaType: 'text/csv' } },
  },
  {
    method: 'post',
    path: '/odoo-accounts',
    role: 'owner',
    operationId: 'createOdooAccount',
    tag: 'odoo-accounts',
    summary: 'Add an Odoo account',
    description: 'The credentials are checked against Odoo before anything is saved; the API key is stored encrypted and never returned.',
    body: { schema: createOdooAccountSchema, required: true },
    responses: { 201: { description: 'The account, without its API key', schema: odooAccountSchema } },
    errors: ['odoo_credentials_refused', 'odoo_unreachable'],
  },
  {
    method: 'get',
    path: '/odoo-accounts',
    role: 'viewer',
    operationId: 'listOdooAccounts',
    tag: 'odoo-accounts',
    summary: 'List Odoo accounts',
    query: listOdooAccountsQuerySchema,
    responses: { 200: { description: 'A page of accounts, newest first', schema: odooAccountListSchema } },
  },
  {
    method: 'get',
    path: '/odoo-accounts/{id}',
    role: 'viewer',
    operationId: 'getOdooAccount',
    tag: 'odoo-accounts',
    summary: 'Get an Odoo account',
    responses: { 200: { description: 'The account, without its API key', schema: odooAccountSchema } },
  },
  {
    method: 'delete',
    path: '/odoo-accounts/{id}',
    role: 'owner',
    operationId: 'deleteOdooAccount',
    tag: 'odoo-accounts',
    summary: 'Delete an Odoo account that no connection uses',
    responses: { 204: noBody('The account is deleted') },
    errors: ['conflict'],
  },
  {
    method: 'get',
    path: '/approvals',
    operationId: 'listApprovals',
    tag: 'approvals',
    role: 'viewer',
    summary: 'List calls held for approval',
    description: 'Newest first. A pending approval past its expiry shows as expired before the cron marks it.',
    query: listApprovalsQuerySchema,
    responses: { 200: { description: 'A page of approvals', schema: approvalListSchema } },
  },
  {
    method: 'get',
    path: '/approvals/{id}',
    operationId: 'getApproval',
    tag: 'approvals',
    role: 'viewer',
    summary: 'Get an approval: the exact arguments, the connection, the rule and what the call would change',
    responses: { 200: { description: 'The approval', schema: approvalSchema } },
  },
  {
    method: 'post',
    path: '/approvals/{id}/approve',
    operationId: 'approveApproval',
    tag: 'approvals',
    role: 'operator',
    summary: 'Approve a pending call and run it once',
    description:
      "Runs the stored call once against the connection's current state and scope; the answer holds the outcome (executed or failed, with the reason and the result). An approval that is not pending answers 409 and runs nothing.",
    body: { schema: decideApprovalSchema, required: false },
    responses: { 200: { description: 'The approval after its execution', schema: approvalSchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/approvals/{id}/deny',
    operationId: 'denyApproval',
    tag: 'approvals',
    role: 'operator',
    summary: 'Deny a pending call, with an optional note for the client',
    body: { schema: decideApprovalSchema, required: false },
    responses: { 200: { description: 'The denied approval', schema: approvalSchema } },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/admin-tokens',
    operationId: 'createAdminToken',
    tag: 'admin-tokens',
    role: 'owner',
    summary: 'Create a named admin token with a role',
    description: 'The token (oadm_...) is shown in this answer only; only its hash is stored. It works until revoked or past expires_at.',
    body: { schema: createAdminTokenSchema, required: true },
    responses: { 201: { description: 'The token, shown once', schema: createdAdminTokenSchema } },
  },
  {
    method: 'get',
    path: '/admin-tokens',
    operationId: 'listAdminTokens',
    tag: 'admin-tokens',
    role: 'owner',
    summary: 'List admin tokens, with their last use',
    query: listAdminTokensQuerySchema,
    responses: { 200: { description: 'A page of admin tokens, newest first', schema: adminTokenListSchema } },
  },
  {
    method: 'post',
    path: '/admin-tokens/{id}/revoke',
    operationId: 'revokeAdminToken',
    tag: 'admin-tokens',
    role: 'owner',
    summary: 'Revoke an admin token',
    description: 'It fails from the very next request.',
    body: { schema: emptyBodySchema, required: false },
    responses: { 200: { description: 'The revoked token', schema: adminTokenSchema } },
    errors: ['conflict'],
  },
];
