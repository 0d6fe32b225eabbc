/** Full arguments larger than this are not stored; the summary is, with a note. */
export const MAX_PAYLOAD_CHARS = 16_000;

const LIST_CAP = 100;
/** A name (field, argument) kept in a summary is cut to this; callers choose them and could pad them. */
export const MAX_NAME_CHARS = 128;
/** The whole detail of one event stays under this, whatever the caller sent, so every call leaves a row. */
export const MAX_DETAIL_CHARS = 24_000;

/** Keys whose values are secrets even when a connection logs full payloads (res.users password, tokens, ...). */
const SECRET_KEY = /pass(word|wd)?|secret|token|api_?key|credential|private_?key/i;

/**
 * What an audit event keeps of a call's arguments. By default only names:
 * the fields written, read, filtered on or grouped by, and the names of
 * method arguments, never their values (they hold customer data). With
 * log_payloads the arguments are kept whole, minus values under secret-named
 * keys, up to MAX_PAYLOAD_CHARS.
 */
export function summarizeArguments(args: Record<string, unknown>, logPayloads: boolean): Record<string, unknown> | null {
  return bounded(summarize(args, logPayloads));
}

/** A detail past MAX_DETAIL_CHARS keeps only a mark saying how large it was. */
function bounded(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  if (detail === null) return null;
  const size = JSON.stringify(detail).length;
  return size <= MAX_DETAIL_CHARS ? detail : { truncated: true, detail_omitted: `${size} characters, above the ${MAX_DETAIL_CHARS} kept` };
}

function summarize(args: Record<string, unknown>, logPayloads: boolean): Record<string, unknown> | null {
  const summary = namesOnly(args);
  if (logPayloads) {
    const full = redactSecrets(args) as Record<string, unknown>;
    const size = JSON.stringify(full).length;
    if (size <= MAX_PAYLOAD_CHARS) return { ...summary, arguments: full };
    return { ...summary, arguments_omitted: `${size} characters, above the ${MAX_PAYLOAD_CHARS} kept` };
  }
  return Object.keys(summary).length ? summary : null;
}

function namesOnly(args: Record<string, unknown>): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  const values = args.values;
  const rows = Array.isArray(values) ? values : values && typeof values === 'object' ? [values] : [];
  const written = unique(rows.flatMap((row) => (row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [])));
  if (written.length) summary.written_fields = written;
  if (rows.length > 1) summary.records_written = rows.length;
  const read = strings(args.fields);
  if (read.length) summary.fields = read;
  if (Array.isArray(args.domain) && args.domain.length) {
    summary.domain_fields = unique(args.domain.flatMap((term) => (Array.isArray(term) && typeof term[0] === 'string' ? [term[0]] : [])));
  }
  const groupBy = strings(args.group_by);
  if (groupBy.length) summary.group_by = groupBy;
  const aggregates = strings(args.aggregates);
  if (aggregates.length) summary.aggregates = aggregates;
  if (args.kwargs && typeof args.kwargs === 'object' && !Array.isArray(args.kwargs)) summary.kwarg_names = unique(Object.keys(args.kwargs));
  if (Array.isArray(args.args)) summary.positional_args = args.args.length;
  return summary;
}

function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner, depth + 1)]),
    );
  }
  return value;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, LIST_CAP).map(cutName) : [];
}

function unique(items: string[]): string[] {
  return [...new Set(items.map(cutName))].slice(0, LIST_CAP);
}

function cutName(name: string): string {
  return name.length <= MAX_NAME_CHARS ? name : `${name.slice(0, MAX_NAME_CHARS)}…`;
}
