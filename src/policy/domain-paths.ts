import { ALLOW, deny, type Decision } from './decision';
import { fieldsInDomain, type Domain } from './domain';
import { checkReadFields } from './fields';
import { resolveModelAccess } from './models';
import type { Scope } from './scope';

/** Tells which model a relational field points to; null for other fields. Built by the caller from `fields_get`. */
export type RelationResolver = (model: string, field: string) => string | null;

/** Told of each related model a domain makes Odoo search, once its check allowed it: the approval gate charges `query` on it. */
export type SearchedModel = (model: string) => void;

/**
 * A domain like `[['partner_id.email', '=', x]]` on sale.order reads
 * res.partner one guess at a time. Each model a path walks through must allow
 * `query` and have the next field readable, as if it were searched directly.
 * A related model whose scope has a `domain` is refused outright: the path
 * would match its records outside that domain, which a direct search never sees.
 * `searched` hears of every related model a path searches (after it was allowed).
 */
export function checkDomainPaths(scope: Scope, model: string, domain: Domain, comodelOf: RelationResolver, searched?: SearchedModel): Decision {
  for (const path of fieldsInDomain(domain)) {
    const decision = checkPath(scope, model, path.split('.'), comodelOf, searched);
    if (decision.effect !== 'allow') return decision;
  }
  return ALLOW;
}

function checkPath(scope: Scope, rootModel: string, segments: readonly string[], comodelOf: RelationResolver, searched?: SearchedModel): Decision {
  let model = rootModel;
  for (const [index, field] of segments.entries()) {
    const access = resolveModelAccess(scope, model);
    if (!access.allowed) return deny(access.reason);
    if (index > 0 && !access.operations.has('query')) return deny({ code: 'operation_not_allowed', operation: 'query', model });
    if (index > 0 && access.domain !== null && access.domain.length > 0) {
      return deny({ code: 'relation_outside_scope', model: rootModel, path: segments.join('.'), target: model });
    }
    const readable = checkReadFields(access, model, [field]);
    if (!readable.ok) return deny(readable.reason);
    if (index > 0) searched?.(model);
    const next = comodelOf(model, field);
    if (next === null) return ALLOW;
    model = next;
  }
  return ALLOW;
}
