import type { Dataset, FieldInfo, OdooRecord } from './dataset';

/** One model of the stand-in database. */
export interface ModelTable {
  name: string;
  description: string;
  fields: Record<string, FieldInfo>;
  records: Map<number, OdooRecord>;
  /** The fields a new record gets: those the dataset captured for this model. */
  recordFields: string[];
  lastId: number;
  defaultOrder: string;
  /** A record rule: which records a user may see (Odoo applies it on top of the ACL). */
  visibleTo?: (record: OdooRecord, uid: number) => boolean;
}

/** `_order` of each model, as Odoo 19 declares it. */
const DEFAULT_ORDERS: Record<string, string> = {
  'res.partner': 'complete_name, id desc',
  'crm.lead': 'priority desc, id desc',
  'crm.stage': 'sequence, name, id',
  'sale.order': 'date_order desc, id desc',
  'sale.order.line': 'order_id, sequence, id',
  'product.product': 'priority desc, default_code, name, id',
  'res.users': 'name, login',
  'res.company': 'sequence, name',
  'account.move': 'date desc, name desc, invoice_date desc, id desc',
  'ir.model': 'model',
};

/** The ACL groups Odoo 19 names when an ordinary internal user touches these models. */
export const RESTRICTED_MODELS: Record<string, string[]> = {
  'ir.config_parameter': ['Role / Administrator'],
  'ir.cron': ['Role / Administrator'],
  'ir.rule': ['Access Rights'],
  'ir.model.access': ['Access Rights'],
  'res.groups': ['Access Rights'],
};

/** OdooBot (1) and the administrator (2) pass every ACL; everyone else is an ordinary internal user. */
export const ADMIN_UIDS = new Set([1, 2]);

/** Fields whose `group_expand` makes the legacy read_group list empty groups too. */
export const GROUP_EXPAND: Record<string, string[]> = { 'sale.order': ['state'], 'crm.lead': ['stage_id'] };

function field(string: string, type: string, extra: Partial<FieldInfo> = {}): FieldInfo {
  const stored = type !== 'one2many' && extra.store !== false;
  return { groupable: stored, readonly: false, required: false, sortable: stored, store: stored, string, type, ...extra };
}

const BASIC_FIELDS: Record<string, FieldInfo> = {
  id: field('ID', 'integer', { readonly: true }),
  display_name: field('Display Name', 'char', { readonly: true, store: false, groupable: false, sortable: false }),
};

/** A key of the demo user captured in the fixtures; Odoo lets each user see only their own keys. */
const API_KEY_RECORDS: OdooRecord[] = [
  {
    id: 2,
    display_name: 'gateway-demo',
    name: 'gateway-demo',
    user_id: [5, 'Marc Demo'],
    scope: false,
    create_date: '2026-11-22 19:14:46',
    expiration_date: false,
  },
];

export function buildModelTable(dataset: Dataset, name: string): ModelTable | undefined {
  const data = dataset.models[name];
  const listed = dataset.ir_model.find((entry) => entry.model === name);
  if (data) return table(name, listed?.name ?? name, data.fields_get, data.records);
  if (!listed) return undefined;
  if (name === 'ir.model') {
    const records = dataset.ir_model.map((entry) => ({ ...entry, display_name: entry.name, transient: false }));
    return table(name, listed.name, {
      ...BASIC_FIELDS,
      model: field('Model', 'char', { required: true }),
      name: field('Model Description', 'char', { required: true }),
      transient: field('Transient Model', 'boolean'),
    }, records);
  }
  if (name === 'res.users.apikeys') {
    const keys = table(name, listed.name, {
      ...BASIC_FIELDS,
      name: field('Description', 'char', { required: true, readonly: true }),
      user_id: field('User', 'many2one', { relation: 'res.users', required: true, readonly: true }),
      scope: field('Scope', 'char', { readonly: true }),
      create_date: field('Creation Date', 'datetime', { readonly: true }),
      expiration_date: field('Expiration Date', 'datetime', { readonly: true }),
    }, structuredClone(API_KEY_RECORDS));
    keys.visibleTo = (record, uid) => Array.isArray(record.user_id) && record.user_id[0] === uid;
    return keys;
  }
  return table(name, listed.name, { ...BASIC_FIELDS }, []);
}

function table(name: string, description: string, fields: Record<string, FieldInfo>, records: OdooRecord[]): ModelTable {
  const recordFields = records[0] ? Object.keys(records[0]) : Object.keys(fields);
  return {
    name,
    description,
    // Odoo looks fields up in a dict: a name such as 'constructor' or '__proto__' is no field, never a property of Object.prototype.
    fields: Object.assign(Object.create(null) as Record<string, FieldInfo>, fields),
    records: new Map(records.map((record) => [record.id, record])),
    recordFields,
    lastId: records.reduce((max, record) => Math.max(max, record.id), 0),
    defaultOrder: DEFAULT_ORDERS[name] ?? 'id',
  };
}
