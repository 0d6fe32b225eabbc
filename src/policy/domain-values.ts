import { normalizeDomain, type Domain } from './domain';

/**
 * Whether the values of a create or an update keep the record inside the
 * scope's domain for the model, judged the way Odoo 19 would judge the stored
 * record (`odoo/orm/domains.py` optimizations and `Field._condition_to_sql`):
 *
 * - `=` / `!=` are `in` / `not in` of one value (a list value is the list, `[]`
 *   is `[false]`); `=?` with a falsy value is always true; `<>` is `!=`, `==` is `=`.
 * - `false` / `null` in a condition is "not set". Integer and float fields
 *   store "not set" as 0 and char/text fields as '' (their `falsy_value`),
 *   so `('qty', '=', 0)` also matches an empty quantity and `('ref', '=', false)`
 *   an empty string. `not in` and `!=` match unset values; inequalities never
 *   match an unset date, many2one or selection.
 * - Booleans: `('active', '=', false)` is `active IS NOT TRUE`; inequalities
 *   are an error in Odoo and stay out of reach.
 * - Inequalities on text compare with the database collation, which the
 *   gateway cannot reproduce: out of reach. On numbers, ids and ISO dates they
 *   are exact.
 * - `!` and `|` follow Kleene logic over conditions whose value is unknown
 *   (a field not written keeps its value, a field out of reach could be
 *   anything): a call is refused only when the record would certainly fall
 *   outside, or when a top-level condition cannot be checked at all on a new
 *   record (its field was left to Odoo's default).
 *
 * Out of reach, never refused here: dotted paths, like-operators, `child_of`
 * / `parent_of`, `any`, a relational field compared with text, one2many /
 * many2many, monetary (rounded by the currency), html (sanitized), binary,
 * json, properties and reference fields, company-dependent and non-stored
 * fields, a date alone compared with a datetime (midnight in the user's time
 * zone) and relative dates ('today'). A field Odoo computes from others is
 * judged by the value written for it; Odoo may recompute it later when what
 * it depends on changes (a write of `partner_id` recomputes
 * `partner_shipping_id`), which no check of the values can see.
 */

/** The `fields_get` attributes the check reads. */
export const FIELD_FACT_ATTRIBUTES = ['type', 'store', 'company_dependent', 'digits'];

export interface FieldFacts {
  type?: unknown;
  store?: unknown;
  company_dependent?: unknown;
  digits?: unknown;
}

/** A value Odoo sets itself to the id of a record created in the same call (the inverse of a line created with its order). */
export const NEW_RECORD_ID: unique symbol = Symbol('the id of a record created in the same call');

export type WriteMode = 'create' | 'write';

export type DomainValueProblem = 'outside' | 'missing' | 'type' | 'unknowable';

export interface DomainValueViolation {
  field: string;
  /** The value written, absent when the field was not given. */
  value?: unknown;
  /** The condition (or sub-domain) that the values fail. */
  condition: unknown;
  problem: DomainValueProblem;
  /** For `type`: what the field accepts. */
  expected?: string;
}

type Truth = true | false | 'unknown';
type Unknown = 'absent' | 'new_id' | 'assigned_id' | 'out_of_reach';
type LeafResult = { truth: true | false } | { truth: 'unknown'; why: Unknown };

type Node = { op: '&' | '|'; left: Node; right: Node } | { op: '!'; operand: Node } | { op: 'leaf'; term: unknown };

class TypeViolation extends Error {
  constructor(readonly violation: DomainValueViolation) {
    super(violation.field);
  }
}

/** Plain field names the domain compares; when none is among them, no `fields_get` is needed. */
export function plainFieldsInDomain(domain: Domain): string[] {
  const found = new Set<string>();
  for (const term of domain) {
    if (Array.isArray(term) && typeof term[0] === 'string' && !term[0].includes('.')) found.add(term[0]);
  }
  return [...found];
}

/**
 * The first reason the values would produce a record outside the domain, or
 * null. `create` requires every top-level condition the gateway can check to
 * be decided by the values themselves (Odoo's defaults are not known here);
 * `write` judges only the fields written, the others keep values already
 * inside the domain.
 */
export function checkDomainValues(
  domain: Domain,
  values: Readonly<Record<string, unknown>>,
  facts: Readonly<Record<string, FieldFacts>>,
  mode: WriteMode,
): DomainValueViolation | null {
  const normalized = normalizeDomain(domain);
  if (normalized.length === 0) return null;
  const cursor = { index: 0 };
  const root = parse(normalized, cursor);
  const conjuncts: Node[] = [];
  const flatten = (node: Node): void => {
    if (node.op === '&') {
      flatten(node.left);
      flatten(node.right);
    } else conjuncts.push(node);
  };
  flatten(root);

  /** Why conditions were undecided, with the first field of each reason. */
  type Undecided = Map<Unknown, string>;
  const evaluate = (node: Node, undecided: Undecided): Truth => {
    switch (node.op) {
      case 'leaf': {
        const result = evaluateLeaf(node.term, values, facts, mode);
        if (result.truth !== 'unknown') return result.truth;
        if (!undecided.has(result.why)) undecided.set(result.why, fieldOf(node.term));
        return 'unknown';
      }
      case '!': {
        const inner = evaluate(node.operand, undecided);
        return inner === 'unknown' ? 'unknown' : !inner;
      }
      case '&': {
        const left = evaluate(node.left, undecided);
        const right = evaluate(node.right, undecided);
        if (left === false || right === false) return false;
        return left === true && right === true ? true : 'unknown';
      }
      case '|': {
        const left = evaluate(node.left, undecided);
        const right = evaluate(node.right, undecided);
        if (left === true || right === true) return true;
        return left === false && right === false ? false : 'unknown';
      }
    }
  };

  try {
    for (const conjunct of conjuncts) {
      const undecided: Undecided = new Map();
      const truth = evaluate(conjunct, undecided);
      if (truth === true) continue;
      const condition = serialize(conjunct);
      if (truth === false) {
        const field = firstWrittenField(conjunct, values);
        return { field, ...(Object.hasOwn(values, field) && values[field] !== NEW_RECORD_ID ? { value: values[field] } : {}), condition, problem: 'outside' };
      }
      // Undecided. On an update the fields not written keep values inside the domain.
      // On a create they get Odoo's defaults, which the gateway cannot know: the
      // condition must be decided by the values, unless part of it is out of reach.
      if (mode !== 'create' || undecided.has('out_of_reach')) continue;
      const absent = undecided.get('absent');
      if (absent !== undefined) return { field: absent, condition, problem: 'missing' };
      const assigned = undecided.get('assigned_id') ?? undecided.get('new_id');
      if (assigned !== undefined) return { field: assigned, condition, problem: 'unknowable' };
    }
  } catch (error) {
    if (error instanceof TypeViolation) return error.violation;
    throw error;
  }
  return null;
}

function parse(terms: readonly unknown[], cursor: { index: number }): Node {
  const term = terms[cursor.index];
  cursor.index += 1;
  if (term === '&' || term === '|') {
    const left = parse(terms, cursor);
    const right = parse(terms, cursor);
    return { op: term, left, right };
  }
  if (term === '!') return { op: '!', operand: parse(terms, cursor) };
  return { op: 'leaf', term };
}

function serialize(node: Node): unknown {
  if (node.op === 'leaf') return node.term;
  const out: unknown[] = [];
  const walk = (current: Node): void => {
    if (current.op === 'leaf') out.push(current.term);
    else if (current.op === '!') {
      out.push('!');
      walk(current.operand);
    } else {
      out.push(current.op);
      walk(current.left);
      walk(current.right);
    }
  };
  walk(node);
  return out;
}

function fieldOf(term: unknown): string {
  return Array.isArray(term) && typeof term[0] === 'string' ? term[0] : '';
}

function firstWrittenField(node: Node, values: Readonly<Record<string, unknown>>): string {
  const fields: string[] = [];
  const walk = (current: Node): void => {
    if (current.op === 'leaf') {
      if (Array.isArray(current.term) && typeof current.term[0] === 'string') fields.push(current.term[0]);
    } else if (current.op === '!') walk(current.operand);
    else {
      walk(current.left);
      walk(current.right);
    }
  };
  walk(node);
  return fields.find((field) => Object.hasOwn(values, field)) ?? fields[0] ?? '';
}

// ---------------------------------------------------------------- conditions

const OUT_OF_REACH: LeafResult = { truth: 'unknown', why: 'out_of_reach' };
const SET_OPERATORS = new Set(['in', 'not in']);
const ORDER_OPERATORS = new Set(['<', '<=', '>', '>=']);

/** A stored value as Odoo compares it: null is "not set". */
type Scalar = number | string | boolean | null;

interface Kind {
  /** What the field accepts, for the refusal text. */
  expected: string;
  /** The record value as stored, or undefined when the value cannot be compared. */
  record(value: unknown): Scalar | undefined;
  /** A literal of the domain, or undefined when its meaning is out of reach. */
  literal(value: unknown): Scalar | undefined;
  /** Whether `<`, `>`, ... are exact for this kind. */
  ordered: boolean;
}

function evaluateLeaf(
  term: unknown,
  values: Readonly<Record<string, unknown>>,
  facts: Readonly<Record<string, FieldFacts>>,
  mode: WriteMode,
): LeafResult {
  if (term === true) return { truth: true };
  if (term === false) return { truth: false };
  if (!Array.isArray(term) || term.length !== 3) return OUT_OF_REACH;
  const [left, rawOperator, rawLiteral] = term as [unknown, unknown, unknown];
  if (rawOperator === '=' && rawLiteral === 1 && (left === 1 || left === 0)) return { truth: left === 1 };
  if (typeof left !== 'string' || left.includes('.') || typeof rawOperator !== 'string') return OUT_OF_REACH;
  const field = left;

  let operator = rawOperator === '<>' ? '!=' : rawOperator === '==' ? '=' : rawOperator;
  let literal = rawLiteral;
  if (operator === '=?') {
    if (isPythonFalsy(literal)) return { truth: true };
    operator = '=';
  }
  if (operator === '=' || operator === '!=') {
    literal = Array.isArray(literal) ? (literal.length === 0 ? [false] : literal) : [literal];
    operator = operator === '=' ? 'in' : 'not in';
  }
  if (!SET_OPERATORS.has(operator) && !ORDER_OPERATORS.has(operator)) return OUT_OF_REACH;

  if (field === 'id') return mode === 'create' ? { truth: 'unknown', why: 'assigned_id' } : { truth: 'unknown', why: 'absent' };
  const meta = Object.hasOwn(facts, field) ? facts[field] : undefined;
  const kind = meta ? kindOf(meta) : undefined;
  if (!kind) return OUT_OF_REACH;

  let compare: (record: Scalar) => boolean;
  if (SET_OPERATORS.has(operator)) {
    if (!Array.isArray(literal)) literal = [literal];
    const list = literal as unknown[];
    const set = list.map((item) => kind.literal(item));
    if (set.some((item) => item === undefined)) return OUT_OF_REACH;
    const contains = (record: Scalar) => set.some((item) => item === record);
    compare = operator === 'in' ? contains : (record) => !contains(record);
  } else {
    if (!kind.ordered || Array.isArray(literal)) return OUT_OF_REACH;
    const bound = kind.literal(literal);
    if (bound === undefined) return OUT_OF_REACH;
    compare = (record) => record !== null && bound !== null && ordered(operator, record, bound);
  }

  if (!Object.hasOwn(values, field)) return { truth: 'unknown', why: 'absent' };
  const value = values[field];
  if (value === NEW_RECORD_ID) return { truth: 'unknown', why: 'new_id' };
  const stored = kind.record(value);
  if (stored === undefined) throw new TypeViolation({ field, value, condition: term, problem: 'type', expected: kind.expected });
  return { truth: compare(stored) };
}

function ordered(operator: string, record: Scalar, bound: Scalar): boolean {
  const a = record as number | string;
  const b = bound as number | string;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function isPythonFalsy(value: unknown): boolean {
  if (value === false || value === null || value === undefined || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

// ------------------------------------------------------------------- kinds

function kindOf(meta: FieldFacts): Kind | undefined {
  // A non-stored field is searched through its search method, a company-dependent one through ir.default fallbacks.
  if (meta.store === false || meta.company_dependent === true) return undefined;
  switch (meta.type) {
    case 'many2one':
      return MANY2ONE;
    case 'integer':
      return INTEGER;
    case 'float':
      return floatKind(scaleOf(meta.digits));
    case 'char':
    case 'text':
      return TEXT;
    case 'selection':
      return SELECTION;
    case 'boolean':
      return BOOLEAN;
    case 'date':
      return DATE;
    case 'datetime':
      return DATETIME;
    default:
      return undefined;
  }
}

const isUnset = (value: unknown): boolean => value === false || value === null;

const MANY2ONE: Kind = {
  expected: 'a record id (a positive integer) or false',
  ordered: true,
  // Many2one.convert_to_cache keeps only a Python int: a string, a float or [id, name] would not be this id.
  record: (value) => (isUnset(value) ? null : Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined),
  // A string is a name search on the related model: not a stored value.
  literal: (value) => (isUnset(value) ? null : Number.isInteger(value) ? (value as number) : undefined),
};

const INTEGER: Kind = {
  expected: 'an integer or false',
  ordered: true,
  record: (value) => (isUnset(value) ? 0 : Number.isInteger(value) ? (value as number) : undefined),
  literal: (value) =>
    isUnset(value) ? 0 : value === true ? 1 : Number.isInteger(value) ? (value as number) : undefined,
};

function scaleOf(digits: unknown): number | null {
  if (Array.isArray(digits) && digits.length === 2 && Number.isInteger(digits[1]) && (digits[1] as number) >= 0) return digits[1] as number;
  return null;
}

/** True when Odoo would store the number as given: it rounds floats to the field's decimals. */
function fitsScale(value: number, scale: number | null): boolean {
  if (scale === null) return true;
  const scaled = value * 10 ** scale;
  return Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled));
}

function floatKind(scale: number | null): Kind {
  const number = (value: unknown): Scalar | undefined =>
    typeof value === 'number' && Number.isFinite(value) && fitsScale(value, scale) ? value : undefined;
  return {
    expected: scale === null ? 'a number or false' : `a number with at most ${scale} decimals, or false`,
    ordered: true,
    record: (value) => (isUnset(value) ? 0 : number(value)),
    literal: (value) => (isUnset(value) ? 0 : value === true ? 1 : number(value)),
  };
}

const TEXT: Kind = {
  expected: 'a string or false',
  // Text order follows the database collation: not reproducible here.
  ordered: false,
  record: (value) => (isUnset(value) ? '' : typeof value === 'string' ? value : undefined),
  literal: (value) => (isUnset(value) ? '' : typeof value === 'string' ? value : undefined),
};

const SELECTION: Kind = {
  expected: 'one of the selection keys (a string) or false',
  ordered: false,
  // Selection.convert_to_cache stores a falsy value as null.
  record: (value) => (isUnset(value) || value === '' ? null : typeof value === 'string' ? value : undefined),
  literal: (value) => (isUnset(value) ? null : typeof value === 'string' && value !== '' ? value : undefined),
};

const BOOLEAN: Kind = {
  expected: 'true or false',
  ordered: false,
  // Boolean columns hold null for false: `IS TRUE` / `IS NOT TRUE`.
  record: (value) => (value === null ? false : typeof value === 'boolean' ? value : undefined),
  literal: (value) => (value === null ? false : typeof value === 'boolean' ? value : typeof value === 'number' ? value !== 0 : undefined),
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function isCalendarDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  return match && isCalendarDate(match[1]!, match[2]!, match[3]!) ? value : undefined;
}

function isoDatetime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATETIME.exec(value);
  if (!match || !isCalendarDate(match[1]!, match[2]!, match[3]!)) return undefined;
  return Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60 ? value : undefined;
}

const DATE: Kind = {
  expected: "a date 'YYYY-MM-DD' or false",
  ordered: true,
  record: (value) => (isUnset(value) ? null : isoDate(value)),
  // 'today', '+1d' and other relative values depend on when Odoo runs the search.
  literal: (value) => (isUnset(value) ? null : isoDate(value)),
};

const DATETIME: Kind = {
  expected: "a UTC date and time 'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DD' for midnight) or false",
  ordered: true,
  record: (value) => {
    if (isUnset(value)) return null;
    const date = isoDate(value);
    return date ? `${date} 00:00:00` : isoDatetime(value);
  },
  // A date alone in a condition on a datetime is midnight in the user's time zone: out of reach.
  literal: (value) => (isUnset(value) ? null : isoDatetime(value)),
};
