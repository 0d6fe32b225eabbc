import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const AUDIT_BENCH = path.join(ROOT, 'bench', 'audit.ts');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/**
 * What bench/audit.ts may export for figure 5. Until it does, figure 5 runs
 * that file as a script (`npm run bench:audit`) and reads its table.
 */
export interface AuditIngestMeasurement {
  /** Rows per second through the Queue consumer into D1. */
  rowsPerSecond: number;
  /** Rows per second end to end through the local queue, when measured. */
  queueRowsPerSecond?: number;
  note?: string;
}
export type MeasureAuditIngest = () => Promise<AuditIngestMeasurement>;
export const AUDIT_FUNCTION = 'measureAuditIngest';

export type AuditIngestFigure =
  | ({ status: 'measured'; source: string } & AuditIngestMeasurement)
  | { status: 'unavailable'; reason: string };

/** Figure 5, measured by bench/audit.ts (written and owned separately). */
export async function measureAuditIngest({ maxSeconds }: { maxSeconds: number }): Promise<AuditIngestFigure> {
  let source: string;
  try {
    source = await readFile(AUDIT_BENCH, 'utf8');
  } catch {
    return { status: 'unavailable', reason: `bench/audit.ts is not there yet (figure 5 calls its export ${AUDIT_FUNCTION}())` };
  }
  if (new RegExp(`export\\s+(async\\s+)?(function\\s+|const\\s+)${AUDIT_FUNCTION}\\b`).test(source)) {
    const module = (await import(pathToFileURL(AUDIT_BENCH).href)) as Record<string, unknown>;
    const measured = await (module[AUDIT_FUNCTION] as MeasureAuditIngest)();
    return { status: 'measured', source: `bench/audit.ts ${AUDIT_FUNCTION}()`, ...measured };
  }
  return runAuditScript(maxSeconds);
}

async function runAuditScript(maxSeconds: number): Promise<AuditIngestFigure> {
  const { stdout } = await promisify(execFile)(TSX, [AUDIT_BENCH], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    maxBuffer: 16 * 1024 * 1024,
    timeout: maxSeconds * 1000,
  });
  const consumer = rowsPerSecond(stdout, /consumer ingest, batches of 100[^|\n]*\|\s*([\d,.]+)\s*rows\/s/);
  if (consumer === null) return { status: 'unavailable', reason: `bench/audit.ts ran but printed no 'consumer ingest ... rows/s' row:\n${stdout.slice(-500)}` };
  const queue = rowsPerSecond(stdout, /end to end through the local queue[^|\n]*\|\s*([\d,.]+)\s*rows\/s/);
  return {
    status: 'measured',
    source: 'bench/audit.ts (npm run bench:audit), its consumer ingest row',
    rowsPerSecond: consumer,
    ...(queue === null ? {} : { queueRowsPerSecond: queue }),
  };
}

function rowsPerSecond(text: string, pattern: RegExp): number | null {
  const match = pattern.exec(text);
  return match ? Number(match[1]!.replaceAll(',', '')) : null;
}
