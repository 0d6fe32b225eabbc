import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_CHARS, summarizeArguments } from '../../../src/audit/payload';

describe('summarizeArguments without payload logging', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown> | null]>([
    ['written fields of one record', { model: 'crm.lead', values: { name: 'Big deal', email_from: 'x@y.z' } }, { written_fields: ['name', 'email_from'] }],
    [
      'written fields of several records',
      { model: 'crm.lead', values: [{ name: 'A' }, { name: 'B', phone: '1' }] },
      { written_fields: ['name', 'phone'], records_written: 2 },
    ],
    ['fields read', { model: 'res.partner', fields: ['name', 'email'] }, { fields: ['name', 'email'] }],
    ['fields filtered on', { model: 'res.partner', domain: ['|', ['email', '=', 'a@b.c'], ['name', 'ilike', 'acme']] }, { domain_fields: ['email', 'name'] }],
    ['grouping', { model: 'sale.order', group_by: ['state'], aggregates: ['amount_total:sum'] }, { group_by: ['state'], aggregates: ['amount_total:sum'] }],
    ['method arguments', { model: 'res.partner', method: 'message_post', kwargs: { body: 'secret note' }, args: [1, 2] }, { kwarg_names: ['body'], positional_args: 2 }],
    ['nothing to say', { model: 'res.partner' }, null],
  ])('keeps only names: %s', (_label, args, expected) => {
    const summary = summarizeArguments(args, false);
    expect(summary).toEqual(expected);
    for (const value of ['Big deal', 'x@y.z', 'a@b.c', 'acme', 'secret note']) expect(JSON.stringify(summary)).not.toContain(value);
  });
});

describe('summarizeArguments with payload logging', () => {
  it('keeps the arguments whole, next to the names', () => {
    const args = { model: 'crm.lead', values: { name: 'Big deal' } };
    expect(summarizeArguments(args, true)).toEqual({ written_fields: ['name'], arguments: args });
  });

  it('still redacts values under keys that name a secret, at any depth', () => {
    const args = {
      model: 'res.users',
      values: [{ login: 'bob', password: 'hunter2', new_passwd: 'x', nested: { api_key: 'k', Token: 't', client_secret: 's', credentials: 'c' } }],
    };
    const summary = summarizeArguments(args, true)!;
    expect(summary.arguments).toEqual({
      model: 'res.users',
      values: [{ login: 'bob', password: '[redacted]', new_passwd: '[redacted]', nested: { api_key: '[redacted]', Token: '[redacted]', client_secret: '[redacted]', credentials: '[redacted]' } }],
    });
  });

  it('leaves out arguments larger than the cap, saying so', () => {
    const summary = summarizeArguments({ model: 'crm.lead', values: { description: 'x'.repeat(MAX_PAYLOAD_CHARS) } }, true)!;
    expect(summary.arguments).toBeUndefined();
    expect(summary.arguments_omitted).toMatch(/characters, above the 16000 kept/);
    expect(summary.written_fields).toEqual(['description']);
  });
});
