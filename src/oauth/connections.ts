import type { Context } from 'hono';
import { insertConnection } from '../connections/store';
import type { AppEnv } from '../http/context';
import { adminActorOf, auditAdminAction } from '../audit/admin-actions';
import { resolveAccount } from '../accounts/resolve-account';
import { summarizeScope } from '../policy/scope-summary';
import type { Scope } from '../policy/scope';

export interface OAuthClientFacts {
  clientId: string;
  clientName: string;
  registration: 'cimd' | 'dcr';
  redirectUris: string[];
}

/** A public id for an OAuth connection: names it in audit and last-used marks as a key's public id does; never parses as a key. */
function oauthPublicId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `oauth_${Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => alphabet[byte % 32]).join('')}`;
}

/**
 * The connection an approved authorization becomes: the same row, scope and
 * status as a key's, with `auth: "oauth"` and no key hash. Its id is the
 * grant's user id, so every token of the grant names it.
 */
export async function createOAuthConnection(
  c: Context<AppEnv>,
  input: { name: string; odooAccountId: string | undefined; scope: Scope; expiresAt: number | null; client: OAuthClientFacts; via: 'admin' | 'invitation'; invitationId?: string },
) {
  const { db, now } = c.var.services;
  const account = await resolveAccount(c, input.odooAccountId);
  const at = now();
  const row = {
    id: `con_${crypto.randomUUID().replaceAll('-', '')}`,
    name: input.name,
    odooAccountId: account.id,
    scope: input.scope,
    auth: 'oauth' as const,
    state: 'active' as const,
    keyPublicId: oauthPublicId(),
    keyHash: null,
    keyCreatedAt: at,
    expiresAt: input.expiresAt,
    oauthClientId: input.client.clientId,
    oauthClientName: input.client.clientName,
    oauthRegistration: input.client.registration,
    oauthRedirectUris: input.client.redirectUris,
    // The console admin who approved (null for an invitation: its creator is in the invitation's audit event).
    createdBy: input.via === 'admin' ? adminActorOf(c) : null,
    createdAt: at,
    updatedAt: at,
  };
  const stored = await insertConnection(db, row);
  auditAdminAction(c, {
    action: 'connection.create',
    connectionId: row.id,
    connectionName: row.name,
    keyPublicId: row.keyPublicId,
    detail: {
      auth: 'oauth',
      via: input.via,
      ...(input.invitationId ? { invitation_id: input.invitationId } : {}),
      client_id: input.client.clientId,
      client_name: input.client.clientName,
      scope_summary: summarizeScope(input.scope),
    },
  });
  return stored;
}

