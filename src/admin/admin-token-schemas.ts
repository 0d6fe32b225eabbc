import { z } from 'zod';
import { ADMIN_ROLES } from '../admins/actor';

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

export const actorSchema = z
  .object({
    kind: z.enum(['bootstrap', 'token', 'access']).meta({ description: 'How the admin signed in' }),
    id: z.string().optional().meta({ description: 'The admin token id (adt_...), or admin-token for the bootstrap ADMIN_TOKEN' }),
    name: z.string().optional(),
    email: z.string().optional().meta({ description: 'The Cloudflare Access email' }),
  })
  .meta({ description: 'Who did it' });

export const createAdminTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  role: z.enum(ADMIN_ROLES, { error: 'must be viewer, operator or owner' }),
  expires_at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-12-31T23:00:00Z' })
    .nullable()
    .optional()
    .meta({ description: 'When the token stops working; none when absent or null' }),
});

export const adminTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ADMIN_ROLES),
    status: z.enum(['active', 'revoked', 'expired']),
    created_at: isoTime,
    created_by: actorSchema.nullable(),
    expires_at: isoTime.nullable(),
    revoked_at: isoTime.nullable(),
    revoked_by: actorSchema.nullable(),
    last_used_at: isoTime.nullable().meta({ description: 'To the minute' }),
  })
  .meta({ description: 'A named admin token (never the token itself)' });

export const createdAdminTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ADMIN_ROLES),
  token: z.string().meta({ description: 'The token (oadm_...), shown this once; only its hash is stored' }),
  expires_at: isoTime.nullable(),
});

export const adminTokenListSchema = z.object({ items: z.array(adminTokenSchema), next_cursor: z.string().nullable() });

export const listAdminTokensQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional().meta({ description: 'next_cursor of the previous page' }),
});
