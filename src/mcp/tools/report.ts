import { z } from 'zod';
import { domainField, modelField } from './fields';
import { fromOdoo, readableFields, requireOperation, requireRelationPaths, scopedDomain, holdForApproval } from './guard';
import { defineTool } from './types';

const AGGREGATE = /^(__count|[a-z_][a-z0-9_]*:(sum|avg|min|max|count|count_distinct|bool_and|bool_or))$/;
const GROUP_BY = /^[a-z_][a-z0-9_]*(:(day|week|month|quarter|year))?$/;

export const aggregateRecords = defineTool({
  name: 'aggregate_records',
  title: 'Aggregate records',
  description:
    "Group the records of an Odoo model and compute totals per group, like a pivot table. Example: model 'sale.order', group_by ['state'], aggregates ['amount_total:sum', '__count'].",
  operations: ['report'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({
    model: modelField,
    domain: domainField,
    group_by: z
      .array(z.string().regex(GROUP_BY, "a field name, optionally with a date granularity such as 'date_order:month'"))
      .min(1)
      .max(3)
      .describe("Fields to group by (1 to 3). Date fields take a granularity: 'date_order:month'."),
    aggregates: z
      .array(z.string().regex(AGGREGATE, "'field:function' (sum, avg, min, max, count, count_distinct, bool_and, bool_or) or '__count'"))
      .max(20)
      .default(['__count'])
      .describe("Values to compute per group: 'field:function' such as 'amount_total:sum', or '__count' for the number of records."),
  }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'report');
    if (!access.ok) return access.outcome;
    const domain = scopedDomain(access.value, args.model, args.domain);
    if (!domain.ok) return domain.outcome;
    const touched = [...args.group_by, ...args.aggregates.filter((a) => a !== '__count')].map((spec) => spec.split(':')[0]!);
    // Checked even without read_fields: grouping on a secret field (a password, a token) reveals it.
    const fields = readableFields(access.value, args.model, [...new Set(touched)]);
    if (!fields.ok) return fields.outcome;
    const throughRelations = await requireRelationPaths(ctx, args.model, args.domain);
    if (throughRelations) return throughRelations;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'report' }]);
    if (held) return held;
    const result = await ctx.odoo.readGroup(args.model, { domain: domain.value, groupby: args.group_by, aggregates: args.aggregates });
    return fromOdoo(result, (groups) => ({ kind: 'ok', data: { model: args.model, groups } }));
  },
});
