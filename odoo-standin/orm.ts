import type { FieldInfo, OdooRecord } from './dataset';
import type { StandinDatabase } from './database';
import { compileDomain, domainMentions, andDomains } from './domain';
import { accessError, missingError, OdooError, recordsetRepr, validationError, valueError } from './errors';
import { ADMIN_UIDS, RESTRICTED_MODELS, type ModelTable } from './models';
import { pyRepr } from './python';
import { emptyValue, sortRecords } from './records';

/** A model method call once Odoo has resolved the model, the user and the records. */
export interface ModelCall {
  db: StandinDatabase;
  table: ModelTable;
  uid: number;
  context: Record<string, unknown>;
  ids: number[];
}

export type Operation = 'read' | 'write' | 'create' | 'unlink';

const OPERATION_VERBS: Record<Operation, string> = { read: 'access', write: 'modify', create: 'create', unlink: 'delete' };

/** Odoo's ACL check (ir.model.access), with the message Odoo 19 writes. */
export function checkAccess(call: ModelCall, operation: Operation): void {
  const groups = RESTRICTED_MODELS[call.table.name];
  if (!groups || ADMIN_UIDS.has(call.uid)) return;
  const { name, description } = call.table;
  throw accessError(
    `You are not allowed to ${OPERATION_VERBS[operation]} '${description}' (${name}) records.\n\n` +
      `This operation is allowed for the following groups:\n${groups.map((group) => `\t- ${group}`).join('\n')}\n\n` +
      'Contact your administrator to request access if necessary.',
  );
}

export interface SearchOptions {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
}

export function searchRecords(call: ModelCall, domain: unknown, options: SearchOptions = {}): OdooRecord[] {
  const { db, table } = call;
  let effective = domain ?? [];
  if (table.fields.active && call.context.active_test !== false && !domainMentions(effective, 'active')) {
    effective = andDomains([['active', '=', true]], Array.isArray(effective) ? effective : [effective]);
  }
  const filter = compileDomain(effective, table, (name) => db.model(name));
  const found = visibleRecords(call).filter(filter);
  const sorted = sortRecords(db, table, found, options.order);
  const offset = typeof options.offset === 'number' ? options.offset : 0;
  const limit = typeof options.limit === 'number' && options.limit > 0 ? options.limit : undefined;
  return sorted.slice(offset, limit === undefined ? undefined : offset + limit);
}

export function visibleRecords(call: ModelCall): OdooRecord[] {
  const { table, uid } = call;
  const all = [...table.records.values()];
  return table.visibleTo ? all.filter((record) => table.visibleTo!(record, uid)) : all;
}

/** The records of `call.ids` that exist, in the order asked; raises MissingError when `strict`. */
export function browse(call: ModelCall, strict: boolean): OdooRecord[] {
  const visible = new Map(visibleRecords(call).map((record) => [record.id, record]));
  const missing = call.ids.filter((id) => !visible.has(id));
  if (strict && missing.length) throw missingError(call.table.name, missing, call.uid);
  return call.ids.flatMap((id) => visible.get(id) ?? []);
}

export function createRecords(call: ModelCall, valsList: unknown): number[] {
  const list = Array.isArray(valsList) ? valsList : [valsList];
  const { table } = call;
  const created = list.map((vals) => {
    if (!isPlainObject(vals)) throw new OdooError('builtins.TypeError', `'${pyTypeName(vals)}' object is not a mapping`);
    checkValues(call, vals, true);
    const record: OdooRecord = { id: ++table.lastId };
    for (const name of table.recordFields) if (name !== 'id') record[name] = emptyValue(table.fields[name]);
    if ('active' in record) record.active = true;
    if ('type' in record && table.name === 'res.partner') record.type = 'contact';
    const stamp = timestamp();
    if ('create_date' in record) record.create_date = stamp;
    if ('write_date' in record) record.write_date = stamp;
    applyValues(call, record, vals);
    return record;
  });
  for (const record of created) table.records.set(record.id, record);
  return created.map((record) => record.id);
}

export function writeRecords(call: ModelCall, vals: unknown): true {
  if (!isPlainObject(vals)) throw new OdooError('builtins.AttributeError', `'${pyTypeName(vals)}' object has no attribute 'items'`);
  const records = browse(call, true);
  checkValues(call, vals, false);
  for (const record of records) {
    applyValues(call, record, vals);
    if ('write_date' in record) record.write_date = timestamp();
  }
  return true;
}

export function unlinkRecords(call: ModelCall): true {
  for (const record of browse(call, true)) call.table.records.delete(record.id);
  return true;
}

function checkValues(call: ModelCall, vals: Record<string, unknown>, creating: boolean): void {
  const { table } = call;
  for (const name of Object.keys(vals)) {
    if (!table.fields[name]) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(table.name)}`);
  }
  // res.partner's SQL constraint: a contact needs a name.
  const clearsName = creating ? !vals.name : 'name' in vals && !vals.name;
  if (table.name === 'res.partner' && clearsName && (vals.type ?? 'contact') === 'contact') {
    throw validationError('The operation cannot be completed: Contacts require a name');
  }
}

function applyValues(call: ModelCall, record: OdooRecord, vals: Record<string, unknown>): void {
  const { table, db } = call;
  for (const [name, value] of Object.entries(vals)) {
    const field = table.fields[name]!;
    if (field.type === 'many2one') {
      // Odoo 19 Many2one.convert_to_cache: an int is the id; a JSON list (not a tuple), true or a string is no value.
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        throw new OdooError('builtins.NotImplementedError', `The Odoo stand-in does not make a new ${field.relation} record from a many2one value`);
      }
      const id = typeof value === 'number' && Number.isInteger(value) ? value : undefined;
      const target = typeof id === 'number' && field.relation ? db.model(field.relation)?.records.get(id) : undefined;
      record[name] = typeof id === 'number' ? [id, String(target?.display_name ?? target?.name ?? `${field.relation},${id}`)] : false;
    } else if (field.type === 'one2many' || field.type === 'many2many') {
      if (!Array.isArray(record[name])) record[name] = [];
      applyX2many(call, record, name, field, value);
    } else {
      record[name] = value === null ? false : structuredClone(value);
    }
  }
  if (typeof vals.name === 'string' && 'display_name' in record) record.display_name = vals.name;
  if (typeof vals.name === 'string' && 'complete_name' in record) record.complete_name = vals.name;
}

/** Inverse many2one fields declared with `ondelete='cascade'`: unlinking a line from its one2many deletes it. */
const CASCADE_INVERSES = new Set(['sale.order.line.order_id']);

/** The inverse many2one of a one2many: the declared one, else the comodel's only many2one back to this model. */
export function inverseField(db: StandinDatabase, model: string, field: FieldInfo): string | undefined {
  if (field.type !== 'one2many' || !field.relation) return undefined;
  if (typeof field.relation_field === 'string') return field.relation_field;
  const comodel = db.model(field.relation);
  if (!comodel) return undefined;
  return Object.entries(comodel.fields).find(([, info]) => info.type === 'many2one' && info.relation === model)?.[0];
}

/**
 * The value of an x2many field in create/write values, applied as Odoo 19's
 * `X2many.write_batch` and `One2many`/`Many2many.write_real` do: `false` is
 * clear, a list of ids is set, and each command is matched with Python's `==`
 * (false is 0, true is 1, a string matches no command and does nothing).
 */
function applyX2many(call: ModelCall, record: OdooRecord, name: string, field: FieldInfo, value: unknown): void {
  const { db } = call;
  let commands: unknown[];
  if (value === false || value === null) commands = [[5]];
  else if (!Array.isArray(value)) throw valueError(`Wrong value for ${call.table.name}.${name}: ${pyRepr(value)}`);
  else if (value.length > 0 && !Array.isArray(value[0])) commands = [[6, 0, value]];
  else commands = value;
  const comodel = field.relation ? db.model(field.relation) : undefined;
  if (!comodel) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(call.table.name)}`);
  const inverse = inverseField(db, call.table.name, field);
  const sub: ModelCall = { ...call, table: comodel, ids: [] };
  const current = (): number[] => (Array.isArray(record[name]) ? (record[name] as number[]) : []);
  const setCurrent = (ids: number[]) => {
    record[name] = ids;
  };
  const item = (command: unknown[], index: number): unknown => {
    if (index >= command.length) throw new OdooError('builtins.IndexError', 'list index out of range');
    return command[index];
  };
  // A one2many line belongs to one parent: moving or deleting it takes it out of every parent's list.
  const dropEverywhere = (id: number) => {
    for (const parent of call.table.records.values()) {
      if (Array.isArray(parent[name])) parent[name] = (parent[name] as number[]).filter((existing) => existing !== id);
    }
    setCurrent(current().filter((existing) => existing !== id));
  };
  const unlinkLine = (id: number) => {
    if (field.type === 'many2many') return setCurrent(current().filter((existing) => existing !== id));
    if (inverse && CASCADE_INVERSES.has(`${comodel.name}.${inverse}`)) unlinkRecords({ ...sub, ids: [id] });
    else if (inverse) writeRecords({ ...sub, ids: [id] }, { [inverse]: false });
    dropEverywhere(id);
  };
  const link = (id: number) => {
    if (field.type === 'one2many') {
      if (inverse) writeRecords({ ...sub, ids: [id] }, { [inverse]: record.id });
      dropEverywhere(id);
    }
    if (!current().includes(id)) setCurrent([...current(), id]);
  };
  for (const command of commands) {
    if (!Array.isArray(command)) throw new OdooError('builtins.TypeError', `'${pyTypeName(command)}' object is not subscriptable`);
    const code = command[0] === false ? 0 : command[0] === true ? 1 : command[0];
    if (code === 0) {
      const vals = item(command, 2);
      const [id] = createRecords(sub, [inverse && field.type === 'one2many' ? { ...(vals as object), [inverse]: record.id } : vals]);
      setCurrent([...current(), id!]);
    } else if (code === 1) {
      writeRecords({ ...sub, ids: [item(command, 1) as number] }, item(command, 2));
    } else if (code === 2) {
      const id = item(command, 1) as number;
      unlinkRecords({ ...sub, ids: [id] });
      dropEverywhere(id);
    } else if (code === 3) {
      unlinkLine(item(command, 1) as number);
    } else if (code === 4) {
      link(item(command, 1) as number);
    } else if (code === 5 || code === 6) {
      const keep = code === 6 ? (item(command, 2) as unknown[]).filter((id): id is number => typeof id === 'number') : [];
      for (const id of current()) if (!keep.includes(id)) unlinkLine(id);
      for (const id of keep) link(id);
    }
  }
}

export function postMessage(call: ModelCall): number[] {
  if (call.ids.length !== 1) throw valueError(`Expected singleton: ${recordsetRepr(call.table.name, call.ids)}`);
  const [record] = browse(call, true);
  const id = ++call.db.lastMessageId;
  const earlier = Array.isArray(record!.message_ids) ? (record!.message_ids as number[]) : [];
  record!.message_ids = [id, ...earlier];
  return [id];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** Odoo's datetime format, in UTC. */
function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}
