import { ALLOW, deny, type Decision } from './decision';
import type { Domain } from './domain';
import type { SearchedModel } from './domain-paths';
import { resolveModelAccess } from './models';
import type { Scope } from './scope';

/**
 * Odoo 19 runs a condition that compares a relational field with text
 * (`['partner_id', 'ilike', 'acme']`, `['partner_id', '=', 'Acme Corporation']`,
 * `['partner_id', 'in', ['Acme']]`) as a name search on the related model:
 * `_search_display_name`, which matches every field of its `_rec_names_search`
 * (for res.partner: complete_name, email, ref, vat, company_registry), without
 * the gateway's scope domain for that model and past its `read_fields`.
 * `child_of` / `parent_of` also search the related model (its hierarchy, and
 * its names when given text). Such a condition is checked as a search on the
 * related model, reading those fields.
 */

/** `_rec_names_search` of the models whose name search reads more than their name. */
export const REC_NAMES_SEARCH: Readonly<Record<string, readonly string[]>> = {
  'res.partner': ['complete_name', 'email', 'ref', 'vat', 'company_registry'],
  'res.users': ['name', 'login'],
};

/**
 * `_parent_name` of the models whose hierarchy is not kept in `parent_id`, the
 * field `child_of` / `parent_of` walk (with sudo, past record rules) when the
 * condition is on `id` or on a relation to another model.
 */
export const PARENT_FIELDS: Readonly<Record<string, string>> = {
  'stock.location': 'location_id',
};

export function parentFieldOf(model: string): string {
  // Own keys only: a model name such as 'constructor' must not find Object.prototype.
  return Object.hasOwn(PARENT_FIELDS, model) ? PARENT_FIELDS[model]! : 'parent_id';
}

/** Any one of these readable is enough on a model not in the table: its name search reads its display name. */
const DEFAULT_NAME_FIELDS: readonly string[] = ['display_name', 'name'];

const LIKE_OPERATORS: ReadonlySet<string> = new Set(['like', 'not like', 'ilike', 'not ilike', '=like', 'not =like', '=ilike', 'not =ilike']);
const HIERARCHY_OPERATORS: ReadonlySet<string> = new Set(['child_of', 'parent_of']);
const SUBDOMAIN_OPERATORS: ReadonlySet<string> = new Set(['any', 'not any']);

/** The fields a name search on `model` matches, as documented in the refusal. */
export function nameSearchFields(model: string): readonly string[] {
  return Object.hasOwn(REC_NAMES_SEARCH, model) ? REC_NAMES_SEARCH[model]! : DEFAULT_NAME_FIELDS;
}

export type RelationSearchKind = 'name' | 'hierarchy' | null;

/**
 * How Odoo runs a condition on a relational field: `'name'` when it name-searches
 * the related model (a text value, a list holding text, a like-operator),
 * `'hierarchy'` for `child_of` / `parent_of` with ids, null when it compares
 * ids (integers, false, lists of integers) and stays on this model.
 */
export function classifyRelationalCondition(operator: string, value: unknown): RelationSearchKind {
  if (SUBDOMAIN_OPERATORS.has(operator)) return null;
  const holdsText = typeof value === 'string' || (Array.isArray(value) && value.some((item) => typeof item === 'string'));
  if (holdsText || LIKE_OPERATORS.has(operator)) return 'name';
  if (HIERARCHY_OPERATORS.has(operator)) return 'hierarchy';
  return null;
}

/** True when the condition would be a name or hierarchy search if its field turned out relational. */
export function mightSearchRelated(operator: string, value: unknown): boolean {
  return classifyRelationalCondition(operator, value) !== null;
}

export interface DomainCondition {
  /** The full path, with the relations of enclosing `any` conditions in front. */
  path: string;
  operator: string;
  value: unknown;
}

/**
 * Every condition of a domain, those inside `any` / `not any` included (the
 * `any` condition itself is not listed). Odoo 19 reads `['id', 'any', D]` as D
 * and `['id', 'not any', D]` as not D on the same model (`_optimize_any_domain`),
 * so the conditions of D belong to the model that holds `id`.
 */
export function conditionsInDomain(domain: Domain): DomainCondition[] {
  const found: DomainCondition[] = [];
  const visit = (terms: readonly unknown[], prefix: string): void => {
    for (const term of terms) {
      if (!Array.isArray(term) || term.length !== 3 || typeof term[0] !== 'string' || typeof term[1] !== 'string') continue;
      const path = prefix + term[0];
      if (SUBDOMAIN_OPERATORS.has(term[1])) {
        if (Array.isArray(term[2])) visit(term[2], subdomainPrefix(path));
        continue;
      }
      found.push({ path, operator: term[1], value: term[2] });
    }
  };
  visit(domain, '');
  return found;
}

/** The prefix of the paths inside `[path, 'any', D]`: `id` (or a path ending in `.id`) stands for the record itself. */
export function subdomainPrefix(path: string): string {
  if (path === 'id') return '';
  if (path.endsWith('.id')) return path.slice(0, -2);
  return `${path}.`;
}

/** The conditions that may search a related model, whatever their field turns out to be. */
export function candidateRelationSearches(domain: Domain): DomainCondition[] {
  return conditionsInDomain(domain).filter((condition) => mightSearchRelated(condition.operator, condition.value));
}

/** Tells which model a relational field points to; null for other fields. */
export type ComodelResolver = (model: string, field: string) => string | null;

/**
 * Checks every condition that Odoo would run as a search on a related model.
 * That model must allow `query`, must not be limited by a scope `domain` (the
 * search would match its records outside it), and a name search's fields must
 * be readable there. Paths are walked with `comodelOf`; a segment it cannot
 * resolve ends the walk (the path checks of `checkDomainPaths` cover those).
 * `searched` hears of every related model searched, once that search was allowed.
 */
export function checkRelationSearches(scope: Scope, model: string, domain: Domain, comodelOf: ComodelResolver, searched?: SearchedModel): Decision {
  for (const condition of candidateRelationSearches(domain)) {
    const kind = classifyRelationalCondition(condition.operator, condition.value);
    const segments = condition.path.split('.');
    let owner: string | null = model;
    for (const segment of segments.slice(0, -1)) {
      owner = owner === null ? null : comodelOf(owner, segment);
    }
    if (owner === null || kind === null) continue;
    const last = segments[segments.length - 1]!;
    const hierarchy = HIERARCHY_OPERATORS.has(condition.operator);
    // `child_of` / `parent_of` on `id` walk the model's own hierarchy (and name-search it for text).
    const target = last === 'id' ? (hierarchy ? owner : null) : comodelOf(owner, last);
    if (target === null) continue;
    // On a relation to its own model (`parent_id child_of 7`) the walk follows that field; otherwise `_parent_name`.
    const parentField = !hierarchy ? undefined : last !== 'id' && target === owner ? last : parentFieldOf(target);
    const decision = checkRelatedSearch(scope, model, condition, kind === 'name', parentField, target);
    if (decision.effect !== 'allow') return decision;
    searched?.(target);
  }
  return ALLOW;
}

function checkRelatedSearch(scope: Scope, model: string, condition: DomainCondition, byName: boolean, parentField: string | undefined, target: string): Decision {
  const fields = byName ? [...nameSearchFields(target)] : [];
  const refuse = (problem: 'not_searchable' | 'domain' | 'field', field?: string): Decision =>
    deny({
      code: 'relation_name_search',
      model,
      path: condition.path,
      operator: condition.operator,
      target,
      fields,
      ...(parentField === undefined ? {} : { parentField }),
      problem,
      ...(field === undefined ? {} : { field }),
    });
  const access = resolveModelAccess(scope, target);
  if (!access.allowed || !access.operations.has('query')) return refuse('not_searchable');
  if (access.domain !== null && access.domain.length > 0) return refuse('domain');
  if (access.readFields === null) return ALLOW;
  const readable = access.readFields;
  if (byName) {
    if (Object.hasOwn(REC_NAMES_SEARCH, target)) {
      const hidden = fields.find((field) => !readable.includes(field));
      if (hidden !== undefined) return refuse('field', hidden);
    } else if (!DEFAULT_NAME_FIELDS.some((field) => readable.includes(field))) {
      return refuse('field', DEFAULT_NAME_FIELDS[0]);
    }
  }
  // The walk reveals how records hang together: the parent field must be readable too.
  if (parentField !== undefined && !readable.includes(parentField)) return refuse('field', parentField);
  return ALLOW;
}
