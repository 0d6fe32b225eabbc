import type { OdooResult } from '../../odoo/client';
import { FIELD_FACT_ATTRIBUTES } from '../../policy/domain-values';
import type { FieldMeta, ToolContext } from './types';

const WRITE_CHECK_ATTRIBUTES = [...new Set(['type', 'relation', 'relation_field', ...FIELD_FACT_ATTRIBUTES])];

/**
 * One `fields_get` per model and call, shared by every check of the values a
 * call writes. The answer is kept as a Map so that a field name chosen by the
 * caller (`constructor`, `__proto__`) can never find a property of
 * Object.prototype.
 */
export function modelFields(ctx: ToolContext, model: string): Promise<OdooResult<ReadonlyMap<string, FieldMeta>>> {
  const cached = ctx.fields.get(model);
  if (cached) return cached;
  const loading = ctx.odoo.fieldsGet(model, WRITE_CHECK_ATTRIBUTES).then((result): OdooResult<ReadonlyMap<string, FieldMeta>> =>
    result.ok ? { ok: true, value: new Map(Object.entries(result.value as Record<string, FieldMeta>)) } : result,
  );
  ctx.fields.set(model, loading);
  return loading;
}
