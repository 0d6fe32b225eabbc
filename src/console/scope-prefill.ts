import { parseScope, type Scope } from '../policy/scope';
import { blankModelRow, blankWindowRow, MAX_ROWS, scopeFromForm, type ScopeFormValues } from './scope-form';

/**
 * The way back from a scope to the wizard's form fields, for the edit form
 * and for switching from raw JSON to the form. Some scopes have no form
 * fields that say exactly the same (`read_fields: []` reads only ids, an
 * empty operations list allows nothing, more rows than the form holds):
 * `exact` is false for those, and the console keeps them in JSON rather
 * than let the form quietly widen or narrow them.
 */
export function formFromScope(scope: Scope): { values: ScopeFormValues; exact: boolean } {
  const models = Object.entries(scope.models ?? {}).map(([pattern, rule]) => ({
    pattern,
    operations: [...(rule.operations ?? [])],
    readFields: (rule.read_fields ?? []).join(', '),
    writeFields: (rule.write_fields ?? []).join(', '),
    methods: (rule.methods ?? []).join(', '),
    domain: rule.domain === undefined ? '' : JSON.stringify(rule.domain),
  }));
  const windows = (scope.time_windows ?? []).map((window) => ({ days: [...window.days], start: window.start, end: window.end, tz: window.tz }));
  const values: ScopeFormValues = {
    preset: scope.preset,
    operations: [...(scope.operations ?? [])],
    models: models.length ? models : [blankModelRow()],
    denyModels: (scope.deny_models ?? []).join('\n'),
    ipAllow: (scope.ip_allow ?? []).join('\n'),
    windows: windows.length ? windows : [blankWindowRow()],
    rateRequests: scope.rate_limit ? String(scope.rate_limit.requests) : '',
    ratePerSeconds: scope.rate_limit ? String(scope.rate_limit.per_seconds) : '',
  };
  const fits = models.length <= MAX_ROWS && windows.length <= MAX_ROWS;
  const back = fits ? scopeFromForm(values) : null;
  return { values, exact: back !== null && back.issues.length === 0 && sameScope(back.scope, scope) };
}

/**
 * Whether two scopes say the same thing: compared as parsed, with keys in
 * any order and sets (operations, days) in any order. A scope that does not
 * parse equals only the same JSON.
 */
export function sameScope(a: unknown, b: unknown): boolean {
  return canonicalScope(a) === canonicalScope(b);
}

function canonicalScope(input: unknown): string {
  const parsed = parseScope(input);
  if (!parsed.ok) return `invalid:${stableJson(input)}`;
  const scope = structuredClone(parsed.scope);
  scope.operations?.sort();
  for (const rule of Object.values(scope.models ?? {})) rule.operations?.sort();
  for (const window of scope.time_windows ?? []) window.days.sort();
  return stableJson(scope);
}

/** JSON with object keys sorted, so key order does not count. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The raw JSON switched back to the form, or why it stays JSON (it does not parse, or the form cannot say it exactly). */
export function scopeJsonToForm(json: string): { ok: true; values: ScopeFormValues } | { ok: false; message: string } {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    return { ok: false, message: `is not valid JSON, so it stays here: ${(error as Error).message}` };
  }
  const parsed = parseScope(input);
  if (!parsed.ok) return { ok: false, message: 'is not a valid scope yet, so it stays here; correct it, or save to see each problem' };
  const { values, exact } = formFromScope(parsed.scope);
  if (!exact) return { ok: false, message: 'holds settings the form cannot show exactly (such as an empty list of fields, methods or operations), so it stays here as JSON' };
  return { ok: true, values };
}
