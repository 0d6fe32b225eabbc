import { z } from 'zod';
import { authorizeMethod, resolveModelAccess } from '../../policy/models';
import { idsField, modelField } from './fields';
import { fromOdoo, holdForApproval, requireIdsInScope } from './guard';
import type { ModelAccess } from '../../policy/models';
import { defineTool } from './types';

export const callMethod = defineTool({
  name: 'call_method',
  title: 'Call a model method',
  description:
    "Call a public method of an Odoo model, for example 'message_post' on res.partner or 'action_confirm' on sale.order. Pass record ids in `ids` for record methods, and the method's arguments in `kwargs` (named) or `args` (positional).",
  operations: ['execute'],
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  input: z.object({
    model: modelField,
    method: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Python method name')
      .max(128)
      .describe("Name of the public method, for example 'message_post' or 'action_confirm'. Methods starting with '_' are private and refused."),
    ids: idsField.optional().describe('Ids of the records the method runs on; omit for model-level methods.'),
    args: z.array(z.unknown()).max(50).optional().describe('Positional arguments after the record ids (Odoo accounts using the JSON-RPC API only).'),
    kwargs: z
      .record(z.string(), z.unknown())
      // JSON-2 reads the records from a body key `ids`: one in kwargs would replace the ids the scope checked.
      .refine((kwargs) => !Object.hasOwn(kwargs, 'ids'), "must not contain 'ids': pass record ids in the ids argument")
      .optional()
      .describe("Named arguments, for example { \"body\": \"Hello\", \"message_type\": \"comment\" }. Record ids go in `ids`, never here."),
  }),
  async run(args, ctx) {
    const decision = authorizeMethod(ctx.principal.connection.scope, args.model, args.method);
    if (decision.effect !== 'allow') return { kind: 'denied', reason: decision.reason };
    const access = resolveModelAccess(ctx.principal.connection.scope, args.model) as ModelAccess;
    const ids = args.ids ? [...new Set(args.ids)] : undefined;
    if (ids) {
      const outside = await requireIdsInScope(ctx, access, args.model, ids);
      if (outside) return outside;
    } else if (access.domain !== null && access.domain.length > 0 && args.args?.length) {
      // Without ids, /jsonrpc takes a record method's first positional argument as
      // its ids, which would run it on records the scope's domain never checked.
      return { kind: 'denied', reason: { code: 'record_ids_required', model: args.model, method: args.method } };
    }
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'execute', method: args.method }]);
    if (held) return held;
    const result = await ctx.odoo.execute(args.model, args.method, { ids, args: args.args, kwargs: args.kwargs });
    return fromOdoo(result, (value) => ({
      kind: 'ok',
      data: { model: args.model, method: args.method, result: value ?? null },
      recordIds: ids,
    }));
  },
});
