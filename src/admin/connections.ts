import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ensureDefaultAccount } from '../accounts/default-account';
import { connections, odooAccounts } from '../db/schema';
import { ApiError } from '../http/errors';
import type { AppEnv } from '../http/context';
import { generateKey } from '../keys/format';
import { hashKey } from '../keys/hash';
import { describeOdooFailure } from '../odoo/failures';
import { parseScope, summarizeScope } from '../policy/scope';
import { readJsonBody } from './body';
import { auditAdminAction } from './admin-audit';
import { presentConnection } from './present';

const DAY_MS = 86_400_000;

const createConnectionSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    scope: z.unknown(),
    odoo_account_id: z.string().min(1).optional(),
    not_before: z.iso.datetime({ offset: true }).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    valid_for_days: z.number().positive().max(3650).optional(),
    log_payloads: z.boolean().default(false),
  })
  .strict()
  .refine((body) => !(body.expires_at && body.valid_for_days), {
    message: 'give either expires_at or valid_for_days, not both',
    path: ['valid_for_days'],
  });

export const connectionRoutes = new Hono<AppEnv>();

connectionRoutes.post('/', async (c) => {
  const { db, config, keys, now } = c.var.services;
  const body = createConnectionSchema.safeParse(await readJsonBody(c.req.raw));
  if (!body.success) {
    throw new ApiError('validation_failed', 'The request body is invalid.', {
      issues: body.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const scope = parseScope(body.data.scope);
  if (!scope.ok) {
    throw new ApiError('validation_failed', 'The scope is invalid.', {
      issues: scope.issues.map((issue) => ({ path: issue.path ? `scope.${issue.path}` : 'scope', message: issue.message })),
    });
  }

  const createdAt = now();
  const notBefore = body.data.not_before ? Date.parse(body.data.not_before) : null;
  const expiresAt = body.data.expires_at
    ? Date.parse(body.data.expires_at)
    : body.data.valid_for_days
      ? (notBefore ?? createdAt) + body.data.valid_for_days * DAY_MS
      : null;
  if (expiresAt !== null && expiresAt <= Math.max(createdAt, notBefore ?? 0)) {
    throw new ApiError('validation_failed', 'The validity is invalid.', {
      issues: [{ path: body.data.expires_at ? 'expires_at' : 'valid_for_days', message: 'must end after not_before and after now' }],
    });
  }

  const account = await resolveAccount(c, body.data.odoo_account_id);
  const id = `con_${crypto.randomUUID().replaceAll('-', '')}`;
  const { key, publicId } = generateKey();
  const row = {
    id,
    name: body.data.name,
    odooAccountId: account.id,
    scope: scope.scope,
    state: 'active' as const,
    keyPublicId: publicId,
    keyHash: await hashKey(keys.pepper, key),
    keyCreatedAt: createdAt,
    notBefore,
    expiresAt,
    logPayloads: body.data.log_payloads,
    createdAt,
    updatedAt: createdAt,
  };
  const [stored] = await db.insert(connections).values(row).returning();
  auditAdminAction(c, {
    action: 'connection.create',
    connectionId: id,
    connectionName: row.name,
    keyPublicId: publicId,
    detail: { scope_summary: summarizeScope(scope.scope) },
  });
  const mcpUrl = `${config.PUBLIC_URL ?? new URL(c.req.url).origin}/mcp`;
  return c.json(
    {
      connection: presentConnection(stored!, {
        lastUsedAt: null,
        now: createdAt,
        connectedWindowSeconds: config.CONNECTED_WINDOW,
        odooUser: account.userName,
      }),
      key,
      mcp_url: mcpUrl,
    },
    201,
  );
});

async function resolveAccount(c: { var: AppEnv['Variables'] }, accountId: string | undefined) {
  const { db, config, keys, now } = c.var.services;
  if (accountId) {
    const [row] = await db.select().from(odooAccounts).where(eq(odooAccounts.id, accountId)).limit(1);
    if (!row) throw new ApiError('validation_failed', 'Unknown Odoo account.', { issues: [{ path: 'odoo_account_id', message: `no Odoo account '${accountId}'` }] });
    return { id: row.id, userName: row.odooUserName };
  }
  const ensured = await ensureDefaultAccount(db, config, keys, now());
  if (ensured.ok) return { id: ensured.accountId, userName: ensured.userName };
  if (ensured.reason === 'not_configured') {
    throw new ApiError('not_configured', 'No Odoo account is configured: set ODOO_URL, ODOO_DB, ODOO_LOGIN and ODOO_API_KEY, or pass odoo_account_id.');
  }
  const message = describeOdooFailure(ensured.failure, {});
  if (ensured.failure.kind === 'unreachable' || ensured.failure.kind === 'timeout' || ensured.failure.kind === 'bad_response' || ensured.failure.kind === 'server_error') {
    throw new ApiError('odoo_unreachable', `The default Odoo account could not be checked: ${message}`);
  }
  throw new ApiError('odoo_credentials_refused', `Odoo refused the default account's credentials: ${message}`);
}
