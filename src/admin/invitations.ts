import { createInvitation } from '../oauth/invitations';
import { summarizeScope } from '../policy/scope-summary';
import { auditAdminAction } from '../audit/admin-actions';
import { createInvitationSchema, invitationSchema, scopeOverride } from './connection-schemas';
import { resolveAccount } from '../accounts/resolve-account';
import { defineRoute } from './define-route';
import { iso } from './present';
import { parseScopeOrThrow } from './request-input';

export const createInvitationRoute = defineRoute({
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
}, async (c, { body }) => {
  const { db, config, keys, now } = c.var.services;
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
