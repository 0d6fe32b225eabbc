/** An Odoo domain in prefix (Polish) notation, as JSON: conditions and '&', '|', '!'. */
export type Domain = unknown[];

export type DomainValidation = { ok: true; domain: Domain } | { ok: false; detail: string };

const LOGICAL_ARITY: ReadonlyMap<unknown, number> = new Map([['&', 2], ['|', 2], ['!', 1]]);

/** The condition operators Odoo accepts in a domain list (Odoo 19 adds the `not =like` family). */
export const DOMAIN_OPERATORS = [
  '=', '!=', '<>', '==', '<', '>', '<=', '>=', '=?',
  'in', 'not in',
  'like', 'not like', 'ilike', 'not ilike',
  '=like', 'not =like', '=ilike', 'not =ilike',
  'child_of', 'parent_of',
  'any', 'not any',
] as const;

const OPERATOR_SET: ReadonlySet<string> = new Set(DOMAIN_OPERATORS);
const SUBDOMAIN_OPERATORS: ReadonlySet<string> = new Set(['any', 'not any']);
const LIST_OPERATORS: ReadonlySet<string> = new Set(['in', 'not in']);
// `any!` searches the related model without its record rules: never from a client.
const RULE_BYPASSING_OPERATORS: ReadonlySet<string> = new Set(['any!', 'not any!']);

const TRUE_LEAF = [1, '=', 1] as const;
const FALSE_LEAF = [0, '=', 1] as const;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_TERMS = 1000;
const MAX_NESTING = 8;

class DomainError extends Error {}

export function validateDomain(domain: unknown): DomainValidation {
  try {
    const budget = { terms: 0 };
    return { ok: true, domain: checkDomainList(domain, 'domain', 0, budget) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, detail: error.message };
    throw error;
  }
}

function checkDomainList(list: unknown, where: string, nesting: number, budget: { terms: number }): Domain {
  if (!Array.isArray(list)) throw new DomainError(`${where} must be a list of conditions and '&', '|', '!' operators`);
  if (nesting > MAX_NESTING) throw new DomainError(`${where} nests 'any' deeper than ${MAX_NESTING} levels`);
  budget.terms += list.length;
  if (budget.terms > MAX_TERMS) throw new DomainError(`domain has more than ${MAX_TERMS} terms`);
  const terms = list.map((term, index) => checkTerm(term, `${where}[${index}]`, nesting, budget));
  checkArity(terms, where);
  return terms;
}

function checkTerm(term: unknown, where: string, nesting: number, budget: { terms: number }): unknown {
  if (typeof term === 'string') {
    if (LOGICAL_ARITY.has(term)) return term;
    throw new DomainError(`${where}: '${term}' is not a logical operator (use '&', '|' or '!')`);
  }
  if (term === true) return [...TRUE_LEAF];
  if (term === false) return [...FALSE_LEAF];
  if (!Array.isArray(term)) {
    throw new DomainError(`${where} must be a condition [field, operator, value] or one of '&', '|', '!'`);
  }
  if (term.length !== 3) throw new DomainError(`${where} must have exactly 3 elements [field, operator, value]`);
  if (isTrivialLeaf(term)) return [...term];
  const [field, operator, value] = term as [unknown, unknown, unknown];
  if (typeof field !== 'string' || !FIELD_PATH.test(field)) {
    throw new DomainError(`${where}: field must be a field name such as 'name' or 'partner_id.name'`);
  }
  if (typeof operator !== 'string') throw new DomainError(`${where}: operator must be a string`);
  if (RULE_BYPASSING_OPERATORS.has(operator)) {
    throw new DomainError(`${where}: operator '${operator}' skips record rules and is not accepted`);
  }
  if (!OPERATOR_SET.has(operator)) throw new DomainError(`${where}: unknown operator '${operator}'`);
  if (SUBDOMAIN_OPERATORS.has(operator)) {
    return [field, operator, checkDomainList(value, `${where}[2]`, nesting + 1, budget)];
  }
  checkValue(value, operator, where);
  return [field, operator, value];
}

function isTrivialLeaf(term: unknown[]): boolean {
  const [left, operator, right] = term;
  return operator === '=' && right === 1 && (left === 1 || left === 0);
}

function checkValue(value: unknown, operator: string, where: string): void {
  if (Array.isArray(value)) {
    if (!value.every(isScalar)) throw new DomainError(`${where}: a list value may only hold strings, numbers, booleans and null`);
    return;
  }
  if (LIST_OPERATORS.has(operator)) throw new DomainError(`${where}: operator '${operator}' needs a list value`);
  if (!isScalar(value)) throw new DomainError(`${where}: value must be a string, number, boolean, null or a list of those`);
}

function isScalar(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}

function checkArity(terms: readonly unknown[], where: string): void {
  let index = 0;
  const readExpression = (): void => {
    const position = index;
    const term = terms[index];
    index += 1;
    const arity = LOGICAL_ARITY.get(term) ?? 0;
    for (let operand = 0; operand < arity; operand += 1) {
      if (index >= terms.length) {
        throw new DomainError(`${where}[${position}]: '${String(term)}' needs ${arity} operand${arity > 1 ? 's' : ''}`);
      }
      readExpression();
    }
  };
  while (index < terms.length) readExpression();
}

/** Adds the '&' that Odoo implies between consecutive top-level expressions. */
export function normalizeDomain(domain: Domain): Domain {
  if (domain.length === 0) return [];
  const result: unknown[] = [];
  let expected = 1;
  for (const term of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    const arity = LOGICAL_ARITY.get(term) ?? 0;
    expected += arity - 1;
    result.push(term);
  }
  return result;
}

/**
 * The conjunction of the given domains. Each one is normalized into a single
 * expression first, so a domain that uses '|' keeps its meaning instead of
 * having its first operand stolen by the conjunction.
 */
export function andDomains(...domains: Domain[]): Domain {
  const parts = domains.filter((domain) => domain.length > 0).map(normalizeDomain);
  if (parts.length === 0) return [];
  const conjunctions = Array.from({ length: parts.length - 1 }, () => '&');
  return [...conjunctions, ...parts.flat(1)];
}

/**
 * Every field path a domain filters on, with paths inside `any` prefixed by
 * their relation. `['id', 'any', D]` is D on the same model in Odoo 19 (and
 * `not any` is not D), so `id` adds no prefix: `['partner_id.id', 'any', D]`
 * reads D's fields on partner_id's model.
 */
export function fieldsInDomain(domain: Domain): string[] {
  const found = new Set<string>();
  const visit = (terms: readonly unknown[], prefix: string): void => {
    for (const term of terms) {
      if (!Array.isArray(term) || typeof term[0] !== 'string') continue;
      const path = prefix + term[0];
      found.add(path);
      if (SUBDOMAIN_OPERATORS.has(String(term[1])) && Array.isArray(term[2])) {
        visit(term[2], path === 'id' ? '' : path.endsWith('.id') ? path.slice(0, -2) : `${path}.`);
      }
    }
  };
  visit(domain, '');
  return [...found];
}

export function recordIdsDomain(ids: readonly number[]): Domain {
  return [['id', 'in', [...ids]]];
}
