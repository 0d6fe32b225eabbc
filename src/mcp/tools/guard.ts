import type { OdooResult } from '../../odoo/client';
import { validateDomain, andDomains, fieldsInDomain } from '../../policy/domain';
import { checkReadFields } from '../../policy/fields';
import { resolveModelAccess } from '../../policy/models';
import type { Domain, Operation } from '../../policy/scope';
import type { ToolContext, ToolOutcome } from './types';

export type ModelAccess = Extract<ReturnType<typeof resolveModelAccess>, { allowed: true }>;
type Guarded<T> = { ok: true; value: T } | { ok: false; outcome: ToolOutcome };

/** The scope check every tool runs before it talks to Odoo, whatever tools/list showed. */
export function requireOperation(ctx: ToolContext, model: string, operation: Operation): Guarded<ModelAccess> {
  const access = resolveModelAccess(ctx.principal.connection.scope, model);
  if (!access.allowed) return { ok: false, outcome: { kind: 'denied', reason: access.reason } };
  if (!access.operations.has(operation)) {
    return { ok: false, outcome: { kind: 'denied', reason: { code: 'operation_not_allowed', operation, model } } };
  }
  return { ok: true, value: access };
}

/**
 * Validates the caller's domain, refuses conditions on fields the connection
 * may not read (a search on them would reveal their values), and ANDs in the
 * scope's own domain for the model.
 */
export function scopedDomain(access: ModelAccess, model: string, domain: unknown): Guarded<Domain> {
  const valid = validateDomain(domain);
  if (!valid.ok) return { ok: false, outcome: { kind: 'denied', reason: { code: 'invalid_domain', detail: valid.detail } } };
  if (access.readFields) {
    const readable = new Set(['id', ...access.readFields]);
    const hidden = fieldsInDomain(valid.domain).find((field) => !readable.has(field.split('.')[0]!));
    if (hidden) return { ok: false, outcome: { kind: 'denied', reason: { code: 'field_not_readable', model, field: hidden } } };
  }
  return { ok: true, value: access.domain ? andDomains(valid.domain, access.domain) : valid.domain };
}

export function readableFields(access: ModelAccess, model: string, requested: string[] | undefined): Guarded<string[] | undefined> {
  const checked = checkReadFields(access, model, requested);
  if (!checked.ok) return { ok: false, outcome: { kind: 'denied', reason: checked.reason } };
  return { ok: true, value: checked.fields };
}

/**
 * Calls by id must stay inside the scope's domain for the model. This costs
 * one extra Odoo search, only when the scope sets a domain.
 */
export async function requireIdsInScope(
  ctx: ToolContext,
  access: ModelAccess,
  model: string,
  ids: number[],
): Promise<ToolOutcome | null> {
  if (!access.domain) return null;
  const found = await ctx.odoo.execute(model, 'search', {
    kwargs: { domain: andDomains([['id', 'in', ids]], access.domain) },
  });
  if (!found.ok) return { kind: 'odoo_error', failure: found.failure };
  const inside = new Set(Array.isArray(found.value) ? (found.value as number[]) : []);
  const outside = ids.filter((id) => !inside.has(id));
  return outside.length ? { kind: 'denied', reason: { code: 'record_outside_scope', model, ids: outside } } : null;
}

export function fromOdoo<T>(result: OdooResult<T>, onValue: (value: T) => ToolOutcome): ToolOutcome {
  return result.ok ? onValue(result.value) : { kind: 'odoo_error', failure: result.failure };
}
