import { z } from 'zod';
import { DEFAULT_ACCOUNT_ID } from '../accounts/default-account';
import type { OdooAccountWithUsage } from '../accounts/accounts-store';

/**
 * The Odoo base URL, reduced to its origin. Credentials in the URL would be
 * stored and shown in clear, and a path such as /web or /odoo (pasted from a
 * browser) would be put in front of every API path, so both are refused.
 */
export const odooUrlSchema = z
  .string()
  .trim()
  .transform((text, context) => {
    const problem = odooUrlProblem(text);
    if (problem) {
      context.issues.push({ code: 'custom', input: text, message: problem });
      return z.NEVER;
    }
    return new URL(text).origin;
  })
  .meta({ description: 'The Odoo base URL (http or https, no credentials, path, query or fragment), e.g. https://mycompany.odoo.com', format: 'uri' });

function odooUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL such as https://mycompany.odoo.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username || url.password) return 'must not contain a user name or password: put the API key in api_key';
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return 'must not have a query string or fragment';
  if (url.pathname !== '/') return `must be the Odoo base URL without a path (remove '${url.pathname}'), e.g. ${url.origin}`;
  return null;
}

export const createOdooAccountSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    url: odooUrlSchema,
    database: z.string().trim().min(1, 'must not be empty').max(200),
    login: z.string().trim().min(1, 'must not be empty').max(200),
    api_key: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500)
      .regex(/^\S+$/, 'must not contain spaces')
      .meta({ description: "The Odoo user's API key; checked against Odoo, stored encrypted, never returned", writeOnly: true }),
    api: z.enum(['json2', 'jsonrpc']).default('json2').meta({ description: 'json2 (Odoo 19+, the default) or jsonrpc (any version)' }),
  })
  .meta({ description: 'An Odoo user for connections to act as' });

export const listOdooAccountsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional().meta({ description: 'next_cursor from the previous page' }),
});

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

export const odooAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  database: z.string(),
  login: z.string(),
  api: z.enum(['json2', 'jsonrpc']),
  odoo_uid: z.number().int().nullable().meta({ description: 'The Odoo user id the credentials authenticated as' }),
  odoo_user_name: z.string().nullable(),
  is_default: z.boolean().meta({ description: 'The account configured through the ODOO_* variables' }),
  connections: z.number().int().meta({ description: 'How many connections act as this account, revoked and expired ones included' }),
  created_at: isoTime,
  updated_at: isoTime,
});

export const odooAccountListSchema = z.object({
  items: z.array(odooAccountSchema),
  next_cursor: z.string().nullable(),
});

export type OdooAccountJson = z.output<typeof odooAccountSchema>;

/** The account as the API shows it: never the API key, never its ciphertext. */
export function presentOdooAccount(account: OdooAccountWithUsage): OdooAccountJson {
  return {
    id: account.id,
    name: account.name,
    url: account.url,
    database: account.database,
    login: account.login,
    api: account.api,
    odoo_uid: account.odooUid,
    odoo_user_name: account.odooUserName,
    is_default: account.id === DEFAULT_ACCOUNT_ID,
    connections: account.connectionCount,
    created_at: new Date(account.createdAt).toISOString(),
    updated_at: new Date(account.updatedAt).toISOString(),
  };
}
