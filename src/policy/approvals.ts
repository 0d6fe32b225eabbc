import type { Decision, DenialReason } from './decision';
import { matchesModelPattern } from './model-patterns';
import type { Operation } from './operations';
import { DEFAULT_APPROVAL_TTL_HOURS, type ApprovalRule, type Scope } from './scope';

/**
 * One thing a call does to Odoo, as the tool's checks saw it: the call's own
 * model and operation, and every effect on a related model that nested
 * x2many commands perform (with the fields they write).
 */
export interface CallEffect {
  model: string;
  operation: Operation;
  method?: string;
  /** Fields written, for create and write effects. */
  fields?: readonly string[];
  /** Records of the model the effect touches, when the call names them (nested [1|2|3|4, id] commands). */
  ids?: readonly number[];
  /**
   * The effect touches records the call does not name: a one2many's current lines, cleared or replaced
   * by [5], [6, 0, ids] or false. Which ones is known only when the call runs.
   */
  current?: boolean;
}

export interface ApprovalMatch {
  rule: ApprovalRule;
  /** The effect of the call the rule holds. */
  effect: CallEffect;
  /** Position of the rule in the scope's `approvals`. */
  index: number;
  /** Which part of the rule matched, in words: "delete on sale.order", "sale.order.action_confirm", "account.move.amount_total". */
  matched: string;
}

/** The three answers of the policy for a call: deny wins over needs approval, which wins over allow. */
export type CallDecision = { effect: 'allow' } | { effect: 'deny'; reason: DenialReason } | { effect: 'needs_approval'; match: ApprovalMatch };

/** The first rule (in scope order) that holds any effect of the call, or null. Pure. */
export function findApprovalRule(scope: Scope, effects: readonly CallEffect[]): ApprovalMatch | null {
  return findApprovalRules(scope, effects)[0] ?? null;
}

/** Every (rule, effect) pair that holds, rules in scope order, each matched text once. Pure. */
export function findApprovalRules(scope: Scope, effects: readonly CallEffect[]): ApprovalMatch[] {
  const matches: ApprovalMatch[] = [];
  for (const [index, rule] of (scope.approvals ?? []).entries()) {
    for (const effect of effects) {
      const matched = matchEffect(rule, effect);
      if (matched !== null && !matches.some((match) => match.matched === matched)) matches.push({ rule, effect, index, matched });
    }
  }
  return matches;
}

function matchEffect(rule: ApprovalRule, effect: CallEffect): string | null {
  if (!rule.models.some((pattern) => matchesModelPattern(pattern, effect.model))) return null;
  if (rule.operations?.includes(effect.operation)) return `${effect.operation} on ${effect.model}`;
  if (effect.operation === 'execute' && effect.method !== undefined && rule.methods?.includes(effect.method)) return `${effect.model}.${effect.method}`;
  if ((effect.operation === 'create' || effect.operation === 'write') && rule.write_fields !== undefined) {
    const field = effect.fields?.find((name) => rule.write_fields!.includes(name));
    if (field !== undefined) return `${effect.model}.${field} written`;
  }
  return null;
}

/** Combines the scope's verdict with the approval rules: a denied call is denied, never held. */
export function decideCall(scopeDecision: Decision, scope: Scope, effects: readonly CallEffect[]): CallDecision {
  if (scopeDecision.effect !== 'allow') return scopeDecision;
  const match = findApprovalRule(scope, effects);
  return match === null ? { effect: 'allow' } : { effect: 'needs_approval', match };
}

export function approvalTtlMs(scope: Scope): number {
  return Math.round((scope.approval_ttl_hours ?? DEFAULT_APPROVAL_TTL_HOURS) * 3_600_000);
}
