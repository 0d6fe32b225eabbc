import { ALLOW, deny, type Decision, type DenialReason } from './decision';
import { fieldsInDomain, type Domain } from './domain';
import type { ModelAccess } from './models';

type FieldLists = Pick<ModelAccess, 'readFields' | 'writeFields'>;

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
  if (readFields === null) return { ok: true, fields: wanted === undefined ? undefined : [...wanted] };
  if (wanted === undefined) return { ok: true, fields: readFields.length > 0 ? [...readFields] : [ALWAYS_READABLE] };
  const refused = wanted.find((field) => !isReadable(readFields, field));
  if (refused !== undefined) return { ok: false, reason: { code: 'field_not_readable', model, field: refused } };
  return { ok: true, fields: [...wanted] };
}

/** Keeps only readable keys of each record, `id` always; a second line of defence after `checkReadFields`. */
export function filterRecordFields<T extends Record<string, unknown>>(
  records: readonly T[],
  readFields: readonly string[] | null,
): Array<Partial<T>> {
  if (readFields === null) return records.map((record) => ({ ...record }));
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
    ([field]) => isReadable(readFields, field) || (writable !== null && writable.includes(field)),
  );
  return Object.fromEntries(
    visible.map(([field, meta]) => [
      field,
      writable === null || writable.includes(field) ? { ...meta } : { ...meta, readonly: true },
    ]),
  );
}

export function checkWriteFields(access: FieldLists, model: string, valuesList: readonly Record<string, unknown>[]): Decision {
  const { writeFields } = access;
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
  if (access.readFields === null) return ALLOW;
  for (const path of fieldsInDomain(domain)) {
    const field = path.split('.')[0] ?? path;
    if (!isReadable(access.readFields, field)) return deny({ code: 'field_not_readable', model, field });
  }
  return ALLOW;
}
