import type { z } from 'zod';
import { createConnectionSchema, updateConnectionSchema } from '../admin/connection-schemas';
import { resolveValidity, type Validity } from '../connections/validity';
import { parseScope } from '../policy/scope';
import type { ValidationIssue } from './api-types';

/**
 * Every problem of a create or update body at once. The admin API checks
 * the body first and the scope only once the body passed, so a form sent as
 * it is would show its errors in layers, one submit each. The console runs
 * the API's own schema, scope parser and validity rule first (the same code,
 * so the same verdict, in the API's path/message shape) and sends the body
 * only when none of them finds anything; the API still decides.
 * `known` are the console's own issues: a path already named there is not
 * named twice, and a scope the console could not read is not judged.
 */
export function precheckCreateBody(body: Record<string, unknown>, known: ValidationIssue[], now: number): ValidationIssue[] {
  return precheck(createConnectionSchema, body, known, { notBefore: null, expiresAt: null }, now);
}

/** The same for PATCH: the validity given is judged against the connection's current one; a scope left out is not judged. */
export function precheckUpdateBody(body: Record<string, unknown>, known: ValidationIssue[], current: Validity, now: number): ValidationIssue[] {
  return precheck(updateConnectionSchema, body, known, current, now);
}

function precheck(
  schema: typeof createConnectionSchema | typeof updateConnectionSchema,
  body: Record<string, unknown>,
  known: ValidationIssue[],
  current: Validity,
  now: number,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parsed = schema.safeParse(body);
  if (parsed.success) {
    const validity = resolveValidity(parsed.data, current, now);
    if (!validity.ok) issues.push(validity.issue);
  } else {
    issues.push(...parsed.error.issues.map(fromZod));
  }
  if ('scope' in body && !known.some((issue) => issue.path === 'scope')) {
    const scope = parseScope(body.scope);
    if (!scope.ok) issues.push(...scope.issues.map((issue) => ({ path: issue.path ? `scope.${issue.path}` : 'scope', message: issue.message })));
  }
  const named = new Set(known.map((issue) => issue.path));
  return issues.filter((issue) => !named.has(issue.path));
}

function fromZod(issue: z.core.$ZodIssue): ValidationIssue {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}
