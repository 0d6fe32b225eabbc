import type { OdooResult } from '../../odoo/client';
import { andDomains, fieldsInDomain, validateDomain } from '../../policy/domain';
import { checkDomainPaths } from '../../policy/domain-paths';
import { candidateRelationSearches, checkRelationSearches } from '../../policy/name-search';
import { checkRecordsInScope, recordScopeDomain } from '../../policy/records';
import { checkDomainFields, checkReadFields } from '../../policy/fields';
import { authorizeOperation, type ModelAccess } from '../../policy/models';
import type { Domain, Operation } from '../../policy/scope';
import type { CallEffect } from '../../policy/approvals';
import type { ToolContext, ToolOutcome } from './types';

type Guarded<T> = { ok: true; value: T } | { ok: false; outcome: ToolOutcome };

/** The scope check every tool runs before it talks to Odoo, whatever tools/list showed: the policy's own, tested one. */
export function requireOperation(ctx: ToolContext, model: string, operation: Operation): Guarded<ModelAccess> {
  const decision = authorizeOperation(ctx.principal.connection.scope, model, operation);
  return decision.effect === 'allow' ? { ok: true, value: decision.access } : { ok: false, outcome: { kind: 'denied', reason: decision.reason } };
}

/**
 * Validates the caller's domain, refuses conditions on fields the connection
 * may not read (a search on them would reveal their values), and ANDs in the
 * scope's own domain for the model.
 */
export function scopedDomain(access: ModelAccess, model: string, domain: unknown): Guarded<Domain> {
  const valid = validateDomain(domain);
  if (!valid.ok) return { ok: false, outcome: { kind: 'denied', reason: { code: 'invalid_domain', detail: valid.detail } } };
  const readable = checkDomainFields(access, model, valid.domain);
  if (readable.effect !== 'allow') return { ok: false, outcome: { kind: 'denied', reason: readable.reason } };
  return { ok: true, value: access.domain ? andDomains(valid.domain, access.domain) : valid.domain };
}

/**
 * Sorting ranks records by a field's values, which reveals them as surely as
 * a search does; each sort key becomes a condition so the same field and
 * relation checks apply to it.
 */
export function sortKeysAsDomain(order: string | undefined): Domain {
  if (order === undefined) return [];
  return order
    .split(',')
    .map((term) => term.trim().split(/\s+/)[0]!)
    .filter((field) => field.length > 0)
    .map((field) => [field, '!=', false]);
}

export function requireSortableFields(access: ModelAccess, model: string, order: string | undefined): Guarded<Domain> {
  const sorting = sortKeysAsDomain(order);
  const decision = checkDomainFields(access, model, sorting);
  return decision.effect === 'allow' ? { ok: true, value: sorting } : { ok: false, outcome: { kind: 'denied', reason: decision.reason } };
}

export function readableFields(access: ModelAccess, model: string, requested: string[] | undefined): Guarded<string[] | undefined> {
  const checked = checkReadFields(access, model, requested);
  if (!checked.ok) return { ok: false, outcome: { kind: 'denied', reason: checked.reason } };
  return { ok: true, value: checked.fields };
}

/**
 * Calls by id must stay inside the scope's domain for the model. This costs
 * one extra Odoo search, only when the scope sets a domain. Archived records
 * count too (reading by id returns them).
 */
export async function requireIdsInScope(
  ctx: ToolContext,
  access: ModelAccess,
  model: string,
  ids: number[],
): Promise<ToolOutcome | null> {
  const domain = recordScopeDomain(access, ids);
  if (!domain) return null;
  const found = await ctx.odoo.execute(model, 'search', { kwargs: { domain, context: { active_test: false } } });
  if (!found.ok) return { kind: 'odoo_error', failure: found.failure };
  const decision = checkRecordsInScope(model, ids, Array.isArray(found.value) ? (found.value as number[]) : []);
  return decision.effect === 'allow' ? null : { kind: 'denied', reason: decision.reason };
}

const MAX_PATH_DEPTH = 4;

/**
 * A condition through a relation (`partner_id.email`) searches the related
 * model: every model on the path must allow it as if searched directly. A
 * relational field compared with text (`['partner_id', 'ilike', 'acme']`), a
 * like-operator or `child_of` / `parent_of` makes Odoo search the related model
 * by name or hierarchy: it is checked by `checkRelationSearches`. The relations
 * come from fields_get, asked only when a domain has such a path or condition.
 */
export async function requireRelationPaths(ctx: ToolContext, model: string, domain: Domain): Promise<ToolOutcome | null> {
  const paths = fieldsInDomain(domain).filter((field) => field.includes('.'));
  const searches = candidateRelationSearches(domain);
  if (paths.length === 0 && searches.length === 0) return null;
  if (paths.some((path) => path.split('.').length > MAX_PATH_DEPTH)) {
    return { kind: 'denied', reason: { code: 'invalid_domain', detail: `paths through relations may have at most ${MAX_PATH_DEPTH} parts` } };
  }
  // Maps, not objects: a path segment such as 'constructor' must not find a property of Object.prototype.
  const relations = new Map<string, ReadonlyMap<string, string | null>>();
  const load = async (name: string): Promise<ToolOutcome | null> => {
    if (relations.has(name)) return null;
    const fields = await ctx.odoo.fieldsGet(name, ['relation']);
    if (!fields.ok) return { kind: 'odoo_error', failure: fields.failure };
    const map = new Map<string, string | null>();
    for (const [field, meta] of Object.entries(fields.value as Record<string, { relation?: unknown }>)) {
      map.set(field, typeof meta.relation === 'string' ? meta.relation : null);
    }
    relations.set(name, map);
    return null;
  };
  /** Loads the relations of every model the path crosses; with `last`, also of the model owning its last field. */
  const walk = async (path: string, last: boolean): Promise<ToolOutcome | null> => {
    const segments = path.split('.');
    let current = model;
    for (const segment of last ? segments : segments.slice(0, -1)) {
      const failed = await load(current);
      if (failed) return failed;
      const next = relations.get(current)!.get(segment);
      if (!next) break;
      current = next;
    }
    return null;
  };
  const comodelOf = (name: string, field: string) => relations.get(name)?.get(field) ?? null;
  const scope = ctx.principal.connection.scope;
  // A related model searched is queried as surely as by a search of its own: the approval gate charges `query` on it.
  const searched = (related: string) => {
    if (!ctx.effects.some((effect) => effect.model === related && effect.operation === 'query')) ctx.effects.push({ model: related, operation: 'query' });
  };
  for (const path of paths) {
    const failed = await walk(path, false);
    if (failed) return failed;
  }
  const throughPaths = checkDomainPaths(scope, model, domain, comodelOf, searched);
  if (throughPaths.effect !== 'allow') return { kind: 'denied', reason: throughPaths.reason };
  for (const search of searches) {
    const failed = await walk(search.path, true);
    if (failed) return failed;
  }
  const byName = checkRelationSearches(scope, model, domain, comodelOf, searched);
  return byName.effect === 'allow' ? null : { kind: 'denied', reason: byName.reason };
}

export function fromOdoo<T>(result: OdooResult<T>, onValue: (value: T) => ToolOutcome): ToolOutcome {
  return result.ok ? onValue(result.value) : { kind: 'odoo_error', failure: result.failure };
}

/**
 * The last step before a tool calls Odoo, after every scope check passed:
 * a call an approval rule matches (its own effects, or any nested write the
 * checks found) is stored for a person's OK and answered at once; Odoo never
 * sees it.
 */
export function holdForApproval(ctx: ToolContext, effects: readonly CallEffect[]): Promise<ToolOutcome | null> {
  return ctx.approvals.hold(effects, ctx.effects);
}
