import { NEW_RECORD_ID } from '../../policy/domain-values';
import { checkWriteFields } from '../../policy/fields';
import type { Operation } from '../../policy/scope';
import { requireValuesInDomain } from './domain-values';
import { resolveModelAccess } from '../../policy/models';
import { requireIdsInScope, requireOperation } from './guard';
import { modelFields } from './model-fields';
import type { ToolContext, ToolOutcome } from './types';

/**
 * What Odoo 19 does with the value of a relational field in create/write
 * values, read from `X2many.write_batch`, `One2many.write_real` and
 * `Many2many.write_real`:
 *
 * - `false`/`null` is `[[5]]` (clear); a non-empty list whose first item is
 *   not a list is `[[6, 0, list]]` (set); otherwise each item is a command
 *   compared with `==`, so `false`/`true` are the codes 0 and 1, and a code
 *   of any other type matches nothing.
 * - 0 create, 1 update (needs the values: `[1, id]` is an IndexError), 2
 *   delete the related record; 3 unlink: on a many2many it drops the link, on
 *   a one2many it deletes the line (inverse `ondelete='cascade'`) or empties
 *   its inverse; 4 link: on a one2many it moves the record under this one by
 *   writing its inverse; 5 clear and 6 set: 3 on every current record not
 *   kept, 4 on every given one.
 *
 * Each command becomes the operations it performs on the related model,
 * checked as if called directly (operation, writable fields, record domain).
 * Any form whose effect is not one of those is refused: the gateway never
 * forwards what it cannot classify.
 */

const MAX_DEPTH = 3;

/** Odoo ids are PostgreSQL `int4`: a larger number is no record, and Odoo would fail on it or read it as something else. */
export const MAX_RECORD_ID = 2 ** 31 - 1;

type FieldKind = 'one2many' | 'many2many';

interface Relation {
  type?: unknown;
  relation?: unknown;
  relation_field?: unknown;
}

/** One effect on the related model, with the records it touches. */
interface Effect {
  field: string;
  comodel: string;
  operation: Operation;
  /** Records of the related model that are changed or linked. */
  ids: number[];
  values?: Record<string, unknown>;
  /** Fields of the related model that the effect writes (a link writes the inverse). */
  writes?: string[];
  /** The current records of the field on the written records are touched (clear, set on a one2many). */
  current?: boolean;
}

/** A many2one set to a record id: a link to a record of the related model. */
interface Link {
  field: string;
  comodel: string;
  id: number;
}

type Parsed = { ok: true; effects: Effect[] } | { ok: false; message: string };

/**
 * Every key of create/update values must be a field of the model (from the
 * call's `fields_get`, own keys only: `__proto__` or `constructor` are no
 * field, whatever Object.prototype holds), every many2one value an id or
 * false, every x2many value a form Odoo 19 executes; each relational effect is
 * then checked against the related model's scope. Nested values are checked
 * the same way against their own model.
 */
export async function requireNestedWrites(
  ctx: ToolContext,
  model: string,
  valuesList: readonly Record<string, unknown>[],
  ids: readonly number[] = [],
  depth = 0,
): Promise<ToolOutcome | null> {
  const entries = valuesList.flatMap((values) => Object.entries(values));
  if (entries.length === 0) return null;
  const fields = await modelFields(ctx, model);
  if (!fields.ok) return { kind: 'odoo_error', failure: fields.failure };
  const relations = fields.value;

  const effects: Effect[] = [];
  const links: Link[] = [];
  for (const [field, value] of entries) {
    const meta = relations.get(field);
    if (meta === undefined) return { kind: 'invalid', message: `${model} has no field '${field}' (describe_model lists its fields)` };
    if (meta.type === 'many2one') {
      const problem = many2oneProblem(value, typeof meta.relation === 'string' ? meta.relation : undefined);
      if (problem) return { kind: 'invalid', message: `${model}.${field} is a many2one: give a record id or false; ${problem}` };
      if (typeof value === 'number') {
        if (typeof meta.relation !== 'string') return { kind: 'invalid', message: `${model}.${field}: Odoo did not say which model this field relates to` };
        links.push({ field, comodel: meta.relation, id: value });
      }
      continue;
    }
    if (meta.type !== 'one2many' && meta.type !== 'many2many') continue;
    if (depth >= MAX_DEPTH) return { kind: 'invalid', message: `nested record commands may be at most ${MAX_DEPTH} levels deep` };
    if (typeof meta.relation !== 'string') return { kind: 'invalid', message: `${model}.${field}: Odoo did not say which model this field relates to` };
    const inverse = typeof meta.relation_field === 'string' ? meta.relation_field : undefined;
    const parsed = parseX2many(model, field, meta.type, meta.relation, inverse, value);
    if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
    effects.push(...parsed.effects);
  }

  const linked = await requireMany2oneLinks(ctx, model, links);
  if (linked) return linked;

  const nestedValues = new Map<string, Record<string, unknown>[]>();
  for (const effect of effects) {
    const access = requireOperation(ctx, effect.comodel, effect.operation);
    if (!access.ok) return throughField(access.outcome, model, effect.field);
    const setInverse = effect.operation === 'create' ? oneToManyInverse(relations.get(effect.field)) : undefined;
    // Odoo's One2many.write_real sets the inverse on every created line: the approval gate must see it written too.
    const effectFields = [...Object.keys(effect.values ?? {}), ...(effect.writes ?? []), ...(setInverse !== undefined ? [setInverse] : [])];
    ctx.effects.push({
      model: effect.comodel,
      operation: effect.operation,
      fields: [...new Set(effectFields)],
      ...(effect.ids.length ? { ids: effect.ids } : {}),
      ...(effect.current ? { current: true } : {}),
    });
    const written = [...(effect.values ? [effect.values] : []), ...(effect.writes ? [Object.fromEntries(effect.writes.map((name) => [name, true]))] : [])];
    if (written.length) {
      const writable = checkWriteFields(access.value, effect.comodel, written);
      if (writable.effect !== 'allow') return { kind: 'denied', reason: writable.reason };
    }
    if (setInverse !== undefined) {
      // A created line gets the inverse set by Odoo, a write no values show: held to the sensitive-field rule
      // (res.users.partner_id), not to write_fields, so a scope need not list the link of every line it creates.
      const hidden = checkWriteFields(access.value, effect.comodel, [{ [setInverse]: true }]);
      if (hidden.effect !== 'allow' && hidden.reason.code === 'sensitive_field') return { kind: 'denied', reason: hidden.reason };
    }
    let touched = effect.ids;
    if (effect.current && access.value.domain && ids.length) {
      const inverse = relations.get(effect.field)?.relation_field;
      if (typeof inverse !== 'string') return { kind: 'invalid', message: `${model}.${effect.field}: cannot tell which ${effect.comodel} records this would change` };
      const current = await ctx.odoo.execute(effect.comodel, 'search', { kwargs: { domain: [[inverse, 'in', [...ids]]], context: { active_test: false } } });
      if (!current.ok) return { kind: 'odoo_error', failure: current.failure };
      touched = [...touched, ...(Array.isArray(current.value) ? (current.value as number[]) : [])];
    }
    if (touched.length) {
      const outside = await requireIdsInScope(ctx, access.value, effect.comodel, [...new Set(touched)]);
      if (outside) return outside;
    }
    if (effect.values && (effect.operation === 'create' || effect.operation === 'write')) {
      const written = effect.operation === 'create' ? createdValues(relations.get(effect.field), effect.values, ids) : [effect.values];
      const outsideDomain = await requireValuesInDomain(ctx, access.value, effect.comodel, written, effect.operation);
      if (outsideDomain) return outsideDomain;
    }
    if (effect.values) nestedValues.set(effect.comodel, [...(nestedValues.get(effect.comodel) ?? []), effect.values]);
  }
  for (const [comodel, values] of nestedValues) {
    const refused = await requireNestedWrites(ctx, comodel, values, [], depth + 1);
    if (refused) return refused;
  }
  return null;
}

/**
 * A many2one set to an id links a record of the related model, as `[4, id]`
 * does on a many2many, under the same model rule: a denied or sensitive model
 * is reached only when the scope names it exactly, and with a domain the id
 * must lie in it. Unlike a many2many link, a related model the scope does not
 * list, or lists without `read`, stays linkable: a many2one points at
 * countries, currencies, stages and users that no integration names, and the
 * link reveals no more than the display name Odoo already returns with the
 * field. Clearing (`false`) links nothing and is never refused here.
 */
async function requireMany2oneLinks(ctx: ToolContext, model: string, links: readonly Link[]): Promise<ToolOutcome | null> {
  const byModel = new Map<string, Link[]>();
  for (const link of links) byModel.set(link.comodel, [...(byModel.get(link.comodel) ?? []), link]);
  for (const [comodel, group] of byModel) {
    const access = resolveModelAccess(ctx.principal.connection.scope, comodel);
    if (!access.allowed) {
      if (access.reason.code === 'model_not_allowed') continue;
      return throughField({ kind: 'denied', reason: access.reason }, model, group[0]!.field);
    }
    const outside = await requireIdsInScope(ctx, access, comodel, [...new Set(group.map((link) => link.id))]);
    if (outside) return outside;
  }
  return null;
}

/** A refusal of a related model says which field of the written model reached it. */
function throughField(outcome: ToolOutcome, model: string, field: string): ToolOutcome {
  if (outcome.kind !== 'denied') return outcome;
  const { reason } = outcome;
  if (reason.code === 'sensitive_model' || reason.code === 'model_denied' || reason.code === 'model_not_allowed' || reason.code === 'operation_not_allowed') {
    return { kind: 'denied', reason: { ...reason, through: `${model}.${field}` } };
  }
  return outcome;
}

/**
 * The values a `[0, 0, {...}]` creates on the related model. On a one2many,
 * Odoo sets the inverse to the record holding the command, over any value
 * given: one line per written record, or the id of a record being created
 * (which no check can know; nested levels count as such).
 */
function createdValues(meta: Relation | undefined, values: Record<string, unknown>, ids: readonly number[]): Record<string, unknown>[] {
  const inverse = oneToManyInverse(meta);
  if (!inverse) return [values];
  if (ids.length === 0) return [{ ...values, [inverse]: NEW_RECORD_ID }];
  return ids.map((id) => ({ ...values, [inverse]: id }));
}

/** The many2one a one2many's created lines point back through (Odoo 19 `One2many.write_real` sets it on each). */
function oneToManyInverse(meta: Relation | undefined): string | undefined {
  return meta?.type === 'one2many' && typeof meta.relation_field === 'string' ? meta.relation_field : undefined;
}

/**
 * Odoo 19 `Many2one.convert_to_cache` keeps a value only when `type(value) is
 * int`: `true` (a bool), a float or a string is read as no value and clears
 * the field on write, while create hands the raw value to PostgreSQL, which
 * casts `"10"` to 10 and rounds 9.5. It reads a dict as a new, unsaved record
 * of the related model, and a list such as `[7, 'Acme']` as no value. Only a
 * positive int4 id or false (null, Python's None, clears too) means one thing
 * on every path; everything else is refused.
 */
function many2oneProblem(value: unknown, relation: string | undefined): string | null {
  if (value === false || value === null) return null;
  if (Array.isArray(value)) return 'Odoo would read a list as no value and clear the field';
  if (typeof value === 'object') return `Odoo would read an object as a new, unsaved ${relation ?? 'related'} record`;
  if (typeof value === 'string') return `got a string (${JSON.stringify(value).slice(0, 40)}), which Odoo does not read as an id`;
  if (typeof value === 'boolean') return 'got true, which Odoo does not read as an id';
  if (typeof value !== 'number') return `got ${typeof value}, which Odoo does not read as an id`;
  if (!Number.isInteger(value)) return `got a fractional number (${value}), which Odoo does not read as an id`;
  if (value <= 0) return `got ${value}, and record ids are positive`;
  if (value > MAX_RECORD_ID) return `got ${value}, beyond the largest record id (${MAX_RECORD_ID})`;
  return null;
}

/** Python's `code == n` for a JSON value: booleans compare as 0/1, other types never match. */
function commandCode(value: unknown): number | undefined {
  if (value === false) return 0;
  if (value === true) return 1;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6) return value;
  return undefined;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_RECORD_ID;
}

function isValues(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseX2many(
  model: string,
  field: string,
  kind: FieldKind,
  comodel: string,
  inverse: string | undefined,
  value: unknown,
): Parsed {
  const where = `${model}.${field}`;
  const fail = (message: string): Parsed => ({ ok: false, message: `${where}: ${message}` });
  let commands: unknown[];
  if (value === false || value === null) commands = [[5]];
  else if (!Array.isArray(value)) return fail('expected a list of x2many commands, a list of ids or false');
  else if (value.length > 0 && !Array.isArray(value[0])) commands = [[6, 0, value]];
  else commands = value;

  const effects: Effect[] = [];
  const base = { field, comodel };
  // Writing the inverse many2one moves a line; without knowing it, any write_fields limit must refuse.
  const inverseWrites = inverse ? [inverse] : [`(inverse of ${field})`];
  const unlinkEffects = (ids: number[], current: boolean): Effect[] =>
    kind === 'many2many'
      ? [] // dropping a link changes only this record's field, which the caller's write_fields already cover
      : [
          { ...base, operation: 'delete', ids, ...(current ? { current } : {}) },
          { ...base, operation: 'write', ids, writes: inverseWrites, ...(current ? { current } : {}) },
        ];
  const linkEffects = (ids: number[]): Effect[] =>
    kind === 'many2many' ? [{ ...base, operation: 'read', ids }] : [{ ...base, operation: 'write', ids, writes: inverseWrites }];

  for (const [index, command] of commands.entries()) {
    const at = `command ${index + 1}`;
    if (!Array.isArray(command)) return fail(`${at} is not a command list such as [4, id]`);
    const code = commandCode(command[0]);
    if (code === undefined) return fail(`${at} has code ${JSON.stringify(command[0])}; x2many command codes are 0 to 6`);
    const needs = code === 0 || code === 1 || code === 6 ? 3 : code === 5 ? 1 : 2;
    if (command.length < needs) return fail(`${at} [${code}, ...] needs ${needs} items, got ${command.length}`);
    switch (code) {
      case 0:
        if (!isValues(command[2])) return fail(`${at} (create) needs a values object as its third item`);
        effects.push({ ...base, operation: 'create', ids: [], values: command[2] });
        break;
      case 1:
        if (!isId(command[1])) return fail(`${at} (update) needs a record id as its second item`);
        if (!isValues(command[2])) return fail(`${at} (update) needs a values object as its third item`);
        effects.push({ ...base, operation: 'write', ids: [command[1]], values: command[2] });
        break;
      case 2:
        if (!isId(command[1])) return fail(`${at} (delete) needs a record id as its second item`);
        effects.push({ ...base, operation: 'delete', ids: [command[1]] });
        break;
      case 3:
        if (!isId(command[1])) return fail(`${at} (unlink) needs a record id as its second item`);
        effects.push(...unlinkEffects([command[1]], false));
        break;
      case 4:
        if (!isId(command[1])) return fail(`${at} (link) needs a record id as its second item`);
        effects.push(...linkEffects([command[1]]));
        break;
      case 5:
        effects.push(...unlinkEffects([], true));
        break;
      case 6: {
        const ids = command[2];
        if (!Array.isArray(ids) || !ids.every(isId)) return fail(`${at} (set) needs a list of record ids as its third item`);
        effects.push(...unlinkEffects([], true), ...(ids.length ? linkEffects(ids) : []));
        break;
      }
    }
  }
  return { ok: true, effects };
}
