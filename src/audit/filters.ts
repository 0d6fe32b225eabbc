import { z } from 'zod';

export const OUTCOMES = ['allowed', 'denied', 'error'] as const;
export const KINDS = ['mcp', 'admin', 'system'] as const;

export interface AuditFilters {
  connectionId?: string;
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  outcome?: (typeof OUTCOMES)[number];
  kind?: (typeof KINDS)[number];
  model?: string;
  tool?: string;
  /** The admin who acted: an Access email, or an admin token id (adt_...; admin-token for the bootstrap token). */
  actor?: string;
}

/** A position in the newest-first order: the last event of the previous page. */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditQuery {
  filters: AuditFilters;
  limit: number | undefined;
  cursor: AuditCursor | null;
}

export type QueryIssue = { path: string; message: string };

export type ParsedAuditQuery = { ok: true; query: AuditQuery } | { ok: false; issues: QueryIssue[] };

const isoTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 time such as 2026-01-31T23:00:00Z, or a date such as 2026-01-31' })
  .transform((text) => Date.parse(/T/.test(text) ? text : `${text}T00:00:00Z`));

const name = (max: number) => z.string().min(1, 'must not be empty').max(max);

const PARAMETERS = ['connection_id', 'from', 'to', 'outcome', 'kind', 'model', 'tool', 'actor', 'limit', 'cursor'] as const;

/** A query parameter of the audit list; the OpenAPI description of the query (src/admin/audit.ts) names each one. */
export type AuditParameter = (typeof PARAMETERS)[number];

function querySchema(maxLimit: number) {
  return z
    .object({
      connection_id: name(100).optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      outcome: z.enum(OUTCOMES).optional(),
      kind: z.enum(KINDS).optional(),
      model: name(128).optional(),
      tool: name(100).optional(),
      actor: name(320).optional(),
      limit: z
        .string()
        .regex(/^\d{1,9}$/, `must be a whole number from 1 to ${maxLimit}`)
        .transform(Number)
        .pipe(z.number().min(1, `must be at least 1`).max(maxLimit, `must be at most ${maxLimit}`))
        .optional(),
      cursor: z.string().max(300).optional(),
    })
    .strict();
}

/**
 * Reads the audit list's query string. Unknown parameters and repeated ones
 * are refused rather than ignored: a mistyped filter that silently returns
 * every event is the worse answer for an audit question.
 */
export function parseAuditQuery(
  params: Record<string, string[]>,
  options: { maxLimit: number; paged: boolean; connectionInPath?: boolean },
): ParsedAuditQuery {
  const issues: QueryIssue[] = [];
  const single: Record<string, string> = {};
  for (const [key, values] of Object.entries(params)) {
    if (values.length > 1) issues.push({ path: key, message: 'give this parameter once' });
    single[key] = values[0]!;
  }
  if (options.connectionInPath && 'connection_id' in single) {
    issues.push({ path: 'connection_id', message: 'the connection is given by the path' });
    delete single.connection_id;
  }
  if (!options.paged) {
    for (const key of ['limit', 'cursor'].filter((key) => key in single)) {
      issues.push({ path: key, message: 'the export is not paged: it streams every matching event' });
      delete single[key];
    }
  }
  const allowed = PARAMETERS.filter(
    (key) => !(options.connectionInPath && key === 'connection_id') && (options.paged || (key !== 'limit' && key !== 'cursor')),
  );
  const parsed = querySchema(options.maxLimit).safeParse(single);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push({ path: key, message: `unknown parameter; use ${allowed.join(', ')}` });
      } else {
        issues.push({ path: issue.path.join('.'), message: issue.message });
      }
    }
  }
  const cursor = parsed.success && parsed.data.cursor !== undefined ? decodeCursor(parsed.data.cursor) : null;
  if (parsed.success && parsed.data.cursor !== undefined && !cursor) {
    issues.push({ path: 'cursor', message: 'is not a cursor this API returned' });
  }
  if (parsed.success && parsed.data.from !== undefined && parsed.data.to !== undefined && parsed.data.to <= parsed.data.from) {
    issues.push({ path: 'to', message: 'must be later than from' });
  }
  if (issues.length || !parsed.success) return { ok: false, issues };
  const data = parsed.data;
  return {
    ok: true,
    query: {
      filters: {
        connectionId: data.connection_id,
        from: data.from,
        to: data.to,
        outcome: data.outcome,
        kind: data.kind,
        model: data.model,
        tool: data.tool,
        actor: data.actor,
      },
      limit: data.limit,
      cursor,
    },
  };
}

export function encodeCursor(cursor: AuditCursor): string {
  return base64url(JSON.stringify([cursor.at, cursor.id]));
}

export function decodeCursor(text: string): AuditCursor | null {
  try {
    const value: unknown = JSON.parse(fromBase64url(text));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value;
    if (!Number.isSafeInteger(at) || at < 0 || typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
    return { at, id };
  } catch {
    return null;
  }
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
