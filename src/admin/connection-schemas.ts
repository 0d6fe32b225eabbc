import { CONNECTION_SORTS } from '../connections/query';
import { CONNECTION_STATUSES } from '../connections/status';
import { actorSchema } from './admin-token-schemas';
import { z } from 'zod';
import { scopeSchema } from '../policy/scope';

/** Request and response shapes of /admin/api/connections, in one place for validation and for the API description. */

export const SESSION_STATES = ['open', 'ended'] as const;

const isoDateTime = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 date-time with a time zone offset' });
const validForDays = z
  .number()
  .positive()
  .max(3650)
  .meta({ description: 'Validity in days, counted from not_before when it lies in the future, else from now' });
const onlyOneExpiry = <T extends { expires_at?: unknown; valid_for_days?: unknown }>(body: T) =>
  !(body.expires_at !== undefined && body.valid_for_days !== undefined);
const onlyOneExpiryProblem = { message: 'give either expires_at or valid_for_days, not both', path: ['valid_for_days'] };

export const createConnectionSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    scope: z.unknown().meta({ description: 'The scope (preset full | read_only | custom, models, IPs, time windows, rate limit)' }),
    odoo_account_id: z.string().min(1).optional().meta({ description: 'The Odoo account to act as; the ODOO_* default account when left out' }),
    not_before: isoDateTime.optional(),
    expires_at: isoDateTime.optional(),
    valid_for_days: validForDays.optional(),
    log_payloads: z.boolean().default(false),
  })
  .refine(onlyOneExpiry, onlyOneExpiryProblem);

export const updateConnectionSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    scope: z.unknown().optional().meta({ description: 'Replaces the whole scope' }),
    not_before: isoDateTime.nullable().optional().meta({ description: 'null removes it' }),
    expires_at: isoDateTime.nullable().optional().meta({ description: 'null removes it' }),
    valid_for_days: validForDays.optional(),
    log_payloads: z.boolean().optional(),
  })
  .refine(onlyOneExpiry, onlyOneExpiryProblem)
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one field to change' });

export const reactivateConnectionSchema = z
  .strictObject({
    expires_at: isoDateTime.nullable().optional().meta({ description: 'A new end of validity; null removes it' }),
    valid_for_days: validForDays.optional(),
  })
  .refine(onlyOneExpiry, onlyOneExpiryProblem);

export const revokeConnectionSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().meta({ description: 'Kept in the audit trail and shown on the connection (revoke_reason)' }),
});

/** Rotate and key issue take no fields; an empty body or {} is fine. */
export const emptyBodySchema = z.strictObject({});

export const listConnectionsQuerySchema = z.strictObject({
  status: z.enum(CONNECTION_STATUSES).optional(),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Part of the name, case-insensitive' }),
  sort: z.enum(CONNECTION_SORTS).default('created'),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .meta({ description: 'Default desc for created and last_used (newest first), asc for name. Never-used connections count as the oldest for last_used.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional().meta({ description: 'next_cursor of the previous page, with the same sort and order' }),
});

export const listSessionsQuerySchema = z.strictObject({
  state: z.enum(SESSION_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional(),
});

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

export const connectionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  auth: z.enum(['key', 'oauth']).meta({ description: 'key: a Bearer key; oauth: an OAuth grant approved at /authorize' }),
  key_public_id: z.string().nullable().meta({ description: 'Public part of the current (or last) key; never the key' }),
  has_key: z.boolean().meta({ description: 'false after revocation, expiry or reactivation until a key is issued' }),
  odoo_account_id: z.string(),
  odoo_user: z.object({ uid: z.number().int().nullable(), login: z.string(), name: z.string().nullable() }).nullable(),
  scope_summary: z.string(),
  idle_for_seconds: z.number().int().nullable().meta({ description: 'Seconds since the last use, for connected and idle connections' }),
  last_used_at: isoTime.nullable(),
  last_client: z.object({ name: z.string(), version: z.string().nullable() }).nullable(),
  created_at: isoTime,
  expires_at: isoTime.nullable(),
  oauth: z
    .object({
      client_id: z.string().meta({ description: 'A Client ID Metadata Document URL, or the id from dynamic registration' }),
      client_name: z.string(),
      registration: z.enum(['cimd', 'dcr']),
      redirect_uris: z.array(z.string()),
      last_token_at: isoTime.nullable().meta({ description: 'The last authorization code or refresh token exchange' }),
    })
    .nullable()
    .meta({ description: 'The OAuth client, for auth: oauth; null for keys' }),
});

export const connectionSchema = connectionSummarySchema.extend({
  scope: z.record(z.string(), z.unknown()),
  not_before: isoTime.nullable(),
  log_payloads: z.boolean(),
  key_created_at: isoTime.nullable(),
  updated_at: isoTime,
  revoked_at: isoTime.nullable(),
  revoke_reason: z.string().nullable().meta({ description: 'The reason given when the connection was revoked, if any' }),
  created_by: actorSchema.nullable().meta({ description: 'The admin who created it (null before attribution, or for an invitation)' }),
  revoked_by: actorSchema.nullable().meta({ description: 'The admin who revoked it, while it is revoked' }),
  expired_at: isoTime.nullable(),
});

export const connectionListSchema = z.object({ items: z.array(connectionSummarySchema), next_cursor: z.string().nullable() });

export const issuedKeySchema = z.object({
  key: z.string().meta({ description: 'The new key, shown this once' }),
  connection: connectionSchema,
});

export const sessionSchema = z.object({
  id: z.string(),
  open: z.boolean(),
  client: z.object({ name: z.string().nullable(), version: z.string().nullable() }),
  protocol_version: z.string(),
  created_at: isoTime,
  ended_at: isoTime.nullable(),
  ended_reason: z.string().nullable().meta({ description: 'client, admin, rotated, revoked or expired' }),
});

export const sessionListSchema = z.object({ items: z.array(sessionSchema), next_cursor: z.string().nullable() });

export type ConnectionSummaryJson = z.output<typeof connectionSummarySchema>;
export type ConnectionJson = z.output<typeof connectionSchema>;
export type SessionJson = z.output<typeof sessionSchema>;

export const createInvitationSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).meta({ description: 'The name of the connection the invitation creates' }),
  odoo_account_id: z.string().min(1).optional(),
  scope: z.unknown(),
  valid_for_hours: z.number().int().min(1).max(720).default(24).meta({ description: 'How long the invitation can be used; 24 hours by default' }),
  connection_valid_for_days: z.number().int().min(1).max(3650).optional().meta({ description: 'The validity of the connection it creates; none by default' }),
});

export const invitationSchema = z.object({
  id: z.string(),
  url: z.string().meta({ description: 'The invitation link, shown this once; single use' }),
  expires_at: isoTime,
});

/** The scope is validated by parseScope after the body, so the body schemas leave it open; the document shows the real one. */
export const scopeOverride = { scope: scopeSchema };
