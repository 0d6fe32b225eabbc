import { resolveValidity, type Validity } from '../connections/validity';
import { parseScope } from '../policy/scope';
import type { ConnectionJson, ValidationIssue } from './api-types';
import { isoToUtcInput, utcInputToIso } from './format';
import { readConnectionForm, scopeOfForm, type ConnectionFormValues, type ScopeLayout } from './scope-form';
import { formFromScope, sameScope } from './scope-prefill';

/**
 * The edit form of a connection: the wizard's fields, prefilled with the
 * connection as it is, and the version (updated_at) it was read at. What is
 * sent to PATCH /admin/api/connections/:id is only what differs from the
 * connection, so an unchanged field is never rewritten.
 */
export interface EditValues extends ConnectionFormValues {
  /** The connection's updated_at when the form was filled: a form older than the connection saves nothing. */
  version: string;
}

/** Expired connections get a new validity through Reactivate, as the API asks; everything else may change. */
export function validityEditable(connection: Pick<ConnectionJson, 'status'>): boolean {
  return connection.status !== 'expired';
}

export function editValuesOf(connection: ConnectionJson): EditValues {
  const parsed = parseScope(connection.scope);
  const prefill = parsed.ok ? formFromScope(parsed.scope) : null;
  return {
    version: connection.updated_at,
    name: connection.name,
    // A scope the form cannot say exactly is edited as JSON, so the form never changes it unasked.
    scopeMode: prefill?.exact ? 'form' : 'json',
    scope: prefill?.values ?? formFromScope({ preset: 'read_only' }).values,
    scopeJson: JSON.stringify(connection.scope, null, 2),
    notBefore: isoToUtcInput(connection.not_before),
    expiryMode: connection.expires_at ? 'date' : 'never',
    validForDays: '',
    expiresAt: isoToUtcInput(connection.expires_at),
  };
}

export function readEditForm(form: URLSearchParams): EditValues {
  return { ...readConnectionForm(form), version: form.get('version') ?? '' };
}

export interface EditRequest {
  /** The PATCH body: only the fields that change. */
  body: Record<string, unknown>;
  /** The console's own problems (a scope JSON that does not parse, a missing number of days). */
  issues: ValidationIssue[];
  layout: ScopeLayout;
  /** The whole scope of the form, for naming bad values even when the scope did not change. */
  scope: unknown;
}

export function updateRequestBody(values: EditValues, connection: ConnectionJson): EditRequest {
  const { scope, issues, layout } = scopeOfForm(values);
  const body: Record<string, unknown> = {};
  if (values.name.trim() !== connection.name) body.name = values.name;
  if (scope === undefined || !sameScope(scope, connection.scope)) body.scope = scope;
  if (validityEditable(connection)) {
    if (values.notBefore !== isoToUtcInput(connection.not_before)) body.not_before = utcInputToIso(values.notBefore) ?? null;
    if (values.expiryMode === 'never' && connection.expires_at !== null) body.expires_at = null;
    if (values.expiryMode === 'days') {
      if (values.validForDays) body.valid_for_days = Number(values.validForDays);
      else issues.push({ path: 'valid_for_days', message: 'give the number of days, or choose another validity' });
    }
    if (values.expiryMode === 'date') {
      if (!values.expiresAt) issues.push({ path: 'expires_at', message: 'give the end date, or choose another validity' });
      else if (values.expiresAt !== isoToUtcInput(connection.expires_at)) body.expires_at = utcInputToIso(values.expiresAt);
    }
  }
  return { body, issues, layout, scope };
}

/** One line of the confirmation: what a field is now and what it becomes. */
export type EditChange =
  | { field: 'name'; before: string; after: string }
  | { field: 'scope'; before: unknown; after: unknown }
  | { field: 'not_before' | 'expires_at'; before: string | null; after: string | null; validForDays?: number };

/** What the body changes, old → new, with the validity resolved as the API will resolve it at `now`. */
export function describeChanges(body: Record<string, unknown>, connection: ConnectionJson, now: number): EditChange[] {
  const changes: EditChange[] = [];
  if (typeof body.name === 'string') changes.push({ field: 'name', before: connection.name, after: body.name.trim() });
  if ('scope' in body) changes.push({ field: 'scope', before: connection.scope, after: body.scope });
  const current: Validity = { notBefore: toMs(connection.not_before), expiresAt: toMs(connection.expires_at) };
  const resolved = resolveValidity(body as Parameters<typeof resolveValidity>[0], current, now);
  if (!resolved.ok) return changes;
  const { notBefore, expiresAt } = resolved.validity;
  if (notBefore !== current.notBefore) changes.push({ field: 'not_before', before: connection.not_before, after: toIso(notBefore) });
  if (expiresAt !== current.expiresAt || body.valid_for_days !== undefined) {
    const days = typeof body.valid_for_days === 'number' ? body.valid_for_days : undefined;
    changes.push({ field: 'expires_at', before: connection.expires_at, after: toIso(expiresAt), ...(days === undefined ? {} : { validForDays: days }) });
  }
  return changes;
}

function toMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
