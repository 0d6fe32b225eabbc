import { NEW_RECORD_ID } from '../../policy/domain-values';
import { checkWriteFields } from '../../policy/fields';
import type { Operation } from '../../policy/scope';
import { requireValuesInDomain } from './domain-values';
import { requireIdsInScope, requireOperation } from './guard';
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

type FieldKind = 'one2many' | 'many2many';

interface Relation {
  type?: string;
  relation?: string;
  relation_field?: string;
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

type Parsed = { ok: true; effects: Effect[] } | { ok: false; message: string };

export async function requireNestedWrites(
  ctx: ToolContext,
  model: string,
  valuesList: readonly Record<string, unknown>[],
  ids: readonly number[] = [],
  depth = 0,
): Promise<ToolOutcome | null> {
  const candidates = valuesList.flatMap((values) => Object.entries(values).filter(([, value]) => mayBeRelational(value)));
  if (candidates.length === 0) return null;
  if (depth >= MAX_DEPTH) return { kind: 'invalid', message: `nested record commands may be at most ${MAX_DEPTH} levels deep` };
  const fields = await ctx.odoo.fieldsGet(model, ['type', 'relation', 'relation_field']);
  if (!fields.ok) return { kind: 'odoo_error', failure: fields.failure };
  const relations = fields.value as Record<string, Relation>;

  const effects: Effect[] = [];
  for (const [field, value] of candidates) {
    const meta = relations[field];
    if (meta?.type === 'many2one') {
      const problem = many2oneProblem(value, meta.relation);
      if (problem) return { kind: 'invalid', message: `${model}.${field} is a many2one: give a record id or false; ${problem}` };
      continue;
    }
    // An unknown field is Odoo's to refuse; a non-x2many field holds no commands.
    if (!meta || (meta.type !== 'one2many' && meta.type !== 'many2many')) continue;
    if (!meta.relation) return { kind: 'invalid', message: `${model}.${field}: Odoo did not say which model this field relates to` };
    const parsed = parseX2many(model, field, meta.type, meta.relation, meta.relation_field, value);
    if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
    effects.push(...parsed.effects);
  }

  const nestedValues = new Map<string, Record<string, unknown>[]>();
  for (const effect of effects) {
    const access = requireOperation(ctx, effect.comodel, effect.operation);
    if (!access.ok) return access.outcome;
    const written = [...(effect.values ? [effect.values] : []), ...(effect.writes ? [Object.fromEntries(effect.writes.map((name) => [name, true]))] : [])];
    if (written.length) {
      const writable = checkWriteFields(access.value, effect.comodel, written);
      if (writable.effect !== 'allow') return { kind: 'denied', reason: writable.reason };
    }
    let touched = effect.ids;
    if (effect.current && access.value.domain && ids.length) {
      const inverse = relations[effect.field]?.relation_field;
      if (!inverse) return { kind: 'invalid', message: `${model}.${effect.field}: cannot tell which ${effect.comodel} records this would change` };
      const current = await ctx.odoo.execute(effect.comodel, 'search', { kwargs: { domain: [[inverse, 'in', [...ids]]], context: { active_test: false } } });
      if (!current.ok) return { kind: 'odoo_error', failure: current.failure };
      touched = [...touched, ...(Array.isArray(current.value) ? (current.value as number[]) : [])];
    }
    if (touched.length) {
      const outside = await requireIdsInScope(ctx, access.value, effect.comodel, [...new Set(touched)]);
      if (outside) return outside;
    }
    if (effect.values && (effect.operation === 'create' || effect.operation === 'write')) {
      const written = effect.operation === 'create' ? createdValues(relations[effect.field], effect.values, ids) : [effect.values];
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
 * The values a `[0, 0, {...}]` creates on the related model. On a one2many,
 * Odoo sets the inverse to the record holding the command, over any value
 * given: one line per written record, or the id of a record being created
 * (which no check can know; nested levels count as such).
 */
function createdValues(meta: Relation | undefined, values: Record<string, unknown>, ids: readonly number[]): Record<string, unknown>[] {
  const inverse = meta?.type === 'one2many' ? meta.relation_field : undefined;
  if (!inverse) return [values];
  if (ids.length === 0) return [{ ...values, [inverse]: NEW_RECORD_ID }];
  return ids.map((id) => ({ ...values, [inverse]: id }));
}

/**
 * Only these shapes can hold x2many commands or be misread as a many2one;
 * numbers, strings and true are Odoo's to type-check.
 */
function mayBeRelational(value: unknown): boolean {
  return Array.isArray(value) || value === false || value === null || typeof value === 'object';
}

/**
 * Odoo 19 `Many2one.convert_to_cache` keeps an int id; it reads a dict as a new,
 * unsaved record of the related model, and a list such as `[7, 'Acme']` as
 * no value, which clears the field. The gateway refuses both rather than let
 * a write mean something else.
 */
function many2oneProblem(value: unknown, relation: string | undefined): string | null {
  if (value === false || value === null) return null;
  if (Array.isArray(value)) return 'Odoo would read a list as no value and clear the field';
  if (typeof value === 'object') return `Odoo would read an object as a new, unsaved ${relation ?? 'related'} record`;
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
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
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
  const inverseWrites = inverse ? [inverse] : ['(inverse of ' + field + ')'];
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
