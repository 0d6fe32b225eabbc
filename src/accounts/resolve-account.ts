import { eq } from 'drizzle-orm';
import { odooAccounts } from '../db/schema';
import type { AppEnv } from '../http/context';
import { ApiError, odooCheckError } from '../http/errors';
import { describeOdooFailure } from '../odoo/failures';
import { ensureDefaultAccount } from './default-account';

/**
 * The Odoo account a new connection acts through: the one named, or the
 * default account from the configuration, checked against Odoo and created on
 * first use. Errors are the admin API's (and the OAuth consent's) answers.
 */
export async function resolveAccount(c: { var: AppEnv['Variables'] }, accountId: string | undefined) {
  const { db, config, keys, now } = c.var.services;
  if (accountId) {
    const [row] = await db.select().from(odooAccounts).where(eq(odooAccounts.id, accountId)).limit(1);
    if (!row) {
      throw new ApiError('validation_failed', 'Unknown Odoo account.', { issues: [{ path: 'odoo_account_id', message: `no Odoo account '${accountId}'` }] });
    }
    return { id: row.id, odooUser: { uid: row.odooUid, login: row.login, name: row.odooUserName } };
  }
  const ensured = await ensureDefaultAccount(db, config, keys, now());
  if (ensured.ok) return { id: ensured.accountId, odooUser: { uid: ensured.uid, login: config.ODOO_LOGIN!, name: ensured.userName } };
  if (ensured.reason === 'not_configured') {
    throw new ApiError('not_configured', 'No Odoo account is configured: set ODOO_URL, ODOO_DB, ODOO_LOGIN and ODOO_API_KEY, or pass odoo_account_id.');
  }
  const message = describeOdooFailure(ensured.failure, {});
  throw odooCheckError(ensured.failure, {
    unreachable: `The default Odoo account could not be checked: ${message}`,
    refused: `Odoo refused the default account's credentials: ${message}`,
  });
}
