import { z } from 'zod';
import { describableFields } from '../../policy/fields';
import { resolveModelAccess } from '../../policy/models';
import { modelField } from './fields';
import { fromOdoo, holdForApproval, requireOperation } from './guard';
import { defineTool } from './types';

const FIELD_ATTRIBUTES = ['string', 'type', 'required', 'readonly', 'relation', 'selection', 'store', 'help'];

export const listModels = defineTool({
  name: 'list_models',
  title: 'List models',
  description: 'List the Odoo models this connection may use, with their technical and human names. Filter by a part of either name.',
  operations: ['schema'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({
    filter: z.string().max(100).optional().describe("Part of a technical or human model name, for example 'sale' or 'Contact'."),
    limit: z.number().int().min(1).max(1000).default(200).describe('Maximum number of models to return (default 200).'),
  }),
  async run(args, ctx) {
    const domain: unknown[] = [['transient', '=', false]];
    if (args.filter) domain.push('|', ['model', 'ilike', args.filter], ['name', 'ilike', args.filter]);
    const result = await ctx.odoo.searchRead('ir.model', { domain, fields: ['model', 'name'], order: 'model' });
    return fromOdoo(result, (rows) => {
      const usable = (rows as Array<{ model: string; name: string }>).filter((row) => {
        const access = resolveModelAccess(ctx.principal.connection.scope, row.model);
        return access.allowed && access.operations.size > 0;
      });
      const models = usable.slice(0, args.limit).map((row) => ({ model: row.model, name: row.name }));
      return { kind: 'ok', data: { models, count: models.length, truncated: usable.length > models.length } };
    });
  },
});

export const describeModel = defineTool({
  name: 'describe_model',
  title: 'Describe a model',
  description: "Describe the fields of an Odoo model: label, type, whether required or read-only, the related model and selection values. Only fields this connection may read are listed; `writable` tells which it may write.",
  operations: ['schema'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({ model: modelField }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'schema');
    if (!access.ok) return access.outcome;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'schema' }]);
    if (held) return held;
    const result = await ctx.odoo.fieldsGet(args.model, FIELD_ATTRIBUTES);
    return fromOdoo(result, (fields) => ({
      kind: 'ok',
      data: {
        model: args.model,
        fields: describableFields(fields as Record<string, Record<string, unknown>>, access.value, args.model),
      },
    }));
  },
});
