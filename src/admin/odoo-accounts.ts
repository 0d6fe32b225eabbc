import type { Context } from 'hono';
import { z } from 'zod';
import {
  countConnectionsUsing,
  deleteOdooAccountIfUnused,
  findOdooAccount,
  insertOdooAccount,
  listOdooAccounts,
} from '../accounts/accounts-store';
import { DEFAULT_ACCOUNT_ID } from '../accounts/default-account';
import { encryptSecret } from '../crypto/secretbox';
import type { AppEnv } from '../http/context';
import { ApiError, odooCheckError } from '../http/errors';
import { createOdooClient } from '../odoo/client';
import { describeOdooFailure, type OdooFailure } from '../odoo/failures';
import { auditAdminAction } from '../audit/admin-actions';
import { defineRoute } from './define-route';
import { decodeCursor, encodeCursor } from './list-cursor';
import { createOdooAccountSchema, listOdooAccountsQuerySchema, odooAccountListSchema, odooAccountSchema, presentOdooAccount } from './odoo-account-schemas';
import { invalid } from './request-input';

const accountPositionSchema = z.strictObject({ createdAt: z.int(), id: z.string() });

export const createOdooAccountRoute = defineRoute({
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
}, async (c, { body }) => {
  const { db, config, keys, now } = c.var.services;
  const id = `oa_${crypto.randomUUID().replaceAll('-', '')}`;
  const account = { id, url: body.url, database: body.database, login: body.login, apiKey: body.api_key, api: body.api };

  // Nothing is stored until Odoo has accepted the credentials.
  const checked = await createOdooClient({ ...account, uid: null }, { timeoutMs: config.ODOO_TIMEOUT_MS }).authenticate();
  if (!checked.ok) throw odooCheckFailed(checked.failure, body.api_key);

  const createdAt = now();
  const stored = await insertOdooAccount(db, {
    id,
    name: body.name,
    url: body.url,
    database: body.database,
    login: body.login,
    api: body.api,
    apiKeyCiphertext: await encryptSecret(keys.credentials, body.api_key, id),
    odooUid: checked.value.uid,
    odooUserName: checked.value.name ?? null,
    createdAt,
    updatedAt: createdAt,
  });
  auditAdminAction(c, {
    action: 'odoo_account.create',
    detail: { odoo_account_id: id, name: body.name, url: body.url, database: body.database, login: body.login, api: body.api, odoo_uid: checked.value.uid },
  });
  return c.json(presentOdooAccount({ ...stored, connectionCount: 0 }), 201);
});

export const listOdooAccountsRoute = defineRoute({
  method: 'get',
  path: '/odoo-accounts',
  role: 'viewer',
  operationId: 'listOdooAccounts',
  tag: 'odoo-accounts',
  summary: 'List Odoo accounts',
  query: listOdooAccountsQuerySchema,
  responses: { 200: { description: 'A page of accounts, newest first', schema: odooAccountListSchema } },
}, async (c, { query }) => {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, accountPositionSchema);
  if (after === null) throw invalid('The query is invalid.', [{ path: 'cursor', message: 'not a cursor this API handed out' }]);
  const rows = await listOdooAccounts(c.var.services.db, { limit: query.limit + 1, after });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return c.json({
    items: page.map(presentOdooAccount),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  });
});

export const getOdooAccountRoute = defineRoute({
  method: 'get',
  path: '/odoo-accounts/{id}',
  role: 'viewer',
  operationId: 'getOdooAccount',
  tag: 'odoo-accounts',
  summary: 'Get an Odoo account',
  responses: { 200: { description: 'The account, without its API key', schema: odooAccountSchema } },
}, async (c) => {
  const account = await findOdooAccount(c.var.services.db, c.req.param('id'));
  if (!account) throw unknownAccount(c.req.param('id'));
  return c.json(presentOdooAccount(account));
});

export const deleteOdooAccountRoute = defineRoute({
  method: 'delete',
  path: '/odoo-accounts/{id}',
  role: 'owner',
  operationId: 'deleteOdooAccount',
  tag: 'odoo-accounts',
  summary: 'Delete an Odoo account that no connection uses',
  responses: { 204: { description: 'The account is deleted' } },
  errors: ['conflict'],
}, async (c) => {
  const { db } = c.var.services;
  const id = c.req.param('id');
  const account = await findOdooAccount(db, id);
  if (!account) throw unknownAccount(id);
  if (!(await deleteOdooAccountIfUnused(db, id))) throw await accountInUse(c, id);
  auditAdminAction(c, { action: 'odoo_account.delete', detail: { odoo_account_id: id, name: account.name, url: account.url, login: account.login } });
  return c.body(null, 204);
});

/**
 * Odoo's answer decides the status (odooCheckError). The API key is scrubbed
 * from the text once more here, whatever the client already did, because this
 * message goes on the wire.
 */
function odooCheckFailed(failure: OdooFailure, apiKey: string): ApiError {
  // describeOdooFailure words a refusal for a tool call on an existing connection; here the admin is entering the credentials.
  const described = failure.kind === 'access_denied' ? `${failure.message}. Check the login, the API key and the database.` : describeOdooFailure(failure);
  const reason = described.split(apiKey).join('[redacted]');
  return odooCheckError(
    failure,
    {
      unreachable: `Odoo could not check the credentials, nothing was saved: ${reason}`,
      refused: `Odoo refused the credentials, nothing was saved: ${reason}`,
    },
    { odoo_failure: failure.kind },
  );
}

function unknownAccount(id: string): ApiError {
  return new ApiError('not_found', `No Odoo account '${id}'.`);
}

async function accountInUse(c: Context<AppEnv>, id: string): Promise<ApiError> {
  const usage = await countConnectionsUsing(c.var.services.db, id);
  const used = `${usage.total} connection${usage.total === 1 ? '' : 's'} (${usage.active} active) act${usage.total === 1 ? 's' : ''} as this Odoo account`;
  const why =
    id === DEFAULT_ACCOUNT_ID
      ? 'This is the default account from the ODOO_* variables; to point it at other credentials, change those variables and the gateway re-checks them when the next connection is created.'
      : 'Connections keep their account for their audit trail, revoked and expired ones too, so an account that any connection has used cannot be deleted.';
  return new ApiError('conflict', `${used}: it cannot be deleted. ${why}`, { connections: usage.total, active: usage.active });
}
