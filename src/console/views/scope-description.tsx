import { parseScope, type ModelRule, type Scope } from '../../policy/scope';

const PRESET_WORDS = {
  full: 'Every operation the Odoo user may do',
  read_only: 'Read only: search, read, describe and aggregate',
} as const;

const DAY_WORDS = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const;

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return seconds === 86400 ? 'day' : `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}

/** One model entry as a sentence: what may be done, on which fields and records, with which methods. */
export function describeModelRule(pattern: string, rule: ModelRule, scopeOperations: readonly string[] | undefined): string {
  const parts: string[] = [];
  const operations = rule.operations ?? scopeOperations;
  parts.push(operations ? (operations.length ? list(operations) : 'nothing') : 'every operation of the scope');
  if (rule.read_fields) parts.push(`reads only ${list(rule.read_fields.length ? rule.read_fields : ['id'])}`);
  if (rule.write_fields) parts.push(rule.write_fields.length ? `writes only ${list(rule.write_fields)}` : 'writes no field');
  if (rule.domain) parts.push(`only records matching ${JSON.stringify(rule.domain)}`);
  if (rule.methods) parts.push(rule.methods.length ? `methods ${list(rule.methods)}` : 'no methods');
  const target = pattern === '*' ? 'Any other model' : pattern.includes('*') ? `Models matching ${pattern}` : pattern;
  return `${target}: ${parts.join('; ')}.`;
}

/** A scope in words, for the connection page; the JSON stays beside it for experts. */
export function describeScope(scope: Scope): string[] {
  const lines: string[] = [];
  lines.push(scope.preset === 'custom' ? `Custom: ${scope.operations?.length ? list(scope.operations) : 'no operation'}.` : `${PRESET_WORDS[scope.preset]}.`);
  if (scope.models) {
    const patterns = Object.keys(scope.models);
    lines.push(patterns.length ? 'Only the models listed below; any other model is refused.' : 'No model is allowed.');
    for (const pattern of patterns) lines.push(describeModelRule(pattern, scope.models[pattern]!, scope.operations));
  } else {
    lines.push('Any model the Odoo user can see, except the built-in sensitive ones.');
  }
  if (scope.deny_models?.length) lines.push(`Never: ${list(scope.deny_models)}.`);
  lines.push(scope.ip_allow ? `Only from ${list(scope.ip_allow)}.` : 'From any IP address.');
  if (scope.time_windows?.length) {
    const windows = scope.time_windows.map((window) => `${window.days.map((day) => DAY_WORDS[day]).join(', ')} ${window.start}–${window.end} (${window.tz})`);
    lines.push(`Only ${list(windows)}.`);
  } else {
    lines.push('At any time.');
  }
  if (scope.rate_limit) lines.push(`At most ${scope.rate_limit.requests} request${scope.rate_limit.requests === 1 ? '' : 's'} per ${duration(scope.rate_limit.per_seconds)}.`);
  return lines;
}

/** A scope's lines in words, or null when it does not parse. */
export function scopeInWords(scope: unknown): string[] | null {
  const parsed = parseScope(scope);
  return parsed.ok ? describeScope(parsed.scope) : null;
}

/**
 * The scope as the API returned it; one that does not parse (it always should) is left to the JSON beside it.
 * With `compareTo`, lines the other scope does not have are marked: `removed` (this is the old scope) or `added` (the new one).
 */
export function ScopeDescription(props: { scope: unknown; compareTo?: { scope: unknown; mark: 'added' | 'removed' } }) {
  const lines = scopeInWords(props.scope);
  if (!lines) return null;
  const other = props.compareTo ? new Set(scopeInWords(props.compareTo.scope) ?? []) : null;
  return (
    <ul class="scope-words">
      {lines.map((line) =>
        other && !other.has(line) ? <li class={`scope-${props.compareTo!.mark}`}>{props.compareTo!.mark === 'added' ? <ins>{line}</ins> : <del>{line}</del>}</li> : <li>{line}</li>,
      )}
    </ul>
  );
}
