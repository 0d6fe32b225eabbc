import { z } from 'zod';

/** The Worker's bindings as wrangler.toml declares them, plus secrets and vars. */
export interface Env {
  DB: D1Database;
  LAST_USED: KVNamespace;
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
  DEMO_ODOO: optionalText,
});

export type Config = z.output<typeof configSchema>;

function base64Length(value: string): number {
  try {
    return atob(value).length;
  } catch {
    return -1;
  }
}
