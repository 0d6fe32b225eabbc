import type { z } from 'zod';
import { readBodyWithLimit } from '../http/body';
import { ApiError } from '../http/errors';
import { parseScope, type Scope } from '../policy/scope';

export type Issue = { path: string; message: string };

export function invalid(message: string, issues: Issue[]): ApiError {
  return new ApiError('validation_failed', message, { issues });
}

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, message: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalid(message, parsed.error.issues.flatMap(toIssues));
}

/** One issue per unknown field, named by its own path, so a client sees exactly which field to drop. */
function toIssues(issue: z.core.$ZodIssue): Issue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...issue.path, key].map(String).join('.'), message: `unknown field '${key}'` }));
  }
  return [{ path: issue.path.map(String).join('.'), message: issue.message }];
}

export function parseScopeOrThrow(input: unknown): Scope {
  const scope = parseScope(input);
  if (scope.ok) return scope.scope;
  throw invalid(
    'The scope is invalid.',
    scope.issues.map((issue) => ({ path: issue.path ? `scope.${issue.path}` : 'scope', message: issue.message })),
  );
}

/** Query parameters as one value each; a repeated parameter is refused rather than silently narrowed to one. */
export function singleQueryValues(url: string): Record<string, string> {
  const values: Record<string, string> = {};
  const repeated: Issue[] = [];
  for (const [name, value] of new URL(url).searchParams) {
    if (Object.hasOwn(values, name)) repeated.push({ path: name, message: 'give this parameter once' });
    values[name] = value;
  }
  if (repeated.length > 0) throw invalid('The query is invalid.', repeated);
  return values;
}

/** Action routes (rotate, revoke, ...) take an optional JSON body: an empty body, with or without a Content-Type, reads as {}. */
export async function readOptionalJsonBody(request: Request): Promise<unknown> {
  const body = await readBodyWithLimit(request, 16 * 1024);
  if (!body.ok) {
    throw body.problem === 'too_large'
      ? new ApiError('payload_too_large', 'The body exceeds 16 KiB.')
      : new ApiError('invalid_json', 'The body is not valid UTF-8.');
  }
  if (body.text.trim() === '') return {};
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  try {
    return JSON.parse(body.text);
  } catch (error) {
    throw new ApiError('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
