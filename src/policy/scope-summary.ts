import { sortOperations } from './operations';
import type { Scope } from './scope';

const PRESET_LABELS = { full: 'Full access', read_only: 'Read only' } as const;

/** One line for connection lists: "Read only", "Full access on 2 models", "Custom: query, read, create on 3 models". */
export function summarizeScope(scope: Scope): string {
  const base =
    scope.preset === 'custom' ? `Custom: ${sortOperations(scope.operations ?? []).join(', ')}` : PRESET_LABELS[scope.preset];
  const modelCount = scope.models === undefined ? 0 : Object.keys(scope.models).length;
  if (scope.models === undefined) return base;
  return `${base} on ${modelCount} model${modelCount === 1 ? '' : 's'}`;
}
