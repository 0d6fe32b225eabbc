import type { FieldInfo, OdooRecord } from './dataset';
import type { StandinDatabase } from './database';
import { OdooError, valueError } from './errors';
import type { ModelTable } from './models';
import { pyRepr } from './python';

/** The value Odoo reads for an empty field of this type. */
export function emptyValue(field: FieldInfo | undefined): unknown {
  switch (field?.type) {
    case 'one2many':
    case 'many2many':
      return [];
    case 'integer':
    case 'float':
    case 'monetary':
      return 0;
    default:
      return false;
  }
}

/** Validates the `fields` argument of read/search_read; null means every field. */
export function requestedFields(table: ModelTable, fields: unknown): string[] | null {
  if (fields === null || fields === undefined || fields === false) return null;
  const names = typeof fields === 'string' ? [fields] : Array.isArray(fields) ? fields : null;
  if (!names) throw valueError(`Invalid field ${pyRepr(fields)} on ${pyRepr(table.name)}`);
  if (!names.length) return null;
  for (const name of names) {
    if (typeof name !== 'string' || !table.fields[name]) throw valueError(`Invalid field ${pyRepr(name)} on ${pyRepr(table.name)}`);
  }
  return names.filter((name) => name !== 'id');
}

/** A record as `read` answers it: id first, many2one as [id, name] unless load is falsy. */
export function formatRecord(table: ModelTable, record: OdooRecord, fields: string[] | null, load: unknown): Record<string, unknown> {
  const names = fields ?? Object.keys(record).filter((name) => name !== 'id');
  const out: Record<string, unknown> = { id: record.id };
  for (const name of names) {
    const value = name in record ? record[name] : emptyValue(table.fields[name]);
    out[name] = !load && Array.isArray(value) && table.fields[name]?.type === 'many2one' ? value[0] : structuredClone(value);
  }
  return out;
}

const ORDER_TERM = /^([\w.]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i;
const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: false });

interface OrderTerm {
  field: string;
  descending: boolean;
  nullsFirst: boolean;
}

function parseOrder(table: ModelTable, order: unknown, validate: boolean): OrderTerm[] {
  if (typeof order !== 'string' || !order.trim()) return [];
  return order.split(',').map((part) => {
    const match = ORDER_TERM.exec(part.trim());
    if (!match) {
      throw new OdooError(
        'odoo.exceptions.UserError',
        `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    }
    const field = match[1]!;
    if (validate && !table.fields[field]) throw valueError(`Invalid field ${pyRepr(field)} on model ${pyRepr(table.name)}`);
    const descending = match[2]?.toLowerCase() === 'desc';
    // PostgreSQL puts NULLs last when ascending and first when descending.
    const nullsFirst = match[3] ? match[3].toLowerCase() === 'first' : descending;
    return { field, descending, nullsFirst };
  });
}

export function sortRecords(db: StandinDatabase, table: ModelTable, records: OdooRecord[], order: unknown): OdooRecord[] {
  const explicit = typeof order === 'string' && order.trim() !== '';
  const terms = parseOrder(table, explicit ? order : table.defaultOrder, explicit);
  return [...records].sort((a, b) => {
    for (const term of terms) {
      const result = compareKeys(sortKey(db, table, a, term.field), sortKey(db, table, b, term.field), term);
      if (result) return result;
    }
    return 0;
  });
}

type SortKey = string | number | null;

function sortKey(db: StandinDatabase, table: ModelTable, record: OdooRecord, name: string): SortKey {
  const field = table.fields[name];
  const value = name === 'id' ? record.id : record[name];
  if (field?.type === 'boolean') return value === true ? 1 : 0;
  if (field?.type === 'many2one') return Array.isArray(value) ? relatedSortKey(db, field, value) : null;
  if (value === false || value === undefined || value === null || typeof value === 'object') return null;
  return typeof value === 'number' ? value : String(value);
}

/** Odoo orders a many2one by its comodel's order; the stand-in approximates that with the display name. */
function relatedSortKey(db: StandinDatabase, field: FieldInfo, value: unknown[]): SortKey {
  const comodel = field.relation ? db.model(field.relation) : undefined;
  const target = comodel?.records.get(value[0] as number);
  return String(target?.display_name ?? value[1] ?? '');
}

function compareKeys(a: SortKey, b: SortKey, term: OrderTerm): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === term.nullsFirst ? -1 : 1;
  }
  const result = typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
  return term.descending ? -result : result;
}
