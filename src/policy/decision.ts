import type { Operation } from './operations';
import type { TimeWindow } from './scope';

export type DenialReason =
  /** `through`: the relational field (`model.field`) whose value reached the model, when the call named another one. */
  | { code: 'operation_not_allowed'; operation: Operation; model?: string; through?: string }
  | { code: 'model_not_allowed'; model: string; through?: string }
  | { code: 'model_denied'; model: string; pattern: string; through?: string }
  | { code: 'sensitive_model'; model: string; through?: string }
  | {
      code: 'method_not_allowed';
      model: string;
      method: string;
      allowed: string[];
      /** The limits of the model's entry that make `methods` an allow-list (read_fields, write_fields, domain), when `methods` is missing. */
      limits?: string[];
    }
  | { code: 'sensitive_method'; model: string; method: string }
  | { code: 'sensitive_delete'; model: string }
  | { code: 'sensitive_field'; model: string; field: string; access: 'read' | 'write' }
  | { code: 'private_method'; model: string; method: string }
  | { code: 'method_reserved'; model: string; method: string; operation?: Operation; tool?: string }
  | { code: 'field_not_readable'; model: string; field: string }
  | { code: 'field_not_writable'; model: string; field: string }
  | { code: 'record_outside_scope'; model: string; ids: number[] }
  | { code: 'record_ids_required'; model: string; method: string }
  | { code: 'relation_outside_scope'; model: string; path: string; target: string }
  | {
      code: 'relation_name_search';
      model: string;
      path: string;
      operator: string;
      target: string;
      /** The fields the name search matches; empty for a hierarchy search with ids. */
      fields: string[];
      /** The field `child_of` / `parent_of` walks the hierarchy through. */
      parentField?: string;
      problem: 'not_searchable' | 'domain' | 'field';
      field?: string;
    }
  | {
      code: 'value_outside_scope';
      model: string;
      field: string;
      /** The value written; absent when a create left the field out. */
      value?: unknown;
      /** The scope's condition (or sub-domain) the values fail. */
      condition: unknown;
      problem: 'outside' | 'missing' | 'type' | 'unknowable';
      expected?: string;
    }
  | { code: 'ip_not_allowed'; ip: string | null }
  | { code: 'outside_time_window'; windows: TimeWindow[] }
  | { code: 'not_yet_valid'; notBefore: string }
  | { code: 'expired'; expiresAt: string }
  | { code: 'rate_limited'; retryAfterSeconds: number; limit?: { requests: number; per_seconds: number } }
  | { code: 'invalid_domain'; detail: string };


/**
 * Callers test `effect === 'allow'` and treat anything else as "do not call
 * Odoo now", so a later `needs_approval` effect stays safe for them.
 */
export type Decision = { effect: 'allow' } | { effect: 'deny'; reason: DenialReason };

export const ALLOW: Decision = Object.freeze({ effect: 'allow' });

export function deny(reason: DenialReason): Decision {
  return { effect: 'deny', reason };
}


