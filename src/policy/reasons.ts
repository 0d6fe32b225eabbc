import type { DenialReason } from './decision';
import type { Operation } from './operations';
import { reservedHelperReason } from './orm-methods';
import { SENSITIVE_DELETES, sensitiveField, sensitiveMethodReason } from './sensitive-models';
import { describeTimeWindows } from './time-window';

const OPERATION_VERBS: Readonly<Record<Operation, string>> = {
  query: 'search',
  read: 'read',
  create: 'create',
  write: 'update',
  delete: 'delete',
  execute: 'call methods on',
  schema: 'inspect the fields of',
  report: 'run reports or aggregates on',
};

/** The one place that turns a denial into words for the AI client, the admin and the audit log. */
export function describeDenial(reason: DenialReason): string {
  const words = describeReason(reason);
  return 'through' in reason && reason.through !== undefined ? `${words}; the value of ${reason.through} would reach it` : words;
}

function describeReason(reason: DenialReason): string {
  switch (reason.code) {
    case 'operation_not_allowed': {
      const target = reason.model === undefined ? 'records' : `${reason.model} records`;
      return `this connection may not ${OPERATION_VERBS[reason.operation]} ${target} (operation '${reason.operation}' is not in its scope)`;
    }
    case 'model_not_allowed':
      return `this connection may not use model '${reason.model}' (it is not among the models of its scope)`;
    case 'model_denied':
      return `this connection may not use model '${reason.model}' (denied by '${reason.pattern}' in its scope)`;
    case 'sensitive_model':
      return `this connection may not use model '${reason.model}' (it holds credentials or system settings; name it exactly in the scope to allow it)`;
    case 'method_not_allowed': {
      if (reason.limits !== undefined && reason.limits.length > 0) {
        return `${reason.model}: method '${reason.method}' may not be called by this connection (its scope limits ${reason.model} with ${reason.limits.join(', ')}, so only methods named in its methods may be called, and it names none)`;
      }
      const allowed = reason.allowed.length === 0 ? 'no methods are allowed' : `allowed: ${reason.allowed.join(', ')}`;
      return `${reason.model}: method '${reason.method}' may not be called by this connection (${allowed})`;
    }
    case 'sensitive_delete':
      return `${reason.model}: records may not be deleted by this connection (deleting ${SENSITIVE_DELETES[reason.model] ?? 'them ends more than the records'}; name ${reason.model} exactly in the scope with the delete operation to allow it)`;
    case 'sensitive_method': {
      const why = sensitiveMethodReason(reason.model, reason.method) ?? 'changes how users sign in';
      return `${reason.model}: method '${reason.method}' may not be called by this connection (it ${why}; name ${reason.model} exactly in the scope and the method in its methods to allow it)`;
    }
    case 'sensitive_field': {
      const why = sensitiveField(reason.model, reason.field)?.reason ?? 'holds credentials or grants rights';
      const verb = reason.access === 'read' ? 'read' : 'written';
      const list = reason.access === 'read' ? 'read_fields' : 'write_fields';
      return `${reason.model}: field '${reason.field}' may not be ${verb} by this connection (it ${why}; name ${reason.model} exactly in the scope and the field in its ${list} to allow it)`;
    }
    case 'private_method':
      return `${reason.model}: method '${reason.method}' is private and can never be called`;
    case 'method_reserved': {
      const helper = reason.operation === undefined && reason.tool === undefined ? reservedHelperReason(reason.method) : undefined;
      if (helper !== undefined) return `${reason.model}: '${reason.method}' cannot be called as a method (it ${helper}); it is never callable through call_method`;
      const instead =
        reason.tool !== undefined ? `the ${reason.tool} tool` : reason.operation !== undefined ? `the '${reason.operation}' operation` : 'the dedicated tool';
      return `${reason.model}: '${reason.method}' cannot be called as a method; use ${instead}, which applies the scope's field and record limits`;
    }
    case 'field_not_readable':
      return `${reason.model}: field '${reason.field}' may not be read by this connection`;
    case 'field_not_writable':
      return `${reason.model}: field '${reason.field}' may not be written by this connection`;
    case 'record_outside_scope': {
      const ids = reason.ids.join(', ');
      return reason.ids.length === 1
        ? `${reason.model}: record ${ids} is outside this connection's scope or does not exist`
        : `${reason.model}: records ${ids} are outside this connection's scope or do not exist`;
    }
    case 'record_ids_required':
      return `${reason.model}: method '${reason.method}' must name its records in ids, because this connection's scope limits ${reason.model} to a domain (positional args without ids are refused)`;
    case 'relation_outside_scope':
      return `${reason.model}: the condition on '${reason.path}' searches ${reason.target} records, which this connection's scope limits to a domain; search ${reason.target} directly`;
    case 'relation_name_search': {
      const field = reason.path.split('.').pop()!;
      const byName = reason.fields.length > 0 ? `a name search on ${reason.target} (matching ${reason.fields.join(', ')})` : null;
      const hierarchy = reason.parentField === undefined ? null : `a walk of the ${reason.target} hierarchy through ${reason.parentField}`;
      const search = byName && hierarchy ? `${byName} and ${hierarchy}` : (byName ?? hierarchy ?? `a search of ${reason.target}`);
      const problem =
        reason.problem === 'not_searchable'
          ? `this connection may not search ${reason.target}`
          : reason.problem === 'domain'
            ? `this connection's scope limits ${reason.target} to a domain, which that search would not apply`
            : `field '${reason.field ?? ''}' of ${reason.target} may not be read by this connection`;
      const advice = hierarchy ? `name the records by id with 'in' instead` : `compare '${field}' with record ids instead, e.g. ['${reason.path}', 'in', [7]]`;
      return `${reason.model}: the condition on '${reason.path}' with '${reason.operator}' runs in Odoo as ${search}, and ${problem}; ${advice}`;
    }
    case 'value_outside_scope':
      return describeValueOutsideScope(reason);
    case 'ip_not_allowed':
      return reason.ip === null
        ? 'this connection only accepts calls from allowed IP addresses, and the client address is unknown'
        : `this connection does not accept calls from ${reason.ip}`;
    case 'outside_time_window':
      return `this connection is outside its allowed hours: calls are allowed ${describeTimeWindows(reason.windows)}`;
    case 'not_yet_valid':
      return `this connection is not valid before ${reason.notBefore}`;
    case 'expired':
      return `this connection expired at ${reason.expiresAt}`;
    case 'rate_limited': {
      const limit = reason.limit === undefined ? 'rate limit' : `rate limit of ${reason.limit.requests} requests per ${reason.limit.per_seconds} s`;
      return `${limit} reached; retry in ${reason.retryAfterSeconds} s`;
    }
    case 'invalid_domain':
      return `invalid domain: ${reason.detail}`;
  }
}

/** A written value is user data: shown short, so a refusal stays readable and its audit row small. */
function shortJson(value: unknown, limit = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

function describeValueOutsideScope(reason: Extract<DenialReason, { code: 'value_outside_scope' }>): string {
  const scope = `this connection's scope limits ${reason.model} to records matching ${shortJson(reason.condition, 240)}`;
  switch (reason.problem) {
    case 'outside':
      return reason.value === undefined
        ? `${reason.model}: the values would put the record outside this connection's scope (${scope})`
        : `${reason.model}: '${reason.field}' = ${shortJson(reason.value)} would put the record outside this connection's scope (${scope})`;
    case 'missing':
      return `${reason.model}: a new record must set '${reason.field}' in its values, because ${scope} and Odoo's default for '${reason.field}' cannot be checked`;
    case 'type':
      return `${reason.model}: '${reason.field}' = ${shortJson(reason.value)} cannot be checked against this connection's scope (${scope}); expected ${reason.expected ?? "a value of the field's type"}`;
    case 'unknowable':
      return `${reason.model}: Odoo assigns '${reason.field}' of a new record itself (a new record's id), so it cannot be checked, and ${scope}`;
  }
}
