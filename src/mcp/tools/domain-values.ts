import { checkDomainValues, plainFieldsInDomain, type FieldFacts, type WriteMode } from '../../policy/domain-values';
import type { ModelAccess } from '../../policy/models';
import { modelFields } from './model-fields';
import type { ToolContext, ToolOutcome } from './types';

/**
 * A create or an update must not produce a record outside the scope's domain
 * for the model: checking which ids are written is not enough, since the
 * values can move a record out (`state: 'done'` under `state in [draft,
 * sent]`). The values are judged as Odoo would judge the stored record; the
 * field types come from the call's `fields_get` (model-fields.ts), needed only when the domain compares
 * a field that the values could decide (every create, an update that writes
 * such a field).
 */
export async function requireValuesInDomain(
  ctx: ToolContext,
  access: Pick<ModelAccess, 'domain'>,
  model: string,
  valuesList: readonly Record<string, unknown>[],
  mode: WriteMode,
): Promise<ToolOutcome | null> {
  const domain = access.domain;
  if (!domain || domain.length === 0 || valuesList.length === 0) return null;
  const constrained = plainFieldsInDomain(domain);
  if (constrained.length === 0) return null;
  if (mode === 'write' && !valuesList.some((values) => constrained.some((field) => Object.hasOwn(values, field)))) return null;
  const fields = await modelFields(ctx, model);
  if (!fields.ok) return { kind: 'odoo_error', failure: fields.failure };
  const facts: Record<string, FieldFacts> = Object.fromEntries(fields.value);
  for (const values of valuesList) {
    const violation = checkDomainValues(domain, values, facts, mode);
    if (violation) return { kind: 'denied', reason: { code: 'value_outside_scope', model, ...violation } };
  }
  return null;
}
