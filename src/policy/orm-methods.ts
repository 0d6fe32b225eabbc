import type { Operation } from './operations';

/**
 * ORM methods that read or change data. Calling them through `call_method`
 * would skip the operation classes, field lists and record domain of the
 * scope, so they are only reachable through their dedicated operations.
 */
export const ORM_METHOD_OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['search', 'query'],
  ['search_count', 'query'],
  ['search_fetch', 'read'],
  ['name_search', 'read'],
  ['read', 'read'],
  ['search_read', 'read'],
  ['web_read', 'read'],
  ['web_search_read', 'read'],
  ['fetch', 'read'],
  ['export_data', 'read'],
  ['create', 'create'],
  ['name_create', 'create'],
  ['copy', 'create'],
  ['copy_data', 'create'],
  ['load', 'create'],
  ['write', 'write'],
  ['web_save', 'write'],
  ['unlink', 'delete'],
  ['fields_get', 'schema'],
  ['get_views', 'schema'],
  ['read_group', 'report'],
  ['formatted_read_group', 'report'],
  ['web_read_group', 'report'],
  ['read_progress_bar', 'report'],
]);

export function ormMethodOperation(method: string): Operation | undefined {
  return ORM_METHOD_OPERATIONS.get(method);
}

export function isPrivateMethod(method: string): boolean {
  return method.startsWith('_');
}
