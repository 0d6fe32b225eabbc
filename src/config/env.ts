import { z } from 'zod';

/** The Worker's bindings as wrangler.toml declares them, plus secrets and vars. */
export interface Env {
  DB: D1Database;
  LAST_USED: KVNamespace;
  OAUTH_KV: KVNamespace;
  AUDIT_QUEUE: Queue<unknown>;
  RATE_LIMITER: DurableObjectNamespace;
  [name: string]: unknown;
}

const durationSeconds = z
  .string()
  .regex(/^\d+\s*[smhd]?$/, 'a duration such as 900, 900s, 15m, 1h or 1d')
  .transform((text) => {
    const match = /^(\d+)\s*([smhd]?)$/.exec(text)!;
    const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
    return Number(match[1]) * unit;
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters'),
  KEY_PEPPER: z.string().min(32, 'must be at least 32 characters'),
  CREDENTIALS_KEY: z
    .string()
    .refine((value) => base64Length(value) === 32, 'must be 32 bytes encoded in base64'),
  ODOO_URL: optionalText.pipe(z.url().optional()),
  ODOO_DB: optionalText,
  ODOO_LOGIN: optionalText,
  ODOO_API_KEY: optionalText,
  ODOO_API: z.enum(['json2', 'jsonrpc']).default('json2'),
  ODOO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  CONNECTED_WINDOW: durationSeconds.default(900),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  MCP_ALLOWED_ORIGINS: z.string().optional().transform(parseOriginList),
  DEMO_ODOO: optionalText,
});

export type Config = z.output<typeof configSchema>;

/**
 * MCP_ALLOWED_ORIGINS: the origins of browser-based MCP clients, comma-separated.
 * Each entry must be exactly an origin, since a path or a wildcard would read as
 * an allow-list while matching nothing or everything.
 */
function parseOriginList(value: string | undefined, ctx: z.RefinementCtx): string[] {
  const origins: string[] = [];
  for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const problem = originProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', message: `'${entry}' is not an origin: ${problem}; write scheme://host[:port], e.g. https://app.example.com` });
    else origins.push(new URL(entry).origin);
  }
  return origins;
}

function originProblem(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return entry.includes('*') ? 'wildcards are not supported' : 'it does not parse as a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `the scheme must be https or http, not ${url.protocol.slice(0, -1)}`;
  if (entry.includes('*')) return 'wildcards are not supported';
  if (url.username || url.password) return 'it must not contain a user name or password';
  if (url.pathname !== '/' || url.search || url.hash || /^[a-z]+:\/\/[^/]+\/./i.test(entry)) return 'it must not have a path, query or fragment';
  return null;
}

function base64Length(value: string): number {
  try {
    return atob(value).length;
  } catch {
    return -1;
  }
}
