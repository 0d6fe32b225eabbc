import { describe, expect, it } from 'vitest';
import type { DenialReason } from '../../../src/policy/decision';
import { describeDenial } from '../../../src/policy/reasons';

describe('describeDenial', () => {
  it.each<[DenialReason, string]>([
    [{ code: 'operation_not_allowed', operation: 'delete', model: 'sale.order' }, "this connection may not delete sale.order records (operation 'delete' is not in its scope)"],
    [{ code: 'operation_not_allowed', operation: 'execute' }, "this connection may not call methods on records (operation 'execute' is not in its scope)"],
    [{ code: 'operation_not_allowed', operation: 'write', model: 'crm.lead' }, "this connection may not update crm.lead records (operation 'write' is not in its scope)"],
    [{ code: 'model_not_allowed', model: 'stock.picking' }, "this connection may not use model 'stock.picking' (it is not among the models of its scope)"],
    [{ code: 'model_denied', model: 'hr.employee', pattern: 'hr.*' }, "this connection may not use model 'hr.employee' (denied by 'hr.*' in its scope)"],
    [
      { code: 'sensitive_model', model: 'res.users.apikeys' },
      "this connection may not use model 'res.users.apikeys' (it holds credentials or system settings; name it exactly in the scope to allow it)",
    ],
    [{ code: 'method_not_allowed', model: 'sale.order', method: 'action_cancel', allowed: ['action_confirm'] }, "sale.order: method 'action_cancel' may not be called by this connection (allowed: action_confirm)"],
    [{ code: 'method_not_allowed', model: 'sale.order', method: 'x', allowed: [] }, "sale.order: method 'x' may not be called by this connection (no methods are allowed)"],
    [{ code: 'private_method', model: 'res.partner', method: '_compute' }, "res.partner: method '_compute' is private and can never be called"],
    [
      { code: 'method_reserved', model: 'res.partner', method: 'write', operation: 'write' },
      "res.partner: 'write' cannot be called as a method; use the 'write' operation, which applies the scope's field and record limits",
    ],
    [
      { code: 'method_reserved', model: 'res.partner', method: 'write', tool: 'update_records' },
      "res.partner: 'write' cannot be called as a method; use the update_records tool, which applies the scope's field and record limits",
    ],
    [{ code: 'field_not_readable', model: 'sale.order', field: 'margin' }, "sale.order: field 'margin' may not be read by this connection"],
    [{ code: 'field_not_writable', model: 'crm.lead', field: 'user_id' }, "crm.lead: field 'user_id' may not be written by this connection"],
    [{ code: 'record_outside_scope', model: 'sale.order', ids: [12] }, "sale.order: record 12 is outside this connection's scope or does not exist"],
    [{ code: 'record_outside_scope', model: 'sale.order', ids: [12, 13] }, "sale.order: records 12, 13 are outside this connection's scope or do not exist"],
    [
      { code: 'record_ids_required', model: 'sale.order', method: 'action_confirm' },
      "sale.order: method 'action_confirm' must name its records in ids, because this connection's scope limits sale.order to a domain (positional args without ids are refused)",
    ],
    [
      { code: 'relation_outside_scope', model: 'res.partner', path: 'sale_order_ids.state', target: 'sale.order' },
      "res.partner: the condition on 'sale_order_ids.state' searches sale.order records, which this connection's scope limits to a domain; search sale.order directly",
    ],
    [{ code: 'ip_not_allowed', ip: '198.51.100.7' }, 'this connection does not accept calls from 198.51.100.7'],
    [{ code: 'ip_not_allowed', ip: null }, 'this connection only accepts calls from allowed IP addresses, and the client address is unknown'],
    [
      { code: 'outside_time_window', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' }] },
      'this connection is outside its allowed hours: calls are allowed Mon-Fri 08:00-18:00 Europe/Brussels',
    ],
    [{ code: 'not_yet_valid', notBefore: '2026-03-02T08:00:00.000Z' }, 'this connection is not valid before 2026-03-02T08:00:00.000Z'],
    [{ code: 'expired', expiresAt: '2026-03-03T08:00:00.000Z' }, 'this connection expired at 2026-03-03T08:00:00.000Z'],
    [{ code: 'rate_limited', retryAfterSeconds: 12, limit: { requests: 120, per_seconds: 60 } }, 'rate limit of 120 requests per 60 s reached; retry in 12 s'],
    [{ code: 'rate_limited', retryAfterSeconds: 3 }, 'rate limit reached; retry in 3 s'],
    [{ code: 'invalid_domain', detail: "domain[0]: unknown operator 'equals'" }, "invalid domain: domain[0]: unknown operator 'equals'"],
  ])('%j', (reason, text) => {
    expect(describeDenial(reason)).toBe(text);
  });
});
