import { describe, expect, it } from 'vitest';
import { describeScope } from '../../../src/console/views/scope-description';
import type { Scope } from '../../../src/policy/scope';

describe('a scope in words on the connection page', () => {
  it.each<[string, Scope, string[]]>([
    ['read only', { preset: 'read_only' }, ['Read only: search, read, describe and aggregate.', 'Any model the Odoo user can see, except the built-in sensitive ones.', 'From any IP address.', 'At any time.']],
    [
      'a custom scope with every part',
      {
        preset: 'custom',
        operations: ['query', 'read', 'write'],
        models: {
          '*': { operations: ['query'] },
          'sale.order': { read_fields: ['name', 'state'], write_fields: [], domain: [['state', '=', 'draft']], methods: ['action_confirm'] },
          'crm.*': {},
        },
        deny_models: ['hr.*'],
        ip_allow: ['203.0.113.0/24', '2001:db8::/32'],
        time_windows: [{ days: ['mon', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' }],
        rate_limit: { requests: 1, per_seconds: 60 },
      },
      [
        'Custom: query, read and write.',
        'Only the models listed below; any other model is refused.',
        'Any other model: query.',
        'sale.order: query, read and write; reads only name and state; writes no field; only records matching [["state","=","draft"]]; methods action_confirm.',
        'Models matching crm.*: query, read and write.',
        'Never: hr.*.',
        'Only from 203.0.113.0/24 and 2001:db8::/32.',
        'Only Mon, Fri 08:00–18:00 (Europe/Brussels).',
        'At most 1 request per minute.',
      ],
    ],
    ['no models at all', { preset: 'full', models: {}, rate_limit: { requests: 120, per_seconds: 7200 } }, ['Every operation the Odoo user may do.', 'No model is allowed.', 'From any IP address.', 'At any time.', 'At most 120 requests per 2 hours.']],
  ])('%s', (_name, scope, words) => {
    expect(describeScope(scope)).toEqual(words);
  });
});
