import { checkWriteFields } from '../../policy/fields';
import type { Operation } from '../../policy/scope';
import { requireIdsInScope, requireOperation } from './guard';
import type { ToolContext, ToolOutcome } from './types';

/** x2many commands that change records of the related model (Odoo's Command.create / update / delete). */
const NESTED_OPERATIONS: Readonly<Record<number, Operation>> = { 0: 'create', 1: 'write', 2: 'delete' };
const MAX_DEPTH = 3;

interface NestedCommand {
  field: string;
  operation: Operation;
  id?: number;
  values?: Record<string, unknown>;
}

/**
 * `order_line: [[0, 0, {...}]]` creates sale.order.line records through a
 * write on sale.order. Each such command must be allowed by the scope of the
 * related model as if it were a direct call: its operation, its writable
 * fields and its record domain. The relations come from one fields_get, only
 * when such commands are present.
 */
export async function requireNestedWrites(
  ctx: ToolContext,
  model: string,
  valuesList: readonly Record<string, unknown>[],
  depth = 0,
): Promise<ToolOutcome | null> {
  const commands = valuesList.flatMap(nestedCommands);
  if (commands.length === 0) return null;
  if (depth >= MAX_DEPTH) return { kind: 'invalid', message: `nested record commands may be at most ${MAX_DEPTH} levels deep` };
  const fields = await ctx.odoo.fieldsGet(model, ['relation']);
  if (!fields.ok) return { kind: 'odoo_error', failure: fields.failure };
  const relations = fields.value as Record<string, { relation?: string }>;
  const nestedValues = new Map<string, Record<string, unknown>[]>();
  for (const command of commands) {
    const comodel = relations[command.field]?.relation;
    // An unknown field is Odoo's to refuse; it changes no other model.
    if (!comodel) continue;
    const access = requireOperation(ctx, comodel, command.operation);
    if (!access.ok) return access.outcome;
    if (command.values) {
      const writable = checkWriteFields(access.value, comodel, [command.values]);
      if (writable.effect !== 'allow') return { kind: 'denied', reason: writable.reason };
      nestedValues.set(comodel, [...(nestedValues.get(comodel) ?? []), command.values]);
    }
    if (command.id !== undefined) {
      const outside = await requireIdsInScope(ctx, access.value, comodel, [command.id]);
      if (outside) return outside;
    }
  }
  for (const [comodel, values] of nestedValues) {
    const refused = await requireNestedWrites(ctx, comodel, values, depth + 1);
    if (refused) return refused;
  }
  return null;
}

function nestedCommands(values: Record<string, unknown>): NestedCommand[] {
  const found: NestedCommand[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (!Array.isArray(value)) continue;
    for (const command of value) {
      if (!Array.isArray(command) || typeof command[0] !== 'number') continue;
      const operation = NESTED_OPERATIONS[command[0]];
      if (!operation) continue;
      const id = typeof command[1] === 'number' && command[1] > 0 ? command[1] : undefined;
      const vals = command[2] && typeof command[2] === 'object' && !Array.isArray(command[2]) ? (command[2] as Record<string, unknown>) : undefined;
      found.push({ field, operation, ...(operation === 'create' ? {} : { id }), ...(vals ? { values: vals } : {}) });
    }
  }
  return found;
}
