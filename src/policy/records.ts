import { ALLOW, deny, type Decision } from './decision';
import { andDomains, recordIdsDomain, type Domain } from './domain';
import type { ModelAccess } from './models';

/**
 * The search that tells which of the requested ids lie inside the model's
 * scope domain, or null when the model has no domain and every id is in scope.
 * Run it with `active_test: false`: reading by id also returns archived
 * records, so the membership check must see them too.
 */
export function recordScopeDomain(access: Pick<ModelAccess, 'domain'>, ids: readonly number[]): Domain | null {
  if (access.domain === null || access.domain.length === 0) return null;
  return andDomains(recordIdsDomain(ids), access.domain);
}

/**
 * Refuses the whole call when any requested id is not among those the scoped
 * search found. A missing record and a record outside the scope look the same
 * on purpose: telling them apart would reveal which ids exist.
 */
export function checkRecordsInScope(model: string, requestedIds: readonly number[], idsInScope: readonly number[]): Decision {
  const inScope = new Set(idsInScope);
  const outside = [...new Set(requestedIds)].filter((id) => !inScope.has(id));
  if (outside.length > 0) return deny({ code: 'record_outside_scope', model, ids: outside });
  return ALLOW;
}
