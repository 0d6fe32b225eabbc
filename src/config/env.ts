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
  /** Cloudflare Access (docs/admins.md): both set, or neither. */
  ACCESS_TEAM_DOMAIN: optionalText.pipe(z.string().regex(/^(https:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+\/?$/i, 'a team domain such as myteam.cloudflareaccess.com').optional()).transform((value) => value?.replace(/^https:\/\//i, '').replace(/\/$/, '').toLowerCase()),
  ACCESS_AUD: optionalText,
  /** Where the team's signing keys are fetched; defaults to https://<team domain>/cdn-cgi/access/certs. Tests point it at a loopback server. */
  ACCESS_CERTS_URL: optionalText.pipe(z.url().optional()).refine((value) => value === undefined || isHttpsOrLoopback(value), 'must be an https URL (http only on 127.0.0.1, localhost or [::1])'),
  /** Who holds which admin role when signed in through Access: "owner:a@example.com,operator:b@example.com". */
  ACCESS_ADMINS: z.string().optional().transform(parseAccessAdmins),
}).superRefine((config, ctx) => {
  if (Boolean(config.ACCESS_TEAM_DOMAIN) !== Boolean(config.ACCESS_AUD)) {
    ctx.addIssue({ code: 'custom', path: ['ACCESS_AUD'], message: 'ACCESS_TEAM_DOMAIN and ACCESS_AUD go together: set both to accept Cloudflare Access, or neither' });
  }
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

const ACCESS_ROLES = ['viewer', 'operator', 'owner'] as const;

/** ACCESS_ADMINS: comma-separated role:email pairs; emails compared in lower case; one role per email. */
function parseAccessAdmins(value: string | undefined, ctx: z.RefinementCtx): Map<string, (typeof ACCESS_ROLES)[number]> {
  const roles = new Map<string, (typeof ACCESS_ROLES)[number]>();
  for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z]+):([^\s@:,]+@[^\s@:,]+)$/i.exec(entry);
    const role = match?.[1]?.toLowerCase() as (typeof ACCESS_ROLES)[number] | undefined;
    if (!match || !role || !ACCESS_ROLES.includes(role)) {
      ctx.addIssue({ code: 'custom', message: `'${entry}' is not role:email with a role of viewer, operator or owner, e.g. operator:ana@example.com` });
      continue;
    }
    const email = match[2]!.toLowerCase();
    if (roles.has(email)) ctx.addIssue({ code: 'custom', message: `${email} is listed twice; give each email one role` });
    roles.set(email, role);
  }
  return roles;
}

function isHttpsOrLoopback(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
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
