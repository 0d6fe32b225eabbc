import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const WRANGLER = path.join(ROOT, 'node_modules', '.bin', 'wrangler');
const ROWS_PER_INSERT = 400;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const DAY_MS = 86_400_000;

export interface SeedRange {
  persistTo: string;
  odooAccountId: string;
  /** Seeded rows are numbered; this run adds rows first..last-1. */
  first: number;
  last: number;
}

/**
 * Adds connections straight into the local D1 with multi-row INSERTs applied
 * by `wrangler d1 execute`: creating 100,000 through the admin API would take
 * far longer than the measurement. The rows are realistic in shape (a scope,
 * an active state, a unique public id, a 64-hex-digit hash) but their keys
 * are never presented, so the hashes need not match any key.
 */
export async function seedConnections({ persistTo, odooAccountId, first, last }: SeedRange): Promise<number> {
  if (last <= first) return 0;
  const file = path.join(persistTo, '..', `seed-${first}-${last}.sql`);
  const statements: string[] = [];
  const oldest = Date.now() - DAY_MS;
  for (let start = first; start < last; start += ROWS_PER_INSERT) {
    const rows: string[] = [];
    for (let n = start; n < Math.min(last, start + ROWS_PER_INSERT); n++) {
      const at = oldest - n * 1000;
      rows.push(
        `('con_seed${String(n).padStart(12, '0')}','seeded ${n}',${quote(odooAccountId)},'{"preset":"read_only"}','active','${seededPublicId(n)}','${randomBytes(32).toString('hex')}',${at},${at},${at})`,
      );
    }
    statements.push(
      `INSERT INTO connections (id,name,odoo_account_id,scope,state,key_public_id,key_hash,key_created_at,created_at,updated_at) VALUES\n${rows.join(',\n')};`,
    );
  }
  await writeFile(file, statements.join('\n'));
  try {
    await d1Execute(persistTo, ['--file', file]);
  } finally {
    await rm(file, { force: true });
  }
  return last - first;
}

const OUTCOMES = ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'denied', 'error'] as const;
const TOOLS = ['search_records', 'read_records', 'count_records', 'create_records', 'write_records'] as const;

/**
 * Adds MCP audit rows for the seeded connections (ids con_seed0..con_seed<connections-1>),
 * spread evenly over the last `days` days and over the connections, 8 in 10 allowed, 1
 * denied, 1 an Odoo error: the rows the usage queries count. Straight into D1, as above.
 */
export async function seedAuditEvents({ persistTo, connections, rows, days }: { persistTo: string; connections: number; rows: number; days: number }): Promise<number> {
  if (rows <= 0 || connections <= 0) return 0;
  const file = path.join(persistTo, '..', `seed-audit-${rows}.sql`);
  const statements: string[] = [];
  const now = Date.now();
  const span = days * DAY_MS;
  for (let start = 0; start < rows; start += ROWS_PER_INSERT) {
    const values: string[] = [];
    for (let n = start; n < Math.min(rows, start + ROWS_PER_INSERT); n++) {
      const at = now - Math.floor(((n + 0.5) / rows) * span);
      const outcome = OUTCOMES[n % OUTCOMES.length]!;
      const connection = `con_seed${String(n % connections).padStart(12, '0')}`;
      const denial = outcome === 'denied' ? `'model_not_allowed','this connection may not use model ''res.users'''` : 'NULL,NULL';
      values.push(
        `('evt_seed${String(n).padStart(12, '0')}',${at},'mcp','${connection}','seeded','${TOOLS[n % TOOLS.length]}','res.partner','search_read','${outcome}',${denial},${outcome === 'error' ? "'ValidationError'" : 'NULL'},12)`,
      );
    }
    statements.push(
      `INSERT OR IGNORE INTO audit_events (id,at,kind,connection_id,connection_name,tool,model,method,outcome,denial_code,denial_reason,odoo_error,latency_ms) VALUES\n${values.join(',\n')};`,
    );
  }
  await writeFile(file, statements.join('\n'));
  try {
    await d1Execute(persistTo, ['--file', file]);
  } finally {
    await rm(file, { force: true });
  }
  return rows;
}

/** Rows in the connections table of the local D1. */
export async function countConnections(persistTo: string): Promise<number> {
  const stdout = await d1Execute(persistTo, ['--command', 'SELECT count(*) AS n FROM connections', '--json']);
  const [answer] = JSON.parse(stdout) as Array<{ results: Array<{ n: number }> }>;
  const n = answer?.results[0]?.n;
  if (typeof n !== 'number') throw new Error(`could not count connections: ${stdout.slice(0, 300)}`);
  return n;
}

async function d1Execute(persistTo: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 600_000,
  });
  return stdout;
}

/** 12 base32 characters like a real public id, 'zz' then the row number: unique, and unlike any key the bench creates. */
export function seededPublicId(n: number): string {
  let digits = '';
  for (let value = n, i = 0; i < 10; i++, value = Math.floor(value / 32)) digits = BASE32[value % 32] + digits;
  return `zz${digits}`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
