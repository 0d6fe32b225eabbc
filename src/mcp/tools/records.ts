import { z } from 'zod';
import { checkWriteFields, filterRecordFields } from '../../policy/fields';
import { DEFAULT_LIMIT, MAX_CREATE, MAX_LIMIT, domainField, fieldsField, idsField, modelField, valuesField } from './fields';
import {
  fromOdoo,
  readableFields,
  requireIdsInScope,
  requireOperation,
  requireRelationPaths,
  requireSortableFields,
  scopedDomain,
  holdForApproval,
} from './guard';
import { fitToBudget } from './budget';
import { requireNestedWrites } from './nested-writes';
import { requireValuesInDomain } from './domain-values';
import { defineTool } from './types';

type OdooRecord = Record<string, unknown> & { id: number };

export const searchRecords = defineTool({
  name: 'search_records',
  title: 'Search records',
  description:
    'Find records of an Odoo model matching a domain and return their fields. Results are paged with limit and offset; when `truncated` is true, call again with `next_offset`.',
  operations: ['query', 'read'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({
    model: modelField,
    domain: domainField,
    fields: fieldsField,
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Maximum number of records to return (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`),
    offset: z.number().int().min(0).default(0).describe('Number of matching records to skip, for paging.'),
    order: z
      .string()
      .regex(/^\s*[a-zA-Z_][a-zA-Z0-9_.]*(\s+(asc|desc))?(\s*,\s*[a-zA-Z_][a-zA-Z0-9_.]*(\s+(asc|desc))?)*\s*$/i, "a sort such as 'name asc, id desc'")
      .optional()
      .describe("Sort order, for example 'create_date desc' or 'name asc, id desc'."),
  }),
  async run(args, ctx) {
    const query = requireOperation(ctx, args.model, 'query');
    if (!query.ok) return query.outcome;
    const access = requireOperation(ctx, args.model, 'read');
    if (!access.ok) return access.outcome;
    const domain = scopedDomain(access.value, args.model, args.domain);
    if (!domain.ok) return domain.outcome;
    const fields = readableFields(access.value, args.model, args.fields);
    if (!fields.ok) return fields.outcome;
    const sorting = requireSortableFields(access.value, args.model, args.order);
    if (!sorting.ok) return sorting.outcome;
    const throughRelations = await requireRelationPaths(ctx, args.model, [...args.domain, ...sorting.value]);
    if (throughRelations) return throughRelations;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'query' }, { model: args.model, operation: 'read' }]);
    if (held) return held;
    const result = await ctx.odoo.searchRead(args.model, {
      domain: domain.value,
      fields: fields.value,
      limit: args.limit,
      offset: args.offset,
      // Odoo's default order may sort by fields the scope hides (res.partner: complete_name): with read_fields, sort by id.
      order: args.order ?? (access.value.readFields !== null ? 'id' : undefined),
    });
    return fromOdoo(result, (records) => {
      const visible = filterRecordFields(records as OdooRecord[], access.value.readFields) as OdooRecord[];
      const page = fitToBudget(visible);
      const truncated = page.length < visible.length;
      const more = truncated || visible.length === args.limit;
      return {
        kind: 'ok',
        data: {
          model: args.model,
          records: page,
          count: page.length,
          offset: args.offset,
          limit: args.limit,
          truncated,
          next_offset: more ? args.offset + page.length : null,
        },
        recordIds: page.map((record) => record.id),
      };
    });
  },
});

export const countRecords = defineTool({
  name: 'count_records',
  title: 'Count records',
  description: 'Count the records of an Odoo model that match a domain.',
  operations: ['query'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({ model: modelField, domain: domainField }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'query');
    if (!access.ok) return access.outcome;
    const domain = scopedDomain(access.value, args.model, args.domain);
    if (!domain.ok) return domain.outcome;
    const throughRelations = await requireRelationPaths(ctx, args.model, args.domain);
    if (throughRelations) return throughRelations;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'query' }]);
    if (held) return held;
    const result = await ctx.odoo.searchCount(args.model, domain.value);
    return fromOdoo(result, (count) => ({ kind: 'ok', data: { model: args.model, count } }));
  },
});

export const readRecords = defineTool({
  name: 'read_records',
  title: 'Read records',
  description: 'Read records of an Odoo model by id. Ids that do not exist (or that Odoo hides from this user) are listed in `missing_ids`.',
  operations: ['read'],
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.object({ model: modelField, ids: idsField, fields: fieldsField }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'read');
    if (!access.ok) return access.outcome;
    const fields = readableFields(access.value, args.model, args.fields);
    if (!fields.ok) return fields.outcome;
    const ids = [...new Set(args.ids)];
    const outside = await requireIdsInScope(ctx, access.value, args.model, ids);
    if (outside) return outside;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'read' }]);
    if (held) return held;
    const result = await ctx.odoo.read(args.model, ids, fields.value);
    return fromOdoo(result, (records) => {
      const visible = filterRecordFields(records as OdooRecord[], access.value.readFields) as OdooRecord[];
      const found = new Set(visible.map((record) => record.id));
      return {
        kind: 'ok',
        data: { model: args.model, records: visible, missing_ids: ids.filter((id) => !found.has(id)) },
        recordIds: ids,
      };
    });
  },
});

export const createRecords = defineTool({
  name: 'create_records',
  title: 'Create records',
  description: `Create one record (pass an object) or several (pass a list of up to ${MAX_CREATE} objects) in an Odoo model. Returns the new ids.`,
  operations: ['create'],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.object({
    model: modelField,
    values: z
      .union([valuesField, z.array(valuesField).min(1).max(MAX_CREATE)])
      .describe('Field values of the new record, or a list of them to create several records at once.'),
  }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'create');
    if (!access.ok) return access.outcome;
    const valuesList = Array.isArray(args.values) ? args.values : [args.values];
    const writable = checkWriteFields(access.value, args.model, valuesList);
    if (writable.effect !== 'allow') return { kind: 'denied', reason: writable.reason };
    const nested = await requireNestedWrites(ctx, args.model, valuesList);
    if (nested) return nested;
    const outsideDomain = await requireValuesInDomain(ctx, access.value, args.model, valuesList, 'create');
    if (outsideDomain) return outsideDomain;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'create', fields: [...new Set(valuesList.flatMap((values) => Object.keys(values)))] }]);
    if (held) return held;
    const result = await ctx.odoo.create(args.model, valuesList);
    return fromOdoo(result, (ids) => ({ kind: 'ok', data: { model: args.model, ids }, recordIds: ids as number[] }));
  },
});

export const updateRecords = defineTool({
  name: 'update_records',
  title: 'Update records',
  description: 'Write the same field values on one or more records of an Odoo model.',
  operations: ['write'],
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  input: z.object({ model: modelField, ids: idsField, values: valuesField }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'write');
    if (!access.ok) return access.outcome;
    if (Object.keys(args.values).length === 0) return { kind: 'invalid', message: 'values must name at least one field to write' };
    const writable = checkWriteFields(access.value, args.model, [args.values]);
    if (writable.effect !== 'allow') return { kind: 'denied', reason: writable.reason };
    const ids = [...new Set(args.ids)];
    const outside = await requireIdsInScope(ctx, access.value, args.model, ids);
    if (outside) return outside;
    const nested = await requireNestedWrites(ctx, args.model, [args.values], ids);
    if (nested) return nested;
    const outsideDomain = await requireValuesInDomain(ctx, access.value, args.model, [args.values], 'write');
    if (outsideDomain) return outsideDomain;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'write', fields: Object.keys(args.values) }]);
    if (held) return held;
    const result = await ctx.odoo.write(args.model, ids, args.values);
    return fromOdoo(result, () => ({ kind: 'ok', data: { model: args.model, ids, updated: true }, recordIds: ids }));
  },
});

export const deleteRecords = defineTool({
  name: 'delete_records',
  title: 'Delete records',
  description: 'Delete records of an Odoo model by id. This cannot be undone.',
  operations: ['delete'],
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  input: z.object({ model: modelField, ids: idsField }),
  async run(args, ctx) {
    const access = requireOperation(ctx, args.model, 'delete');
    if (!access.ok) return access.outcome;
    const ids = [...new Set(args.ids)];
    const outside = await requireIdsInScope(ctx, access.value, args.model, ids);
    if (outside) return outside;
    const held = await holdForApproval(ctx, [{ model: args.model, operation: 'delete' }]);
    if (held) return held;
    const result = await ctx.odoo.unlink(args.model, ids);
    return fromOdoo(result, () => ({ kind: 'ok', data: { model: args.model, ids, deleted: true }, recordIds: ids }));
  },
});
