import { ALLOW, deny, type Decision, type DenialReason } from './decision';
import type { Domain } from './domain';
import { firstMatchingPattern, mostSpecificWildcard } from './model-patterns';
import { OPERATIONS, PRESET_OPERATIONS, type Operation } from './operations';
import { isPrivateMethod, reservedMethod } from './orm-methods';
import { ruleLimits, type ModelRule, type Scope } from './scope';
import { isSensitiveModel, SENSITIVE_DELETES, sensitiveMethodReason } from './sensitive-models';

export { matchesModelPattern } from './model-patterns';

export type ModelAccess = {
  allowed: true;
  operations: ReadonlySet<Operation>;
  readFields: readonly string[] | null;
  writeFields: readonly string[] | null;
  domain: Domain | null;
  methods: readonly string[] | null;
  /** The `models` key that granted access, or null when the scope has no `models`. */
  pattern: string | null;
};

export type ModelResolution = ModelAccess | { allowed: false; reason: DenialReason };

const MODEL_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const METHOD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function topLevelOperations(scope: Scope): ReadonlySet<Operation> {
  if (scope.preset === 'custom') return new Set(scope.operations ?? []);
  return new Set(PRESET_OPERATIONS[scope.preset]);
}

function ruleOperations(scope: Scope, rule: ModelRule): Set<Operation> {
  const top = topLevelOperations(scope);
  if (rule.operations === undefined) return new Set(top);
  return new Set(rule.operations.filter((operation) => top.has(operation)));
}

/** Operations at least one model could use: decides which tools are listed, never whether a call runs. */
export function reachableOperations(scope: Scope): ReadonlySet<Operation> {
  if (scope.models === undefined) return topLevelOperations(scope);
  const reachable = new Set<Operation>();
  for (const rule of Object.values(scope.models)) {
    for (const operation of ruleOperations(scope, rule)) reachable.add(operation);
  }
  return new Set(OPERATIONS.filter((operation) => reachable.has(operation)));
}

/**
 * Exact keys of `models` win over everything, including `deny_models` and the
 * sensitive list: naming a model exactly is the one deliberate way to reach it.
 * Wildcards and the absence of `models` never reach a denied or sensitive model.
 */
export function resolveModelAccess(scope: Scope, model: string): ModelResolution {
  if (!MODEL_NAME.test(model)) return { allowed: false, reason: { code: 'model_not_allowed', model } };
  const models = scope.models;
  if (models !== undefined && Object.hasOwn(models, model)) return grant(scope, model, models[model] ?? {});
  if (isSensitiveModel(model)) return { allowed: false, reason: { code: 'sensitive_model', model } };
  const denyingPattern = firstMatchingPattern(scope.deny_models ?? [], model);
  if (denyingPattern !== undefined) {
    return { allowed: false, reason: { code: 'model_denied', model, pattern: denyingPattern } };
  }
  if (models === undefined) return grant(scope, null, {});
  const wildcard = mostSpecificWildcard(Object.keys(models), model);
  const pattern = wildcard ?? (Object.hasOwn(models, '*') ? '*' : undefined);
  if (pattern === undefined) return { allowed: false, reason: { code: 'model_not_allowed', model } };
  return grant(scope, pattern, models[pattern] ?? {});
}

function grant(scope: Scope, pattern: string | null, rule: ModelRule): ModelAccess {
  return {
    allowed: true,
    operations: ruleOperations(scope, rule),
    readFields: rule.read_fields ?? null,
    writeFields: rule.write_fields ?? null,
    domain: rule.domain ?? null,
    methods: rule.methods ?? null,
    pattern,
  };
}

/** Allowed, with what the scope grants on the model (the tools go on to check fields and records with it), or denied with the reason. */
export type OperationDecision = { effect: 'allow'; access: ModelAccess } | { effect: 'deny'; reason: DenialReason };

/** Whether the scope lets `operation` run on `model`: the check every tool runs before it talks to Odoo. */
export function authorizeOperation(scope: Scope, model: string, operation: Operation): OperationDecision {
  const access = resolveModelAccess(scope, model);
  if (!access.allowed) return { effect: 'deny', reason: access.reason };
  if (!access.operations.has(operation)) return { effect: 'deny', reason: { code: 'operation_not_allowed', operation, model } };
  if (operation === 'delete' && Object.hasOwn(SENSITIVE_DELETES, model) && access.pattern !== model) return { effect: 'deny', reason: { code: 'sensitive_delete', model } };
  return { effect: 'allow', access };
}

/**
 * A method does whatever its Python code does, so the scope cannot see which
 * fields or records it reads or writes. Three lines keep `call_method` inside
 * the scope: methods that read or write caller-chosen fields or records are
 * reserved for the tools that apply the limits, on every model; on a model
 * whose entry limits fields or records only the methods the entry names may
 * run; methods that change how users sign in need the model named exactly and
 * the method in its `methods`.
 */
export function authorizeMethod(scope: Scope, model: string, method: string): Decision {
  // Odoo refuses `_` methods over RPC too; refusing here keeps the answer the same on every Odoo version.
  if (isPrivateMethod(method)) return deny({ code: 'private_method', model, method });
  const access = resolveModelAccess(scope, model);
  if (!access.allowed) return deny(access.reason);
  if (!access.operations.has('execute')) return deny({ code: 'operation_not_allowed', operation: 'execute', model });
  const reserved = reservedMethod(method);
  if (reserved !== undefined) {
    return deny('helper' in reserved ? { code: 'method_reserved', model, method } : { code: 'method_reserved', model, method, operation: reserved.operation, tool: reserved.tool });
  }
  const allowed = access.methods;
  if (!METHOD_NAME.test(method) || (allowed !== null && !allowed.includes(method))) {
    return deny({ code: 'method_not_allowed', model, method, allowed: [...(allowed ?? [])] });
  }
  if (allowed === null) {
    const limits = accessLimits(access);
    if (limits.length > 0) return deny({ code: 'method_not_allowed', model, method, allowed: [], limits });
  }
  if (sensitiveMethodReason(model, method) !== undefined && !(access.pattern === model && allowed !== null)) {
    return deny({ code: 'sensitive_method', model, method });
  }
  return ALLOW;
}

/** The field and record limits of the entry that granted access (the same test the scope's validation applies). */
export function accessLimits(access: ModelAccess): string[] {
  return ruleLimits({
    ...(access.readFields === null ? {} : { read_fields: [...access.readFields] }),
    ...(access.writeFields === null ? {} : { write_fields: [...access.writeFields] }),
    ...(access.domain === null ? {} : { domain: access.domain as unknown[] }),
  });
}
