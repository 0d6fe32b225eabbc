import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { createInvitation } from '../oauth/invitations';
import { summarizeScope } from '../policy/scope-summary';
import { auditAdminAction } from '../audit/admin-actions';
import { readJsonBody } from './body';
import { createInvitationSchema } from './connection-schemas';
import { resolveAccount } from '../accounts/resolve-account';
import { iso } from './present';
import { parseOrThrow, parseScopeOrThrow } from './request-input';

export const invitationRoutes = new Hono<AppEnv>();

invitationRoutes.post('/', async (c) => {
  const { db, config, keys, now } = c.var.services;
  const body = parseOrThrow(createInvitationSchema, await readJsonBody(c.req.raw), 'The request body is invalid.');
  const scope = parseScopeOrThrow(body.scope);
  // The account is checked now, so an invitation never fails later for a reason the admin could have seen.
  const account = await resolveAccount(c, body.odoo_account_id);
  const at = now();
  const expiresAt = at + body.valid_for_hours * 3600_000;
  const { id, code } = await createInvitation(db, keys.pepper, {
    name: body.name,
    odooAccountId: body.odoo_account_id ? account.id : null,
    scope,
    connectionExpiresAt: body.connection_valid_for_days ? at + body.connection_valid_for_days * 86400_000 : null,
    expiresAt,
    now: at,
  });
  auditAdminAction(c, {
    action: 'invitation.create',
    connectionName: body.name,
    detail: { invitation_id: id, expires_at: iso(expiresAt), scope_summary: summarizeScope(scope) },
  });
  const origin = (config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  return c.json({ id, url: `${origin}/invite/${code}`, expires_at: iso(expiresAt)! }, 201);
});
