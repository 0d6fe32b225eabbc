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
