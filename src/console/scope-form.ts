import { newSubmissionId } from './submissions';
import { OPERATIONS } from '../policy/operations';
import { DAYS } from '../policy/time-window';
import { utcInputToIso } from './format';
import type { ValidationIssue } from './api-types';

/**
 * The wizard's form and the scope JSON it produces. This module only turns
 * form fields into the API's JSON and API issue paths back into form fields;
 * what a valid scope is stays the admin API's decision.
 */
export const MAX_ROWS = 20;
export { DAYS, OPERATIONS };

export interface ModelRowValues {
  pattern: string;
  operations: string[];
  readFields: string;
  writeFields: string;
  methods: string;
  domain: string;
}

export interface WindowRowValues {
  days: string[];
  start: string;
  end: string;
  tz: string;
}

export interface ScopeFormValues {
  preset: string;
  operations: string[];
  models: ModelRowValues[];
  denyModels: string;
  ipAllow: string;
  windows: WindowRowValues[];
  rateRequests: string;
  ratePerSeconds: string;
}

/** The fields the create wizard and the edit form share: name, scope (form or JSON) and validity. */
export interface ConnectionFormValues {
  name: string;
  scopeMode: 'form' | 'json';
  scope: ScopeFormValues;
  scopeJson: string;
  notBefore: string;
  expiryMode: 'never' | 'days' | 'date';
  validForDays: string;
  expiresAt: string;
}

export interface WizardValues extends ConnectionFormValues {
  /** The random id of this rendered form: its create runs at most once (see submissions.ts). */
  submission: string;
  odooAccountId: string;
}

/** Where each scope row went in the JSON, so an API issue path finds its way back to the row. */
export interface ScopeLayout {
  modelRows: { pattern: string; row: number }[];
  windowRows: number[];
}

export const blankModelRow = (): ModelRowValues => ({ pattern: '', operations: [], readFields: '', writeFields: '', methods: '', domain: '' });
export const blankWindowRow = (): WindowRowValues => ({ days: [], start: '', end: '', tz: 'UTC' });

export function defaultWizardValues(): WizardValues {
  return {
    submission: newSubmissionId(),
    name: '',
    odooAccountId: '',
    scopeMode: 'form',
    scope: {
      preset: 'read_only',
      operations: [],
      models: [blankModelRow()],
      denyModels: '',
      ipAllow: '',
      windows: [blankWindowRow()],
      rateRequests: '',
      ratePerSeconds: '',
    },
    scopeJson: '',
    notBefore: '',
    expiryMode: 'never',
    validForDays: '',
    expiresAt: '',
  };
}

export function readWizardForm(form: URLSearchParams): WizardValues {
  return { ...readConnectionForm(form), submission: form.get('submission') ?? '', odooAccountId: form.get('odoo_account_id') ?? '' };
}

export function readConnectionForm(form: URLSearchParams): ConnectionFormValues {
  const text = (name: string) => form.get(name) ?? '';
  const models: ModelRowValues[] = [];
  const windows: WindowRowValues[] = [];
  for (let row = 0; row < MAX_ROWS; row++) {
    if (form.has(`model.${row}.pattern`)) {
      models.push({
        pattern: text(`model.${row}.pattern`).trim(),
        operations: form.getAll(`model.${row}.ops`),
        readFields: text(`model.${row}.read_fields`),
        writeFields: text(`model.${row}.write_fields`),
        methods: text(`model.${row}.methods`),
        domain: text(`model.${row}.domain`),
      });
    }
    if (form.has(`window.${row}.start`)) {
      windows.push({
        days: form.getAll(`window.${row}.days`),
        start: text(`window.${row}.start`).trim(),
        end: text(`window.${row}.end`).trim(),
        tz: text(`window.${row}.tz`).trim(),
      });
    }
  }
  const expiryMode = text('expiry_mode');
  return {
    name: text('name'),
    scopeMode: text('scope_mode') === 'json' ? 'json' : 'form',
    scope: {
      preset: text('preset'),
      operations: form.getAll('operations'),
      models: models.length ? models : [blankModelRow()],
      denyModels: text('deny_models'),
      ipAllow: text('ip_allow'),
      windows: windows.length ? windows : [blankWindowRow()],
      rateRequests: text('rate_requests').trim(),
      ratePerSeconds: text('rate_per_seconds').trim(),
    },
    scopeJson: text('scope_json'),
    notBefore: text('not_before').trim(),
    expiryMode: expiryMode === 'days' || expiryMode === 'date' ? expiryMode : 'never',
    validForDays: text('valid_for_days').trim(),
    expiresAt: text('expires_at').trim(),
  };
}

/** Comma- or newline-separated names to a list, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whole numbers become numbers; anything else is passed on as typed, so the API names the problem. */
function numberOrText(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

const isBlankModel = (row: ModelRowValues) =>
  !row.pattern && !row.operations.length && !row.readFields.trim() && !row.writeFields.trim() && !row.methods.trim() && !row.domain.trim();
const isBlankWindow = (row: WindowRowValues) => !row.days.length && !row.start && !row.end;

export function scopeFromForm(values: ScopeFormValues): { scope: Record<string, unknown>; issues: ValidationIssue[]; layout: ScopeLayout } {
  const scope: Record<string, unknown> = { preset: values.preset };
  const issues: ValidationIssue[] = [];
  const layout: ScopeLayout = { modelRows: [], windowRows: [] };
  if (values.preset === 'custom') scope.operations = values.operations;

  const models: Record<string, unknown> = {};
  values.models.forEach((row, index) => {
    if (isBlankModel(row)) return;
    if (!row.pattern) {
      issues.push({ path: `model.${index}.pattern`, message: 'give the model name or pattern this row is about, or clear the row' });
      return;
    }
    const rule: Record<string, unknown> = {};
    if (row.operations.length) rule.operations = row.operations;
    if (row.readFields.trim()) rule.read_fields = splitList(row.readFields);
    if (row.writeFields.trim()) rule.write_fields = splitList(row.writeFields);
    if (row.methods.trim()) rule.methods = splitList(row.methods);
    if (row.domain.trim()) {
      try {
        rule.domain = JSON.parse(row.domain);
      } catch {
        issues.push({ path: `scope.models.${row.pattern}.domain`, message: 'the extra domain is not valid JSON; write a domain such as [["state", "=", "sale"]]' });
      }
    }
    models[row.pattern] = rule;
    layout.modelRows.push({ pattern: row.pattern, row: index });
  });
  if (layout.modelRows.length) scope.models = models;

  const denyModels = splitList(values.denyModels);
  if (denyModels.length) scope.deny_models = denyModels;
  const ipAllow = splitList(values.ipAllow);
  if (ipAllow.length) scope.ip_allow = ipAllow;

  const windows: Record<string, unknown>[] = [];
  values.windows.forEach((row, index) => {
    if (isBlankWindow(row)) return;
    windows.push({ days: row.days, start: row.start, end: row.end, tz: row.tz || 'UTC' });
    layout.windowRows.push(index);
  });
  if (windows.length) scope.time_windows = windows;

  if (values.rateRequests || values.ratePerSeconds) {
    scope.rate_limit = { requests: numberOrText(values.rateRequests), per_seconds: numberOrText(values.ratePerSeconds) };
  }
  return { scope, issues, layout };
}

/** The scope the form or the raw JSON holds, whichever the admin chose, with the console's own problems. */
export function scopeOfForm(values: Pick<ConnectionFormValues, 'scopeMode' | 'scope' | 'scopeJson'>): { scope: unknown; issues: ValidationIssue[]; layout: ScopeLayout } {
  if (values.scopeMode === 'form') return scopeFromForm(values.scope);
  try {
    return { scope: JSON.parse(values.scopeJson), issues: [], layout: { modelRows: [], windowRows: [] } };
  } catch (error) {
    return { scope: undefined, issues: [{ path: 'scope', message: `is not valid JSON: ${(error as Error).message}` }], layout: { modelRows: [], windowRows: [] } };
  }
}

/** The body for POST /admin/api/connections, or the problems that stop the console from sending it. */
export function createRequestBody(values: WizardValues): { body: Record<string, unknown>; issues: ValidationIssue[]; layout: ScopeLayout } {
  const { scope, issues, layout } = scopeOfForm(values);
  const body: Record<string, unknown> = { name: values.name, scope };
  if (values.odooAccountId) body.odoo_account_id = values.odooAccountId;
  const notBefore = utcInputToIso(values.notBefore);
  if (notBefore) body.not_before = notBefore;
  if (values.expiryMode === 'days') body.valid_for_days = values.validForDays ? Number(values.validForDays) : undefined;
  if (values.expiryMode === 'date') body.expires_at = utcInputToIso(values.expiresAt);
  if (values.expiryMode === 'days' && !values.validForDays) issues.push({ path: 'valid_for_days', message: 'give the number of days, or choose another validity' });
  if (values.expiryMode === 'date' && !values.expiresAt) issues.push({ path: 'expires_at', message: 'give the end date, or choose another validity' });
  return { body, issues, layout };
}

const MODEL_RULE_FIELDS: Record<string, string> = {
  operations: 'ops',
  read_fields: 'read_fields',
  write_fields: 'write_fields',
  methods: 'methods',
  domain: 'domain',
};

/**
 * The form field an API issue belongs next to. Model names contain dots, so
 * `scope.models.sale.order.read_fields.1` is matched against the patterns the
 * form sent, longest first, rather than split on dots.
 */
export function fieldForIssue(path: string, mode: 'form' | 'json', layout: ScopeLayout): string {
  if (/^(model|window)\.\d+\./.test(path)) return path;
  if (path !== 'scope' && !path.startsWith('scope.')) return path.split('.')[0] || 'scope';
  if (mode === 'json') return 'scope_json';
  const rest = path.slice('scope.'.length);
  const [head] = rest.split('.');
  switch (head) {
    case 'preset':
      return 'preset';
    case 'operations':
      return 'operations';
    case 'deny_models':
      return 'deny_models';
    case 'ip_allow':
      return 'ip_allow';
    case 'rate_limit':
      return 'rate_limit';
    case 'time_windows': {
      const [, index, field] = rest.split('.');
      const row = index === undefined ? undefined : layout.windowRows[Number(index)];
      if (row === undefined) return 'time_windows';
      return `window.${row}.${field === 'days' || field === 'start' || field === 'end' || field === 'tz' ? field : 'start'}`;
    }
    case 'models': {
      const afterModels = rest.slice('models.'.length);
      const match = [...layout.modelRows]
        .sort((a, b) => b.pattern.length - a.pattern.length)
        .find(({ pattern }) => afterModels === pattern || afterModels.startsWith(`${pattern}.`));
      if (!match) return 'models';
      const [field] = afterModels.slice(match.pattern.length + 1).split('.');
      return `model.${match.row}.${(field && MODEL_RULE_FIELDS[field]) || 'pattern'}`;
    }
    default:
      return 'scope';
  }
}

export function groupIssues<T extends ValidationIssue>(issues: T[], mode: 'form' | 'json', layout: ScopeLayout): Map<string, T[]> {
  const byField = new Map<string, T[]>();
  for (const issue of issues) {
    const field = fieldForIssue(issue.path, mode, layout);
    byField.set(field, [...(byField.get(field) ?? []), issue]);
  }
  return byField;
}
