import type { Operation } from './operations';

/** The tool that performs an operation with the scope's field and record limits applied. */
const TOOL_FOR: Readonly<Record<Exclude<Operation, 'execute'>, string>> = {
  query: 'search_records',
  read: 'read_records',
  create: 'create_records',
  write: 'update_records',
  delete: 'delete_records',
  schema: 'describe_model',
  report: 'aggregate_records',
};

export type ReservedMethod =
  | {
      /** What the method does to records, whatever model it is called on. */
      operation: Exclude<Operation, 'execute'>;
      /** The tool to use instead. */
      tool: string;
    }
  | {
      /** A helper of server code, not an action on records: why it is never called over the wire. */
      helper: string;
    };

type Row = readonly [method: string, operation: Exclude<Operation, 'execute'>, tool?: string];

/**
 * Public methods of every Odoo 19 model (BaseModel in `odoo/orm/models.py`,
 * the `base` extensions of `web`, `web_hierarchy`, `base` views and `mail`)
 * that read or write fields or records the caller chooses: the fields named in
 * a specification or in values, records found by a domain or a name, records
 * of related models. Called through `call_method` they would skip the
 * operation classes, field lists and record domain of the scope, so they are
 * refused on every model, even when a scope names them in `methods`; the
 * matching tool applies the limits.
 *
 * This is the second line only: a deny-list cannot know every method of every
 * module, so on a model whose scope entry limits fields or records, only the
 * methods the entry names in `methods` may be called at all.
 */
const RESERVED_ROWS: readonly Row[] = [
  // Searches: a domain or a name chosen by the caller, past the scope's domain.
  ['search', 'query'],
  ['search_count', 'query', 'count_records'],
  ['search_fetch', 'read', 'search_records'],
  ['search_read', 'read', 'search_records'],
  ['name_search', 'read', 'search_records'],
  ['web_name_search', 'read', 'search_records'],
  ['web_search_read', 'read', 'search_records'],
  ['hierarchy_read', 'read', 'search_records'],
  // Reads of any field, and of related records through a specification.
  ['read', 'read'],
  ['fetch', 'read'],
  ['web_read', 'read'],
  ['export_data', 'read'],
  ['copy_data', 'read'],
  ['get_metadata', 'read'],
  ['get_field_translations', 'read'],
  // onchange evaluates the given values (ids of existing records included) and returns any field of the specification.
  ['onchange', 'read'],
  // Creations, with any values.
  ['create', 'create'],
  ['name_create', 'create'],
  ['copy', 'create'],
  ['load', 'create'],
  // mail.thread: create (message_new, message_process routes an e-mail into any model) or write (message_update) with any values.
  ['message_new', 'create'],
  ['message_process', 'create'],
  ['message_update', 'write'],
  // Writes of any field, or of a field chosen by name.
  ['write', 'write'],
  ['web_save', 'write'],
  ['web_save_multi', 'write'],
  ['web_resequence', 'write'],
  ['update_field_translations', 'write'],
  ['web_override_translations', 'write'],
  ['copy_translations', 'write'],
  ['toggle_active', 'write'],
  ['action_archive', 'write'],
  ['action_unarchive', 'write'],
  // mail.thread: moves messages to a record of any model.
  ['message_change_thread', 'write'],
  ['unlink', 'delete'],
  // Field and view definitions, with hidden fields.
  ['fields_get', 'schema'],
  ['get_views', 'schema'],
  ['get_view', 'schema'],
  ['get_property_definition', 'schema'],
  // Grouped reads: any field grouped or aggregated, any domain.
  ['read_group', 'report'],
  ['formatted_read_group', 'report'],
  ['formatted_read_grouping_sets', 'report'],
  ['web_read_group', 'report'],
  ['read_progress_bar', 'report'],
  ['search_panel_select_range', 'report'],
  ['search_panel_select_multi_range', 'report'],
  // Record-set helpers of BaseModel (odoo/orm/models.py). Odoo 19 marks most of them
  // `@api.private`, Odoo 18 and older do not; over /jsonrpc they would run on the
  // records and fields the caller names: mapped('partner_id.email') reads any field.
  ['browse', 'read'],
  ['exists', 'read'],
  ['mapped', 'read'],
  ['filtered', 'read'],
  ['filtered_domain', 'query', 'search_records'],
  ['sorted', 'read'],
  ['grouped', 'read'],
  ['get_external_id', 'read'],
  // update() assigns field values: on stored records it is a write.
  ['update', 'write'],
  ['new', 'create'],
  ['check_field_access_rights', 'schema'],
];

/**
 * Helpers that change the environment a record set runs in, flush or lock it,
 * or hand out a way in: none is a business action, and one that runs would
 * act with another user, company or context than the gateway checked.
 */
const HELPER_ROWS: ReadonlyArray<readonly [method: string, helper: string]> = [
  ['sudo', 'switches to superuser mode, past the access rules of the acting user'],
  ['with_user', 'runs as another Odoo user'],
  ['with_company', 'runs in another company'],
  ['with_context', 'changes the context the records are read and written with'],
  ['with_env', 'runs in another environment (user, company, context)'],
  ['with_prefetch', 'is a record-set helper of server code'],
  ['ensure_one', 'is a record-set helper of server code'],
  ['concat', 'is a record-set helper of server code'],
  ['union', 'is a record-set helper of server code'],
  ['flush_model', 'is a record-set helper of server code'],
  ['flush_recordset', 'is a record-set helper of server code'],
  ['invalidate_model', 'is a record-set helper of server code'],
  ['invalidate_recordset', 'is a record-set helper of server code'],
  ['modified', 'is a record-set helper of server code'],
  ['lock_for_update', 'locks records for the rest of the transaction'],
  ['try_lock_for_update', 'locks records for the rest of the transaction'],
  ['init', 'initialises the model in the database'],
  ['check_access', 'is an access check of server code'],
  ['has_access', 'is an access check of server code'],
  ['check_access_rights', 'is an access check of server code'],
  ['check_access_rule', 'is an access check of server code'],
  // addons/portal portal.mixin: the address holds the record's access_token, which opens it to anyone.
  ['get_portal_url', "returns the record's portal address with its access token, a way in that bypasses the gateway"],
];

export const RESERVED_METHODS: ReadonlyMap<string, ReservedMethod> = new Map<string, ReservedMethod>([
  ...RESERVED_ROWS.map(([method, operation, tool]): [string, ReservedMethod] => [method, { operation, tool: tool ?? TOOL_FOR[operation] }]),
  ...HELPER_ROWS.map(([method, helper]): [string, ReservedMethod] => [method, { helper }]),
]);

export function reservedMethod(method: string): ReservedMethod | undefined {
  return RESERVED_METHODS.get(method);
}

/** Why a reserved helper is never called, or undefined for other methods. */
export function reservedHelperReason(method: string): string | undefined {
  const reserved = RESERVED_METHODS.get(method);
  return reserved !== undefined && 'helper' in reserved ? reserved.helper : undefined;
}

export function isPrivateMethod(method: string): boolean {
  return method.startsWith('_');
}
