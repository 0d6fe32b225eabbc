import type { FieldInfo, OdooRecord } from './dataset';
import { andDomains } from './domain';
import { OdooError, valueError } from './errors';
import { GROUP_EXPAND, type ModelTable } from './models';
import { searchRecords, type ModelCall } from './orm';
import { pyRepr } from './python';
import { sortRecords } from './records';

interface Group {
  /** The value per groupby field as Odoo answers it ([id, name] for a many2one, false when empty). */
  values: unknown[];
  records: OdooRecord[];
}

interface Aggregate {
  key: string;
  field: string;
  func: string;
}

const FUNCTIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'count_distinct', 'bool_and', 'bool_or', 'array_agg']);

export interface LegacyReadGroupArgs {
  domain: unknown;
  fields: unknown;
  groupby: unknown;
  offset: unknown;
  limit: unknown;
  orderby: unknown;
  lazy: unknown;
}

/** The pre-Odoo-19 `read_group`: `<field>_count` (lazy) or `__count`, aggregates under the field name, `__domain`. */
export function legacyReadGroup(call: ModelCall, args: LegacyReadGroupArgs): Record<string, unknown>[] {
  const all = groupbyList(call.table, args.groupby);
  const lazy = args.lazy !== false;
  const groupby = lazy ? all.slice(0, 1) : all;
  const aggregates = legacyAggregates(call.table, args.fields, groupby);
  const domain = Array.isArray(args.domain) ? args.domain : [];
  let groups = groupRecords(call, searchRecords(call, domain), groupby);
  const expandable = lazy && groupby[0] !== undefined && GROUP_EXPAND[call.table.name]?.includes(groupby[0]);
  if (expandable) groups = expandGroups(call, groupby[0]!, groups);
  const rows = groups.map((group) => {
    const counted = lazy ? `${groupby[0]}_count` : '__count';
    const head = Object.fromEntries(groupby.map((name, i) => [name, group.values[i]]));
    const tail: Record<string, unknown> = { [counted]: group.records.length, ...aggregateValues(call, group.records, aggregates) };
    const row = group.records.length ? { ...head, ...tail } : { ...tail, ...head };
    row.__domain = andDomains(groupLeaves(call.table, groupby, group.values), domain);
    if (lazy && all.length > 1) row.__context = { group_by: all.slice(1) };
    return row;
  });
  return page(orderRows(rows, args.orderby), args.offset, args.limit);
}

export interface FormattedReadGroupArgs {
  domain: unknown;
  groupby: unknown;
  aggregates: unknown;
  having: unknown;
  offset: unknown;
  limit: unknown;
  order: unknown;
}

/** Odoo 19's `formatted_read_group`: one object per group with `__extra_domain` and `"<field>:<function>"` keys. */
export function formattedReadGroup(call: ModelCall, args: FormattedReadGroupArgs): Record<string, unknown>[] {
  if (Array.isArray(args.having) && args.having.length) {
    throw new OdooError('builtins.NotImplementedError', 'The Odoo stand-in does not evaluate "having"');
  }
  const groupby = groupbyList(call.table, args.groupby);
  const aggregates = formattedAggregates(call.table, args.aggregates);
  const groups = groupRecords(call, searchRecords(call, args.domain ?? []), groupby);
  const rows = groups.map((group) => ({
    ...Object.fromEntries(groupby.map((name, i) => [name, group.values[i]])),
    __extra_domain: andLeaves(groupLeaves(call.table, groupby, group.values)),
    ...aggregateValues(call, group.records, aggregates),
  }));
  return page(orderRows(rows, args.order), args.offset, args.limit);
}

function groupbyList(table: ModelTable, groupby: unknown): string[] {
  const list = typeof groupby === 'string' ? [groupby] : Array.isArray(groupby) ? groupby : [];
  return list.map((spec) => {
    if (typeof spec !== 'string') throw valueError(`Invalid groupby specification ${pyRepr(spec)}`);
    const [name, granularity] = spec.split(':') as [string, string | undefined];
    const field = table.fields[name];
    if (!field) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(table.name)}`);
    if (granularity || field.type === 'one2many' || field.type === 'many2many') {
      throw new OdooError('builtins.NotImplementedError', `The Odoo stand-in does not group by ${pyRepr(spec)}`);
    }
    return name;
  });
}

const LEGACY_SPEC = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/;

function legacyAggregates(table: ModelTable, fields: unknown, groupby: string[]): Aggregate[] {
  const specs = Array.isArray(fields) ? fields : [];
  return specs.flatMap((spec): Aggregate[] => {
    const match = typeof spec === 'string' ? LEGACY_SPEC.exec(spec) : null;
    if (!match) throw valueError(`Invalid field specification ${pyRepr(spec)}`);
    const [, key, func, source] = match as unknown as [string, string, string | undefined, string | undefined];
    if (key === '__count') return [];
    const name = source ?? key;
    const field = table.fields[name];
    if (!field) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(table.name)}`);
    const chosen = func ?? field.aggregator;
    if (!chosen || groupby.includes(name)) return [];
    return [{ key, field: name, func: checkedFunction(chosen) }];
  });
}

function formattedAggregates(table: ModelTable, aggregates: unknown): Aggregate[] {
  const specs = Array.isArray(aggregates) ? aggregates : [];
  return specs.map((spec) => {
    if (spec === '__count') return { key: '__count', field: 'id', func: 'count' };
    const [name, func] = typeof spec === 'string' ? spec.split(':') : [];
    if (!name || !func) throw valueError(`Invalid aggregate specification ${pyRepr(spec)}`);
    if (!table.fields[name]) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(table.name)}`);
    return { key: spec as string, field: name, func: checkedFunction(func) };
  });
}

function checkedFunction(func: string): string {
  if (!FUNCTIONS.has(func)) throw valueError(`Invalid aggregation function ${pyRepr(func)}.`);
  return func;
}

function groupValue(field: FieldInfo, record: OdooRecord, name: string): unknown {
  const value = name === 'id' ? record.id : record[name];
  if (field.type === 'boolean') return value === true;
  return value === undefined || value === null ? false : value;
}

/** Groups in the order of their values (sortRecords on the first record of each group). */
function groupRecords(call: ModelCall, records: OdooRecord[], groupby: string[]): Group[] {
  const { table } = call;
  const groups = new Map<string, Group>();
  for (const record of records) {
    const values = groupby.map((name) => groupValue(table.fields[name]!, record, name));
    const key = JSON.stringify(values.map((value) => (Array.isArray(value) ? value[0] : value)));
    const group = groups.get(key) ?? { values, records: [] };
    group.records.push(record);
    groups.set(key, group);
  }
  const order = groupby.join(', ');
  if (!order) return [...groups.values()];
  const firsts = sortRecords(call.db, table, [...groups.values()].map((group) => group.records[0]!), order);
  const byFirst = new Map([...groups.values()].map((group) => [group.records[0]!, group]));
  return firsts.map((record) => byFirst.get(record)!);
}

/** `group_expand`: every selection value or every comodel record gets a group, in that order. */
function expandGroups(call: ModelCall, name: string, groups: Group[]): Group[] {
  const field = call.table.fields[name]!;
  const comodel = field.relation ? call.db.model(field.relation) : undefined;
  const expected: unknown[] = field.selection
    ? field.selection.map(([value]) => value)
    : comodel
      ? sortRecords(call.db, comodel, [...comodel.records.values()], null).map((record) => [record.id, record.display_name ?? record.name])
      : [];
  const idOf = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const found = new Map(groups.map((group) => [idOf(group.values[0]), group]));
  const expanded = expected.map((value) => found.get(idOf(value)) ?? { values: [value], records: [] });
  const rest = groups.filter((group) => !expected.some((value) => idOf(value) === idOf(group.values[0])));
  return [...expanded, ...rest];
}

function groupLeaves(table: ModelTable, groupby: string[], values: unknown[]): unknown[][] {
  return groupby.map((name, i) => {
    const value = values[i];
    return [name, '=', table.fields[name]!.type === 'many2one' && Array.isArray(value) ? value[0] : value];
  });
}

function andLeaves(leaves: unknown[][]): unknown[] {
  return leaves.length > 1 ? [...Array<string>(leaves.length - 1).fill('&'), ...leaves] : leaves;
}

function aggregateValues(call: ModelCall, records: OdooRecord[], aggregates: Aggregate[]): Record<string, unknown> {
  return Object.fromEntries(aggregates.map((aggregate) => [aggregate.key, aggregateOf(call.table, records, aggregate)]));
}

function aggregateOf(table: ModelTable, records: OdooRecord[], { field, func }: Aggregate): unknown {
  const values = records
    .map((record) => (field === 'id' ? record.id : record[field]))
    .map((value) => (Array.isArray(value) && table.fields[field]?.type === 'many2one' ? value[0] : value))
    .filter((value) => value !== false && value !== null && value !== undefined);
  if (func === 'count') return values.length;
  if (func === 'count_distinct') return new Set(values.map((value) => JSON.stringify(value))).size;
  if (func === 'array_agg') return values;
  if (func === 'bool_and') return values.length ? values.every(Boolean) : false;
  if (func === 'bool_or') return values.some(Boolean);
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (!numbers.length) return false;
  if (func === 'min') return Math.min(...numbers);
  if (func === 'max') return Math.max(...numbers);
  const sum = numbers.reduce((total, value) => total + value, 0);
  // PostgreSQL sums numeric columns exactly; round away binary floating-point noise.
  return Number((func === 'avg' ? sum / numbers.length : sum).toPrecision(15));
}

function orderRows(rows: Record<string, unknown>[], order: unknown): Record<string, unknown>[] {
  if (typeof order !== 'string' || !order.trim()) return rows;
  const terms = order.split(',').map((part) => {
    const [key = '', direction = 'asc'] = part.trim().split(/\s+/);
    return { key, descending: direction.toLowerCase() === 'desc' };
  });
  const comparable = (value: unknown) => (Array.isArray(value) ? String(value[1]) : value === false ? null : value);
  return [...rows].sort((a, b) => {
    for (const { key, descending } of terms) {
      const left = comparable(a[key]);
      const right = comparable(b[key]);
      if (left === right) continue;
      const result = left === null ? 1 : right === null ? -1 : (left as number | string) < (right as number | string) ? -1 : 1;
      return descending ? -result : result;
    }
    return 0;
  });
}

function page<T>(rows: T[], offset: unknown, limit: unknown): T[] {
  const start = typeof offset === 'number' ? offset : 0;
  return rows.slice(start, typeof limit === 'number' && limit > 0 ? start + limit : undefined);
}
