import { eq } from 'drizzle-orm';
import type { Config } from '../config/env';
import type { SecretKeys } from '../config/secrets';
import { encryptSecret } from '../crypto/secretbox';
import type { Database } from '../db/client';
import { odooAccounts } from '../db/schema';
import { hashKey } from '../keys/hash';
import { createOdooClient } from '../odoo/client';
import type { OdooFailure } from '../odoo/failures';
import type { OdooAccount } from '../odoo/types';

/** The account configured through ODOO_* variables; connections created without an account use it. */
export const DEFAULT_ACCOUNT_ID = 'default';

export function defaultAccountFromConfig(config: Config): Omit<OdooAccount, 'uid'> {
  return {
    id: DEFAULT_ACCOUNT_ID,
    url: config.ODOO_URL ?? '',
    database: config.ODOO_DB ?? '',
    login: config.ODOO_LOGIN ?? '',
    apiKey: config.ODOO_API_KEY ?? '',
    api: config.ODOO_API,
  };
}

export type EnsureAccountResult =
  | { ok: true; accountId: string; uid: number; userName: string | null }
  | { ok: false; reason: 'not_configured' }
  | { ok: false; reason: 'odoo'; failure: OdooFailure };

/**
 * Makes sure the environment's Odoo account has a row, verified against Odoo
 * (which also tells us the acting user's uid). Odoo is asked again only when
 * the variables changed since the last check.
 */
export async function ensureDefaultAccount(
  db: Database,
  config: Config,
  keys: SecretKeys,
  now: number,
): Promise<EnsureAccountResult> {
  if (!config.ODOO_URL || !config.ODOO_DB || !config.ODOO_LOGIN || !config.ODOO_API_KEY) {
    return { ok: false, reason: 'not_configured' };
  }
  const account = defaultAccountFromConfig(config);
  const fingerprint = await hashKey(
    keys.pepper,
    JSON.stringify([account.url, account.database, account.login, account.api, account.apiKey]),
  );
  const [existing] = await db.select().from(odooAccounts).where(eq(odooAccounts.id, DEFAULT_ACCOUNT_ID)).limit(1);
  if (existing && existing.fingerprint === fingerprint && existing.odooUid !== null) {
    return { ok: true, accountId: DEFAULT_ACCOUNT_ID, uid: existing.odooUid, userName: existing.odooUserName };
  }

  const checked = await createOdooClient({ ...account, uid: null }, { timeoutMs: config.ODOO_TIMEOUT_MS }).authenticate();
  if (!checked.ok) return { ok: false, reason: 'odoo', failure: checked.failure };
  const values = {
    name: 'Default (environment)',
    url: account.url,
    database: account.database,
    login: account.login,
    api: account.api,
    apiKeyCiphertext: await encryptSecret(keys.credentials, account.apiKey, DEFAULT_ACCOUNT_ID),
    fingerprint,
    odooUid: checked.value.uid,
    odooUserName: checked.value.name ?? null,
    updatedAt: now,
  };
  await db
    .insert(odooAccounts)
    .values({ id: DEFAULT_ACCOUNT_ID, createdAt: now, ...values })
    .onConflictDoUpdate({ target: odooAccounts.id, set: values });
  return { ok: true, accountId: DEFAULT_ACCOUNT_ID, uid: checked.value.uid, userName: checked.value.name ?? null };
}
