import { typeError, unprocessable } from './errors';
import { formattedReadGroup, legacyReadGroup } from './grouping';
import { browse, checkAccess, createRecords, inverseField, postMessage, searchRecords, unlinkRecords, writeRecords, type ModelCall, type Operation } from './orm';
import { formatRecord, requestedFields } from './records';

interface Param {
  name: string;
  required?: boolean;
  fallback?: unknown;
}

/** A public model method, with its Python signature so arguments bind the way Python binds them. */
export interface MethodSpec {
  qualname: string;
  /** `@api.model` methods take no ids; the others run on `browse(ids)`. */
  onRecords: boolean;
  params: Param[];
  keywordOnly?: Param[];
  acceptsExtraKeywords?: boolean;
  operation: Operation | null;
  run(call: ModelCall, args: Record<string, unknown>, extra: Record<string, unknown>): unknown;
}

const optional = (name: string, fallback: unknown = null): Param => ({ name, fallback });
const required = (name: string): Param => ({ name, required: true });

const READ_FORMAT_KEYWORDS = new Set(['load']);

const METHODS: Record<string, MethodSpec> = {
  search_read: {
    qualname: 'BaseModel.search_read',
    onRecords: false,
    params: [optional('domain'), optional('fields'), optional('offset', 0), optional('limit'), optional('order')],
    acceptsExtraKeywords: true,
    operation: 'read',
    run(call, a, extra) {
      // search_read hands its extra keywords to _read_format, which only knows `load`.
      const unknown = Object.keys(extra).find((key) => !READ_FORMAT_KEYWORDS.has(key));
      if (unknown) throw typeError(`BaseModel._read_format() got an unexpected keyword argument '${unknown}'`);
      const fields = requestedFields(call.table, a.fields);
      const load = 'load' in extra ? extra.load : '_classic_read';
      return searchRecords(call, a.domain, a).map((record) => formatRecord(call.table, record, fields, load));
    },
  },
  search: {
    qualname: 'BaseModel.search',
    onRecords: false,
    params: [required('domain'), optional('offset', 0), optional('limit'), optional('order')],
    operation: 'read',
    run: (call, a) => searchRecords(call, a.domain, a).map((record) => record.id),
  },
  search_count: {
    qualname: 'BaseModel.search_count',
    onRecords: false,
    params: [required('domain'), optional('limit')],
    operation: 'read',
    run: (call, a) => searchRecords(call, a.domain, { limit: a.limit }).length,
  },
  read: {
    qualname: 'BaseModel.read',
    onRecords: true,
    params: [optional('fields'), optional('load', '_classic_read')],
    operation: 'read',
    run(call, a) {
      const fields = requestedFields(call.table, a.fields);
      return browse(call, false).map((record) => formatRecord(call.table, record, fields, a.load));
    },
  },
  create: {
    qualname: 'BaseModel.create',
    onRecords: false,
    params: [required('vals_list')],
    operation: 'create',
    run: (call, a) => createRecords(call, a.vals_list),
  },
  write: {
    qualname: 'BaseModel.write',
    onRecords: true,
    params: [required('vals')],
    operation: 'write',
    run: (call, a) => writeRecords(call, a.vals),
  },
  unlink: {
    qualname: 'BaseModel.unlink',
    onRecords: true,
    params: [],
    operation: 'unlink',
    run: (call) => unlinkRecords(call),
  },
  fields_get: {
    qualname: 'BaseModel.fields_get',
    onRecords: false,
    params: [optional('allfields'), optional('attributes')],
    operation: null,
    run: (call, a) => fieldsGet(call, a.allfields, a.attributes),
  },
  read_group: {
    qualname: 'BaseModel.read_group',
    onRecords: false,
    params: [required('domain'), required('fields'), required('groupby'), optional('offset', 0), optional('limit'), optional('orderby', false), optional('lazy', true)],
    operation: 'read',
    run: (call, a) => legacyReadGroup(call, a as never),
  },
  formatted_read_group: {
    qualname: 'BaseModel.formatted_read_group',
    onRecords: false,
    params: [optional('domain', []), optional('groupby', []), optional('aggregates', []), optional('having', []), optional('offset', 0), optional('limit'), optional('order')],
    operation: 'read',
    run: (call, a) => formattedReadGroup(call, a as never),
  },
  name_search: {
    qualname: 'BaseModel.name_search',
    onRecords: false,
    params: [optional('name', ''), optional('domain'), optional('operator', 'ilike'), optional('limit', 100)],
    operation: 'read',
    run(call, a) {
      const field = call.table.recordFields.includes('display_name') ? 'display_name' : 'name';
      const own = Array.isArray(a.domain) ? a.domain : [];
      const domain = a.name ? [[field, a.operator, a.name], ...own] : own;
      return searchRecords(call, domain, { limit: a.limit }).map((record) => [record.id, record.display_name ?? record.name ?? false]);
    },
  },
  message_post: {
    qualname: 'MailThread.message_post',
    onRecords: true,
    params: [],
    keywordOnly: ['body', 'subject', 'message_type', 'subtype_xmlid', 'subtype_id', 'partner_ids', 'attachments', 'attachment_ids', 'body_is_html'].map((name) => optional(name)),
    acceptsExtraKeywords: true,
    operation: 'read',
    run: (call) => postMessage(call),
  },
};

/** The public method `name` of the model, or undefined when the model has no such method. */
export function findMethod(name: string, modelFields: Record<string, unknown>): MethodSpec | undefined {
  if (!Object.hasOwn(METHODS, name)) return undefined;
  // message_post comes with mail.thread, which the models with a chatter (message_ids) inherit.
  if (name === 'message_post' && !('message_ids' in modelFields)) return undefined;
  return METHODS[name];
}

export function runMethod(spec: MethodSpec, call: ModelCall, args: Record<string, unknown>, extra: Record<string, unknown>): unknown {
  if (spec.operation) checkAccess(call, spec.operation);
  return spec.run(call, args, extra);
}

function fieldsGet(call: ModelCall, allfields: unknown, attributes: unknown): Record<string, Record<string, unknown>> {
  const names = Array.isArray(allfields) && allfields.length ? allfields : null;
  const wanted = Array.isArray(attributes) && attributes.length ? attributes : null;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, info] of Object.entries(call.table.fields)) {
    if (names && !names.includes(name)) continue;
    // Odoo lists the attributes in its own (alphabetical) order, whatever order they were asked in.
    // Odoo answers relation_field for every one2many: the many2one on the related model that points back.
    const inverse = inverseField(call.db, call.table.name, info);
    const full: Record<string, unknown> = inverse
      ? Object.fromEntries(Object.entries({ ...structuredClone(info), relation_field: inverse }).sort(([a], [b]) => (a < b ? -1 : 1)))
      : structuredClone(info);
    out[name] = wanted ? Object.fromEntries(Object.entries(full).filter(([attribute]) => wanted.includes(attribute))) : full;
  }
  return out;
}

export interface BoundArguments {
  args: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/** JSON-2 binds named arguments with `inspect.signature(func).bind`, answering 422 on a mismatch. */
export function bindNamed(spec: MethodSpec, kwargs: Record<string, unknown>): BoundArguments {
  const known = [...spec.params, ...(spec.keywordOnly ?? [])];
  const missing = known.find((param) => param.required && !(param.name in kwargs));
  if (missing) throw unprocessable(`missing a required argument: '${missing.name}'`);
  const unexpected = Object.keys(kwargs).find((key) => !known.some((param) => param.name === key));
  if (unexpected && !spec.acceptsExtraKeywords) throw unprocessable(`got an unexpected keyword argument '${unexpected}'`);
  return withDefaults(known, kwargs);
}

/** /jsonrpc calls `method(records, *args, **kwargs)`: Python's own TypeErrors on a mismatch. */
export function bindPositional(spec: MethodSpec, args: unknown[], kwargs: Record<string, unknown>): BoundArguments {
  const { params, qualname } = spec;
  if (args.length > params.length) {
    const least = params.filter((param) => param.required).length + 1;
    const most = params.length + 1;
    const takes = least === most ? `${most} positional argument${most === 1 ? '' : 's'}` : `from ${least} to ${most} positional arguments`;
    throw typeError(`${qualname}() takes ${takes} but ${args.length + 1} ${args.length + 1 === 1 ? 'was' : 'were'} given`);
  }
  const named: Record<string, unknown> = {};
  args.forEach((value, i) => {
    named[params[i]!.name] = value;
  });
  const known = [...params, ...(spec.keywordOnly ?? [])];
  for (const [key, value] of Object.entries(kwargs)) {
    if (key in named) throw typeError(`${qualname}() got multiple values for argument '${key}'`);
    if (!known.some((param) => param.name === key) && !spec.acceptsExtraKeywords) {
      throw typeError(`${qualname}() got an unexpected keyword argument '${key}'`);
    }
    named[key] = value;
  }
  const missing = params.filter((param) => param.required && !(param.name in named)).map((param) => `'${param.name}'`);
  if (missing.length) {
    const list = missing.length === 1 ? missing[0] : missing.length === 2 ? missing.join(' and ') : `${missing.slice(0, -1).join(', ')}, and ${missing.at(-1)}`;
    throw typeError(`${qualname}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
  }
  return withDefaults(known, named);
}

function withDefaults(known: Param[], given: Record<string, unknown>): BoundArguments {
  const args: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const param of known) args[param.name] = param.name in given ? given[param.name] : param.fallback;
  for (const [key, value] of Object.entries(given)) if (!known.some((param) => param.name === key)) extra[key] = value;
  return { args, extra };
}
