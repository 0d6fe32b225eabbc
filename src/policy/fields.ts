import { ALLOW, deny, type Decision, type DenialReason } from './decision';
import { fieldsInDomain, type Domain } from './domain';
import type { ModelAccess } from './models';
import { isCredentialFieldName, sensitiveField } from './sensitive-models';

/** `pattern` tells whether the entry names the model exactly; without it, sensitive fields are never granted. */
type FieldLists = Pick<ModelAccess, 'readFields' | 'writeFields'> & Partial<Pick<ModelAccess, 'pattern'>>;

/**
 * Sensitive fields (`sensitive-models.ts`) are reached only through an entry
 * that names the model exactly and lists the field: a wildcard entry, `full`
 * or an entry without the list never grants them, whatever else it allows.
 */
function grantsSensitive(access: FieldLists, model: string, field: string, list: readonly string[] | null): boolean {
  return access.pattern === model && list !== null && list.includes(field);
}

function refusedSecret(access: FieldLists, model: string, field: string): boolean {
  return sensitiveField(model, field)?.secret === true && !grantsSensitive(access, model, field, access.readFields);
}

export type ReadFieldsCheck = { ok: true; fields: string[] | undefined } | { ok: false; reason: DenialReason };

/** `id` identifies a record; it is readable whenever the record is. */
const ALWAYS_READABLE = 'id';

function isReadable(readFields: readonly string[] | null, field: string): boolean {
  return readFields === null || field === ALWAYS_READABLE || readFields.includes(field);
}

/**
 * The fields to ask Odoo for. With `read_fields` set and no explicit request
 * the answer is exactly those fields; it is never an empty list, because Odoo
 * reads an empty field list as "every field".
 */
export function checkReadFields(access: FieldLists, model: string, requested?: readonly string[]): ReadFieldsCheck {
  const { readFields } = access;
  const wanted = requested !== undefined && requested.length > 0 ? requested : undefined;
  const secret = wanted?.find((field) => refusedSecret(access, model, field));
  if (secret !== undefined) return { ok: false, reason: { code: 'sensitive_field', model, field: secret, access: 'read' } };
  if (readFields === null) return { ok: true, fields: wanted === undefined ? undefined : [...wanted] };
  if (wanted === undefined) {
    // A wildcard entry may list a secret field; it is left out rather than refused, since the caller asked for none by name.
    const granted = readFields.filter((field) => !refusedSecret(access, model, field));
    return { ok: true, fields: granted.length > 0 ? granted : [ALWAYS_READABLE] };
  }
  const refused = wanted.find((field) => !isReadable(readFields, field));
  if (refused !== undefined) return { ok: false, reason: { code: 'field_not_readable', model, field: refused } };
  return { ok: true, fields: [...wanted] };
}

/**
 * Keeps only readable keys of each record, `id` always; a second line of
 * defence after `checkReadFields`. Without `read_fields` Odoo returns every
 * field, so fields named like credentials (`access_token`, `*_password`) are
 * dropped: only an entry that lists them can return them.
 */
export function filterRecordFields<T extends Record<string, unknown>>(
  records: readonly T[],
  readFields: readonly string[] | null,
): Array<Partial<T>> {
  if (readFields === null) {
    return records.map(
      (record) => Object.fromEntries(Object.entries(record).filter(([key]) => !isCredentialFieldName(key))) as Partial<T>,
    );
  }
  return records.map(
    (record) => Object.fromEntries(Object.entries(record).filter(([key]) => isReadable(readFields, key))) as Partial<T>,
  );
}

/**
 * Field metadata a connection may see: readable fields, plus writable ones so
 * a client knows what it may send. With `write_fields` set, every other field
 * is marked readonly so the client does not try to write it.
 */
export function filterFieldsGet<T extends Record<string, unknown>>(
  fieldsGetResult: Readonly<Record<string, T>>,
  readFields: readonly string[] | null,
  writeFields?: readonly string[] | null,
): Record<string, T> {
  const writable = writeFields ?? null;
  const visible = Object.entries(fieldsGetResult).filter(
    ([field]) => isReadable(readFields, field) || (writable?.includes(field)),
  );
  return Object.fromEntries(
    visible.map(([field, meta]) => [
      field,
      writable === null || writable.includes(field) ? { ...meta } : { ...meta, readonly: true },
    ]),
  );
}

/**
 * Values may only hold writable fields. Sensitive fields (passwords, groups,
 * API keys of res.users, fields named like credentials) need the model named
 * exactly and the field in that entry's `write_fields`; this holds for nested
 * x2many values too, which are checked here against the related model.
 */
/**
 * `filterFieldsGet` for one model's entry: secret fields the entry does not
 * grant are left out, and sensitive fields it does not grant for writing are
 * marked readonly, so describe_model never offers what a call would refuse.
 */
export function describableFields<T extends Record<string, unknown>>(
  fieldsGetResult: Readonly<Record<string, T>>,
  access: FieldLists,
  model: string,
): Record<string, T> {
  const visible = filterFieldsGet(fieldsGetResult, access.readFields, access.writeFields);
  const writable = (field: string) => grantsSensitive(access, model, field, access.writeFields);
  return Object.fromEntries(
    Object.entries(visible)
      .filter(([field]) => !refusedSecret(access, model, field) || writable(field))
      .map(([field, meta]) => [field, sensitiveField(model, field) !== undefined && !writable(field) ? { ...meta, readonly: true } : meta]),
  );
}

export function checkWriteFields(access: FieldLists, model: string, valuesList: readonly Record<string, unknown>[]): Decision {
  const { writeFields } = access;
  for (const values of valuesList) {
    const sensitive = Object.keys(values).find(
      (field) => sensitiveField(model, field) !== undefined && !grantsSensitive(access, model, field, writeFields),
    );
    if (sensitive !== undefined) return deny({ code: 'sensitive_field', model, field: sensitive, access: 'write' });
  }
  if (writeFields === null) return ALLOW;
  for (const values of valuesList) {
    const refused = Object.keys(values).find((field) => !writeFields.includes(field));
    if (refused !== undefined) return deny({ code: 'field_not_writable', model, field: refused });
  }
  return ALLOW;
}

/**
 * Searching, grouping or sorting on a field reveals its values one guess at a
 * time, so with `read_fields` set a domain may only filter on readable fields.
 * Only the first segment of a path is checked here; `checkDomainPaths` also
 * follows relations when the caller can tell which model a field points to.
 */
export function checkDomainFields(access: FieldLists, model: string, domain: Domain): Decision {
  for (const path of fieldsInDomain(domain)) {
    const field = path.split('.')[0] ?? path;
    if (refusedSecret(access, model, field)) return deny({ code: 'sensitive_field', model, field, access: 'read' });
    if (!isReadable(access.readFields, field)) return deny({ code: 'field_not_readable', model, field });
  }
  return ALLOW;
}
