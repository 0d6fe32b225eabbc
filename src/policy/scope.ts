import { z } from 'zod';
import { validateDomain } from './domain';
import { parseCidrDetailed } from './network';
import { OPERATIONS, PRESETS, PRESET_OPERATIONS } from './operations';
import { isPrivateMethod, reservedMethod } from './orm-methods';
import { DAYS, isValidTimeZone } from './calendar';

export { PRESET_OPERATIONS, type Operation } from './operations';
export { SENSITIVE_MODELS, SENSITIVE_MODEL_REASONS } from './sensitive-models';
export type { Domain } from './domain';

/**
 * Odoo model names are lower case: `check_object_name` (odoo/orm/utils.py)
 * accepts only `^[a-z0-9_.]+$`, and the ORM never matches `Sale.Order` to
 * `sale.order`. A pattern with an upper-case letter can never match, so a
 * deny list or approval rule holding one would fail open: refuse it.
 */
const MODEL_PATTERN = /^[a-z0-9_*]+(\.[a-z0-9_*]+)*$/;
/**
 * Field names: Odoo checks custom fields with `check_pg_name`
 * (`^[a-z_][a-z0-9_$]*$`, case-insensitive), and Python fields are
 * identifiers, so upper case is allowed and kept here.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOCK_TIME_OR_MIDNIGHT = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const operationSchema = z.enum(OPERATIONS, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown operation '${issue.input}'`
      : `operation must be one of ${OPERATIONS.join(', ')}`,
});

const modelPatternSchema = z.string().check((context) => {
  const pattern = context.value;
  if (MODEL_PATTERN.test(pattern)) return;
  const message = MODEL_PATTERN.test(pattern.toLowerCase())
    ? `'${pattern}' can never match: Odoo model names are lower case (use '${pattern.toLowerCase()}')`
    : `'${pattern}' is not a model name or pattern such as 'sale.order' or 'sale.*'`;
  context.issues.push({ code: 'custom', input: pattern, message });
});

const fieldNameSchema = z
  .string()
  .regex(IDENTIFIER, { error: (issue) => `'${String(issue.input)}' is not a field name` });

const methodNameSchema = z.string().check((context) => {
  const method = context.value;
  const reserved = reservedMethod(method);
  if (method.includes('*')) {
    context.issues.push({ code: 'custom', input: method, message: `'${method}': methods takes method names, not patterns (name each method call_method may call)` });
  } else if (!IDENTIFIER.test(method)) {
    context.issues.push({ code: 'custom', input: method, message: `'${method}' is not a method name` });
  } else if (isPrivateMethod(method)) {
    context.issues.push({ code: 'custom', input: method, message: `'${method}' is private and can never be called` });
  } else if (reserved !== undefined && 'helper' in reserved) {
    context.issues.push({ code: 'custom', input: method, message: `'${method}' ${reserved.helper}, so it is never callable as a method` });
  } else if (reserved !== undefined) {
    context.issues.push({
      code: 'custom',
      input: method,
      message: `'${method}' reads or writes fields or records of the caller's choosing, so it is never callable as a method: grant the '${reserved.operation}' operation instead (tool ${reserved.tool})`,
    });
  }
});

const domainSchema = z.array(z.unknown()).check((context) => {
  const result = validateDomain(context.value);
  if (!result.ok) context.issues.push({ code: 'custom', input: context.value, message: result.detail });
});

const cidrSchema = z.string().check((context) => {
  const parsed = parseCidrDetailed(context.value);
  if (!parsed.ok) context.issues.push({ code: 'custom', input: context.value, message: parsed.message });
});

const timeZoneSchema = z.string().check((context) => {
  if (!isValidTimeZone(context.value)) {
    context.issues.push({ code: 'custom', input: context.value, message: `unknown time zone '${context.value}'` });
  }
});

export const modelRuleSchema = z.strictObject({
  operations: z.array(operationSchema).optional(),
  read_fields: z.array(fieldNameSchema).optional(),
  write_fields: z.array(fieldNameSchema).optional(),
  domain: domainSchema.optional(),
  methods: z.array(methodNameSchema).optional(),
});

export const timeWindowSchema = z.strictObject({
  days: z
    .array(z.enum(DAYS, { error: (issue) => `unknown day '${String(issue.input)}' (use mon, tue, wed, thu, fri, sat, sun)` }))
    .min(1, { error: 'days must not be empty' }),
  start: z.string().regex(CLOCK_TIME, { error: 'start must be HH:MM' }),
  end: z.string().regex(CLOCK_TIME_OR_MIDNIGHT, { error: 'end must be HH:MM' }),
  tz: timeZoneSchema,
});

export const rateLimitSchema = z.strictObject({
  requests: z.int().min(1, { error: 'requests must be at least 1' }),
  per_seconds: z.int().min(1, { error: 'per_seconds must be at least 1' }).max(86400, { error: 'per_seconds must be at most 86400 (one day)' }),
});

/**
 * A rule that holds matching calls for a person's approval. It matches a call
 * on a model its patterns cover (the wildcard rules of `models`) that uses one
 * of its operations, calls one of its methods, or writes one of its fields.
 */
export const approvalRuleSchema = z
  .strictObject({
    models: z.array(modelPatternSchema).min(1, { error: 'models must name at least one model or pattern' }),
    operations: z.array(operationSchema).min(1, { error: 'operations must not be empty (leave it out)' }).optional(),
    methods: z.array(methodNameSchema).min(1, { error: 'methods must not be empty (leave it out)' }).optional(),
    write_fields: z.array(fieldNameSchema).min(1, { error: 'write_fields must not be empty (leave it out)' }).optional(),
  })
  .check((context) => {
    const rule = context.value;
    if (rule.operations === undefined && rule.methods === undefined && rule.write_fields === undefined) {
      context.issues.push({ code: 'custom', input: rule, message: 'an approval rule needs operations, methods or write_fields: what should wait for approval?' });
    }
  });

/** Approval TTL bounds, in hours: 15 minutes to 7 days. */
export const MIN_APPROVAL_TTL_HOURS = 0.25;
export const MAX_APPROVAL_TTL_HOURS = 168;
export const DEFAULT_APPROVAL_TTL_HOURS = 24;

export const scopeSchema = z
  .strictObject({
    preset: z.enum(PRESETS, {
      error: (issue) =>
        issue.input === undefined ? `preset is required (${PRESETS.join(', ')})` : `preset must be one of ${PRESETS.join(', ')}`,
    }),
    operations: z.array(operationSchema).optional(),
    models: z.record(modelPatternSchema, modelRuleSchema).optional(),
    deny_models: z.array(modelPatternSchema).optional(),
    ip_allow: z.array(cidrSchema).min(1, { error: 'ip_allow must not be empty (leave it out to allow every IP)' }).optional(),
    time_windows: z
      .array(timeWindowSchema)
      .min(1, { error: 'time_windows must not be empty (leave it out to allow every hour)' })
      .optional(),
    rate_limit: rateLimitSchema.optional(),
    approvals: z.array(approvalRuleSchema).max(50, { error: 'at most 50 approval rules' }).optional(),
    approval_ttl_hours: z
      .number()
      .min(MIN_APPROVAL_TTL_HOURS, { error: 'approval_ttl_hours must be at least 0.25 (15 minutes)' })
      .max(MAX_APPROVAL_TTL_HOURS, { error: 'approval_ttl_hours must be at most 168 (7 days)' })
      .optional(),
  })
  .check((context) => {
    const scope = context.value;
    if (scope.preset === 'custom' && scope.operations === undefined) {
      context.issues.push({ code: 'custom', input: scope, path: ['operations'], message: "operations is required with preset 'custom'" });
    } else if (scope.preset === 'custom' && scope.operations?.length === 0) {
      context.issues.push({ code: 'custom', input: scope, path: ['operations'], message: 'operations must not be empty' });
    } else if (scope.preset !== 'custom' && scope.operations !== undefined) {
      context.issues.push({
        code: 'custom',
        input: scope,
        path: ['operations'],
        message: `operations is only allowed with preset 'custom' (preset '${scope.preset}' fixes them)`,
      });
    }
    // A method returns and writes whatever its code does: where an entry limits fields or records,
    // call_method may only run the methods the entry names, so the limits cannot be stepped around.
    for (const [pattern, rule] of Object.entries(scope.models ?? {})) {
      const limits = ruleLimits(rule);
      if (limits.length === 0 || rule.methods !== undefined || !ruleGrantsExecute(scope, rule)) continue;
      context.issues.push({
        code: 'custom',
        input: scope,
        path: ['models', pattern, 'methods'],
        message: `'${pattern}' limits ${limits.join(', ')} and allows 'execute', so call_method may only call the methods named here: list them in methods ([] for none), or leave 'execute' out of its operations`,
      });
    }
    scope.deny_models?.forEach((pattern, index) => {
      if (scope.models !== undefined && Object.hasOwn(scope.models, pattern)) {
        context.issues.push({
          code: 'custom',
          input: scope,
          path: ['deny_models', index],
          message: `'${pattern}' is both denied and named in models; remove one of them`,
        });
      }
    });
  });

/** The limits a model entry puts on fields or records; an empty `domain` limits nothing. */
export function ruleLimits(rule: Pick<z.infer<typeof modelRuleSchema>, 'read_fields' | 'write_fields' | 'domain'>): string[] {
  const limits: string[] = [];
  if (rule.read_fields !== undefined) limits.push('read_fields');
  if (rule.write_fields !== undefined) limits.push('write_fields');
  if (rule.domain !== undefined && rule.domain.length > 0) limits.push('domain');
  return limits;
}

function ruleGrantsExecute(
  scope: { preset: (typeof PRESETS)[number]; operations?: readonly string[] | undefined },
  rule: { operations?: readonly string[] | undefined },
): boolean {
  const top: readonly string[] = scope.preset === 'custom' ? (scope.operations ?? []) : PRESET_OPERATIONS[scope.preset];
  return top.includes('execute') && (rule.operations === undefined || rule.operations.includes('execute'));
}

export type Scope = z.infer<typeof scopeSchema>;
export type ModelRule = z.infer<typeof modelRuleSchema>;
export type TimeWindow = z.infer<typeof timeWindowSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type RateLimitRule = z.infer<typeof rateLimitSchema>;

export type ScopeIssue = { path: string; message: string };

export type ScopeParse = { ok: true; scope: Scope } | { ok: false; issues: ScopeIssue[] };

export function parseScope(input: unknown): ScopeParse {
  const result = scopeSchema.safeParse(input);
  if (result.success) return { ok: true, scope: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toScopeIssues) };
}

function toScopeIssues(issue: z.core.$ZodIssue): ScopeIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: `unrecognized key '${key}'` }));
  }
  if (issue.code === 'invalid_key') {
    return [{ path: joinPath(issue.path), message: issue.issues[0]?.message ?? issue.message }];
  }
  return [{ path: joinPath(issue.path), message: issue.message }];
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
