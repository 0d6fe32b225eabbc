import { describe, expect, it } from 'vitest';
import { auditEventForCall, type CallSite } from '../../../src/audit/from-call';
import { auditEventSchema } from '../../../src/audit/event';
import type { CallRecord } from '../../../src/mcp/server';

const SITE: CallSite = {
  principal: {
    connection: { id: 'con_1', name: 'Assistant', auth: 'key', scope: { preset: 'full' } as never, notBefore: null, expiresAt: null, logPayloads: false, lastClient: { name: null, version: null } },
    keyPublicId: 'pub123456789',
    odoo: { id: 'acct_1', url: 'https://odoo.example', database: 'prod', login: 'bot@example.com', apiKey: 'odoo-api-key-SECRET', api: 'json2', uid: 7, userName: 'Bot' },
    session: null,
  },
  session: { id: 'session-1', client: { name: 'Claude Code', version: '2.0.1' } },
  clientIp: '198.51.100.4',
  userAgent: 'claude-code/2.0.1',
};

function record(tool: string, args: Record<string, unknown> | null, outcome: CallRecord['outcome']): CallRecord {
  return { tool, args, outcome, startedAt: Date.parse('2026-05-05T05:05:05Z'), latencyMs: 12.6 };
}

describe('auditEventForCall', () => {
  it('names the connection, key, Odoo user, client and call', () => {
    const event = auditEventForCall(SITE, record('read_records', { model: 'res.partner', ids: [3, 4] }, { kind: 'ok', data: {}, recordIds: [3] }));
    expect(auditEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      at: Date.parse('2026-05-05T05:05:05Z'),
      kind: 'mcp',
      connectionId: 'con_1',
      connectionName: 'Assistant',
      keyPublicId: 'pub123456789',
      odooUid: 7,
      odooLogin: 'bot@example.com',
      clientIp: '198.51.100.4',
      userAgent: 'claude-code/2.0.1',
      mcpClientName: 'Claude Code',
      mcpClientVersion: '2.0.1',
      sessionId: 'session-1',
      tool: 'read_records',
      model: 'res.partner',
      method: 'read',
      recordIds: [3],
      outcome: 'allowed',
      denialCode: null,
      denialReason: null,
      odooError: null,
      latencyMs: 13,
    });
    expect(JSON.stringify(event)).not.toContain('odoo-api-key-SECRET');
  });

  it.each<[string, CallRecord['outcome'], Record<string, unknown>]>([
    ['a denial', { kind: 'denied', reason: { code: 'operation_not_allowed', operation: 'delete' } }, { outcome: 'denied', denialCode: 'operation_not_allowed', odooError: null }],
    [
      'an Odoo error',
      { kind: 'odoo_error', failure: { kind: 'validation_error', odooName: 'odoo.exceptions.ValidationError', message: 'Contacts require a name' } },
      { outcome: 'error', denialCode: 'validation_error', odooError: 'odoo.exceptions.ValidationError' },
    ],
    ['Odoo out of reach', { kind: 'odoo_error', failure: { kind: 'unreachable', odooName: null, message: '' } }, { outcome: 'error', denialCode: 'unreachable', odooError: null }],
    ['invalid arguments', { kind: 'invalid', message: 'ids: expected array' }, { outcome: 'error', denialCode: 'invalid_arguments', denialReason: 'ids: expected array' }],
    ['a gateway failure', { kind: 'internal' }, { outcome: 'error', denialCode: 'internal_error' }],
  ])('records %s with its code and words', (_label, outcome, expected) => {
    const event = auditEventForCall(SITE, record('delete_records', { model: 'res.partner', ids: [9] }, outcome));
    expect(event).toMatchObject({ ...expected, model: 'res.partner', method: 'unlink', recordIds: [9] });
    expect(event.denialReason).toEqual(expect.any(String));
  });

  it('names the Odoo method each tool reaches, and the model list_models reads', () => {
    const methods = Object.fromEntries(
      ['search_records', 'count_records', 'read_records', 'create_records', 'update_records', 'delete_records', 'aggregate_records', 'describe_model', 'list_models'].map((tool) => {
        const event = auditEventForCall(SITE, record(tool, {}, { kind: 'ok', data: {} }));
        return [tool, `${event.model}.${event.method}`];
      }),
    );
    expect(methods).toEqual({
      search_records: 'null.search_read',
      count_records: 'null.search_count',
      read_records: 'null.read',
      create_records: 'null.create',
      update_records: 'null.write',
      delete_records: 'null.unlink',
      aggregate_records: 'null.read_group',
      describe_model: 'null.fields_get',
      list_models: 'ir.model.search_read',
    });
    expect(auditEventForCall(SITE, record('call_method', { model: 'res.partner', method: 'message_post' }, { kind: 'ok', data: {} }))).toMatchObject({
      model: 'res.partner',
      method: 'message_post',
    });
  });

  it('records an unknown tool with what it can', () => {
    const event = auditEventForCall(SITE, record('x'.repeat(300), { model: 42 }, { kind: 'invalid', message: "unknown tool 'x'" }));
    expect(event).toMatchObject({ model: null, method: null, outcome: 'error', denialCode: 'invalid_arguments' });
    expect(event.tool).toHaveLength(100);
    expect(auditEventSchema.safeParse(event).success).toBe(true);
  });

  it('bounds what callers control: ids, user agent, client address', () => {
    const ids = Array.from({ length: 5000 }, (_, index) => index);
    const event = auditEventForCall({ ...SITE, userAgent: 'u'.repeat(1000), clientIp: 'i'.repeat(200) }, record('read_records', { model: 'res.partner', ids }, { kind: 'denied', reason: { code: 'rate_limited', retryAfterSeconds: 3, limit: { requests: 1, per: 'minute' } } as never }));
    expect(event.recordIds).toHaveLength(1000);
    expect(event.userAgent).toHaveLength(300);
    expect(event.clientIp).toHaveLength(64);
  });

  it('uses the connection payload setting', () => {
    const args = { model: 'crm.lead', values: { name: 'Big deal' } };
    const quiet = auditEventForCall(SITE, record('create_records', args, { kind: 'ok', data: {}, recordIds: [1] }));
    const verbose = auditEventForCall(
      { ...SITE, principal: { ...SITE.principal, connection: { ...SITE.principal.connection, logPayloads: true } } },
      record('create_records', args, { kind: 'ok', data: {}, recordIds: [1] }),
    );
    expect(quiet.detail).toEqual({ written_fields: ['name'] });
    expect(verbose.detail).toEqual({ written_fields: ['name'], arguments: args });
  });

  it('gives time-ordered ids', () => {
    const early = auditEventForCall(SITE, { ...record('list_models', {}, { kind: 'ok', data: {} }), startedAt: 1_000_000 });
    const late = auditEventForCall(SITE, { ...record('list_models', {}, { kind: 'ok', data: {} }), startedAt: 2_000_000 });
    expect(early.id < late.id).toBe(true);
  });
});

describe('every audit event is bounded, whatever the caller sent', () => {
  const padded = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}_${'x'.repeat(10_000)}`, 1]));
  it.each<[string, Record<string, unknown>, CallRecord['outcome']]>([
    ['padded kwargs keys', { model: 'res.partner', method: 'do_it', kwargs: padded }, { kind: 'ok', data: {} }],
    ['padded field names', { model: 'res.partner', ids: [1], values: padded }, { kind: 'ok', data: {} }],
    [
      'a denial quoting a padded field',
      { model: 'res.partner', values: padded },
      { kind: 'denied', reason: { code: 'field_not_writable', model: 'res.partner', field: 'y'.repeat(500_000) } },
    ],
    ['a long invalid message', { model: 'res.partner' }, { kind: 'invalid', message: 'z'.repeat(500_000) }],
  ])('%s stays far below the Queue and D1 limits, and says it was cut', (_name, args, outcome) => {
    const event = auditEventForCall(SITE, record('call_method', args, outcome));
    expect(auditEventSchema.parse(event)).toEqual(event);
    const size = JSON.stringify(event).length;
    expect(size).toBeLessThan(64_000);
    const cut = JSON.stringify(event.detail).includes('truncated') || JSON.stringify(event.detail).includes('…') || (event.denialReason ?? '').includes('(cut)');
    expect(cut).toBe(true);
  });

  it('keeps the whole logged payload when it is small', () => {
    const event = auditEventForCall(
      { ...SITE, principal: { ...SITE.principal, connection: { ...SITE.principal.connection, logPayloads: true } } },
      record('update_records', { model: 'res.partner', ids: [1], values: { name: 'A' } }, { kind: 'ok', data: {} }),
    );
    expect(event.detail).toMatchObject({ arguments: { values: { name: 'A' } } });
  });
});
