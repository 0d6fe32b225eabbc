import type { FieldInfo, OdooRecord } from './dataset';
import { OdooError, valueError } from './errors';
import { pyRepr, pyTuple } from './python';

/** What the domain evaluator needs to know about a model and its neighbours. */
export interface DomainModel {
  name: string;
  fields: Record<string, FieldInfo>;
  records: Map<number, OdooRecord>;
}
export type ModelLookup = (name: string) => DomainModel | undefined;
export type RecordFilter = (record: OdooRecord) => boolean;

const COMPARISONS = new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'not in']);
const LIKES = new Set(['like', 'ilike', 'not like', 'not ilike', '=like', '=ilike']);
const NEGATIVE = new Set(['!=', 'not in', 'not like', 'not ilike']);
/** Valid in Odoo, but hierarchy operators are beyond this stand-in. */
const UNSUPPORTED = new Set(['child_of', 'parent_of']);
const SUBDOMAIN = new Set(['any', 'not any']);
const ALIASES: Record<string, string> = { '<>': '!=', '==': '=' };

/** Compiles a domain (Polish notation, implicit AND) into a record filter, validating every leaf first. */
export function compileDomain(domain: unknown, model: DomainModel, lookup: ModelLookup): RecordFilter {
  if (domain === null || domain === undefined || domain === false) return () => true;
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
  const stack: RecordFilter[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const term: unknown = domain[i];
    if (term === '!') {
      const operand = popOperand(stack, domain);
      stack.push((record) => !operand(record));
    } else if (term === '&' || term === '|') {
      const left = popOperand(stack, domain);
      const right = popOperand(stack, domain);
      stack.push(term === '&' ? (r) => left(r) && right(r) : (r) => left(r) || right(r));
    } else {
      stack.push(compileLeaf(term, model, lookup));
    }
  }
  return (record) => stack.every((filter) => filter(record));
}

function popOperand(stack: RecordFilter[], domain: unknown[]): RecordFilter {
  const operand = stack.pop();
  if (!operand) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
  return operand;
}

/** True when a leaf of the domain filters on `field` (Odoo then skips its implicit active=True). */
export function domainMentions(domain: unknown, field: string): boolean {
  return Array.isArray(domain) && domain.some((term) => Array.isArray(term) && typeof term[0] === 'string' && term[0].split('.')[0] === field);
}

/** Odoo's `Domain.AND` of two domains, keeping both as written. */
export function andDomains(a: unknown[], b: unknown[]): unknown[] {
  if (!a.length) return b;
  if (!b.length) return a;
  return ['&', ...asSingleTerm(a), ...asSingleTerm(b)];
}

function asSingleTerm(domain: unknown[]): unknown[] {
  const leaves = domain.filter((term) => Array.isArray(term)).length;
  const operators = domain.filter((term) => term === '&' || term === '|').length;
  const missing = leaves - operators - 1;
  return missing > 0 ? [...Array<string>(missing).fill('&'), ...domain] : domain;
}

function compileLeaf(term: unknown, model: DomainModel, lookup: ModelLookup): RecordFilter {
  if (!Array.isArray(term) || term.length !== 3 || typeof term[1] !== 'string') {
    throw valueError(`Invalid leaf ${pyRepr(term)}`);
  }
  const [path, rawOperator, value] = term as [unknown, string, unknown];
  if (typeof path === 'number') {
    // Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
    const truth = path === value;
    return () => truth;
  }
  if (typeof path !== 'string') throw valueError(`Invalid leaf ${pyRepr(term)}`);
  const operator = ALIASES[rawOperator.toLowerCase()] ?? rawOperator.toLowerCase();
  if (SUBDOMAIN.has(operator)) return compileAny(path, operator, value, model, lookup, term);
  if (UNSUPPORTED.has(operator)) {
    throw new OdooError('builtins.NotImplementedError', `The Odoo stand-in does not evaluate the operator ${pyRepr(operator)}`);
  }
  if (!COMPARISONS.has(operator) && !LIKES.has(operator)) {
    throw valueError(`Invalid operator ${pyRepr(rawOperator)} in condition ${pyTuple(term)}`);
  }
  const names = path.split('.');
  validatePath(names, model, lookup, term);
  return (record) => matchesPath(record, names, model, lookup, operator, value);
}

/**
 * `any` / `not any` as Odoo 19 runs them: a path `a.b` is `a any [(b, op, D)]`;
 * on `id`, `any D` is D and `not any D` is not D (`_optimize_any_domain`); on a
 * relational field, a record matches when one of its related records matches D
 * (`not any`: none does); on any other field Odoo refuses the condition.
 */
function compileAny(path: string, operator: string, value: unknown, model: DomainModel, lookup: ModelLookup, term: unknown[]): RecordFilter {
  const [name, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length) return compileAny(name, 'any', [[rest.join('.'), operator, value]], model, lookup, term);
  const negate = operator === 'not any';
  if (name === 'id') {
    const inner = compileDomain(value, model, lookup);
    return negate ? (record) => !inner(record) : inner;
  }
  const field = model.fields[name];
  if (!field) throw valueError(`Invalid field ${model.name}.${name} in condition ${pyTuple(term)}`);
  if (!field.relation) throw valueError(`Cannot use 'any' with non-relational fields in condition ${pyTuple(term)}`);
  const comodel = lookup(field.relation);
  if (!comodel) {
    throw new OdooError('builtins.NotImplementedError', `The Odoo stand-in holds no ${field.relation} records to evaluate ${pyTuple(term)}`);
  }
  const inner = compileDomain(value, comodel, lookup);
  return (record) => {
    const found = relatedIds(record[name]).some((id) => {
      const related = comodel.records.get(id);
      return related !== undefined && inner(related);
    });
    return negate ? !found : found;
  };
}

function validatePath(names: string[], model: DomainModel, lookup: ModelLookup, term: unknown[]): void {
  let current: DomainModel | undefined = model;
  for (const name of names) {
    if (!current) return; // a relation the stand-in holds no data for: only its id and name can be matched
    const field: FieldInfo | undefined = current.fields[name];
    if (!field) throw valueError(`Invalid field ${current.name}.${name} in condition ${pyTuple(term)}`);
    current = field.relation ? lookup(field.relation) : undefined;
  }
}

function matchesPath(record: OdooRecord, names: string[], model: DomainModel, lookup: ModelLookup, operator: string, value: unknown): boolean {
  const [name, ...rest] = names as [string, ...string[]];
  const field = model.fields[name]!;
  const raw = name === 'id' ? record.id : record[name];
  if (!rest.length) return matchesField(field, raw, operator, value, lookup);
  const related = relatedIds(raw);
  const comodel = field.relation ? lookup(field.relation) : undefined;
  if (!comodel) {
    const label = Array.isArray(raw) && typeof raw[1] === 'string' ? raw[1] : false;
    if (rest.length === 1 && rest[0] === 'id') return matchesScalar('integer', related[0] ?? null, operator, value);
    if (rest.length === 1 && (rest[0] === 'name' || rest[0] === 'display_name')) return matchesScalar('char', label || null, operator, value);
    return NEGATIVE.has(operator);
  }
  const matches = related.some((id) => {
    const target = comodel.records.get(id);
    return target !== undefined && matchesPath(target, rest, comodel, lookup, operator, value);
  });
  return matches || (NEGATIVE.has(operator) && related.length === 0);
}

function relatedIds(raw: unknown): number[] {
  if (Array.isArray(raw)) {
    if (raw.length === 2 && typeof raw[0] === 'number' && typeof raw[1] === 'string') return [raw[0]];
    return raw.filter((id): id is number => typeof id === 'number');
  }
  return typeof raw === 'number' ? [raw] : [];
}

function matchesField(field: FieldInfo, raw: unknown, operator: string, value: unknown, lookup: ModelLookup): boolean {
  const relational = field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many';
  const searchesByName = typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'));
  if (relational && (searchesByName || LIKES.has(operator))) {
    const comodel = field.relation ? lookup(field.relation) : undefined;
    if (comodel) return matchesByName(relatedIds(raw), comodel, operator, value);
  }
  if (field.type === 'many2one') {
    const pair = Array.isArray(raw) ? raw : null;
    // A relation the stand-in holds no records of: only the display name it stored can be matched.
    if (searchesByName || LIKES.has(operator)) return matchesScalar('char', pair ? pair[1] : null, operator, value);
    return matchesScalar('integer', pair ? pair[0] : null, operator, value);
  }
  if (field.type === 'one2many' || field.type === 'many2many') return matchesMany(relatedIds(raw), operator, value);
  if (field.type === 'boolean') return matchesScalar('boolean', raw === true, operator, value);
  return matchesScalar(field.type, raw === false || raw === undefined ? null : raw, operator, value);
}

/** `_rec_names_search` of the models whose name search reads more than their name (Odoo 19). */
const REC_NAMES_SEARCH: Record<string, string[]> = {
  'res.partner': ['complete_name', 'email', 'ref', 'vat', 'company_registry'],
  'res.users': ['name', 'login'],
};
const POSITIVE: Record<string, string> = { '!=': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' };

/**
 * Odoo 19 runs a relational field compared with text as a name search on the
 * related model (`_search_display_name`): a record matches when one of the
 * related records has a `_rec_names_search` field matching the text (for
 * res.partner its email, ref or vat too, not only its name). Archived related
 * records are not found, as in Odoo's default active_test. A negative operator
 * is the negation of the positive one, so an empty relation matches it.
 * Integers and false in a list keep comparing ids.
 */
function matchesByName(ids: number[], comodel: DomainModel, operator: string, value: unknown): boolean {
  const negative = operator in POSITIVE;
  const positive = POSITIVE[operator] ?? operator;
  const values = Array.isArray(value) ? value : [value];
  const texts = values.filter((v): v is string => typeof v === 'string');
  const wantedIds = values.filter((v): v is number => typeof v === 'number');
  const wantsEmpty = values.some((v) => v === false || v === null);
  const nameFields = REC_NAMES_SEARCH[comodel.name] ?? ['display_name', 'name'];
  const textValue = Array.isArray(value) ? texts : value;
  const byName = (id: number): boolean => {
    const target = comodel.records.get(id);
    if (!target || target.active === false || (texts.length === 0 && !LIKES.has(positive))) return false;
    return nameFields.some((name) => {
      const actual = name === 'complete_name' && target[name] === undefined ? target.name : target[name];
      return matchesScalar('char', actual === false || actual === undefined ? null : actual, positive, textValue);
    });
  };
  const hit = ids.some((id) => wantedIds.includes(id) || byName(id)) || (wantsEmpty && ids.length === 0);
  return negative ? !hit : hit;
}

function matchesMany(ids: number[], operator: string, value: unknown): boolean {
  const wanted = Array.isArray(value) ? value : [value];
  const overlaps = wanted.some((v) => (v === false ? ids.length === 0 : ids.includes(v as number)));
  if (operator === '=' || operator === 'in') return overlaps;
  if (operator === '!=' || operator === 'not in') return !overlaps;
  return false;
}

/** `actual` is null for an empty (SQL NULL) value; booleans are never null. */
function matchesScalar(type: string, actual: unknown, operator: string, value: unknown): boolean {
  switch (operator) {
    case '=':
      return equals(type, actual, value);
    case '!=':
      return !equals(type, actual, value);
    case 'in':
      return listOf(value).some((v) => equals(type, actual, v));
    case 'not in':
      return !listOf(value).some((v) => equals(type, actual, v));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compares(actual, operator, value);
    default:
      return likes(actual, operator, value);
  }
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function equals(type: string, actual: unknown, value: unknown): boolean {
  if (value === false || value === null) return type === 'boolean' ? actual === false : actual === null;
  return actual === value;
}

function compares(actual: unknown, operator: string, value: unknown): boolean {
  if (actual === null || value === null || value === false) return false;
  const bothNumbers = typeof actual === 'number' && typeof value === 'number';
  const left = bothNumbers ? actual : String(actual);
  const right = bothNumbers ? value : String(value);
  if (operator === '<') return left < right;
  if (operator === '<=') return left <= right;
  if (operator === '>') return left > right;
  return left >= right;
}

function likes(actual: unknown, operator: string, value: unknown): boolean {
  const negative = operator.startsWith('not ');
  if (actual === null) return negative;
  const insensitive = operator.endsWith('ilike');
  const wrap = !operator.startsWith('=');
  const matched = likePattern(String(value ?? ''), insensitive, wrap).test(String(actual));
  return negative ? !matched : matched;
}

/** SQL LIKE: % is any run, _ any one character, backslash escapes. Odoo's like/ilike wrap the value in %. */
function likePattern(pattern: string, insensitive: boolean, wrap: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
  }
  if (wrap) source = `.*${source}.*`;
  return new RegExp(`^${source}$`, insensitive ? 'is' : 's');
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
