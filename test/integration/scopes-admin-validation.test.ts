import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminRequest } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

/** An invalid scope is refused when an admin saves it, with the path of each error, and nothing is stored. */

useStandinOdoo();

const officeHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' };

async function connectionCount(): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM connections').first<{ n: number }>())!.n;
}

describe('POST /admin/api/connections refuses invalid scopes', () => {
  it.each<[string, Record<string, unknown>, Array<[string, RegExp]>]>([
    ['an unknown operation', { preset: 'custom', operations: ['read', 'destroy'] }, [['scope.operations.1', /unknown operation 'destroy'/]]],
    [
      'an unknown operation in a model entry',
      { preset: 'custom', operations: ['read'], models: { 'crm.lead': { operations: ['explode'] } } },
      [['scope.models.crm.lead.operations.0', /unknown operation 'explode'/]],
    ],
    ['a prefix too long for IPv4', { preset: 'read_only', ip_allow: ['203.0.113.0/24', '10.0.0.0/33'] }, [['scope.ip_allow.1', /not a valid CIDR/]]],
    ['a CIDR with host bits set', { preset: 'read_only', ip_allow: ['10.1.2.3/8'] }, [['scope.ip_allow.0', /did you mean 10\.0\.0\.0\/8/]]],
    ['an address that is not one', { preset: 'read_only', ip_allow: ['2001:db8::/32', 'localhost'] }, [['scope.ip_allow.1', /not a valid CIDR/]]],
    ['an unknown time zone', { preset: 'read_only', time_windows: [{ ...officeHours, tz: 'Europe/Atlantis' }] }, [['scope.time_windows.0.tz', /unknown time zone 'Europe\/Atlantis'/]]],
    ['a start that is not a time', { preset: 'read_only', time_windows: [{ ...officeHours, start: '8am' }] }, [['scope.time_windows.0.start', /HH:MM/]]],
    ['a start of 24:00', { preset: 'read_only', time_windows: [officeHours, { ...officeHours, start: '24:00', end: '02:00' }] }, [['scope.time_windows.1.start', /HH:MM/]]],
    ['an empty day list', { preset: 'read_only', time_windows: [{ ...officeHours, days: [] }] }, [['scope.time_windows.0.days', /must not be empty/]]],
    ['an unknown day', { preset: 'read_only', time_windows: [{ ...officeHours, days: ['mon', 'funday'] }] }, [['scope.time_windows.0.days.1', /unknown day 'funday'/]]],
    ['an unknown top-level key', { preset: 'read_only', colour: 'blue' }, [['scope.colour', /unrecognized key 'colour'/]]],
    [
      'an unknown key in a model entry',
      { preset: 'read_only', models: { 'sale.order': { read_fields: ['name'], writable: ['name'] } } },
      [['scope.models.sale.order.writable', /unrecognized key 'writable'/]],
    ],
    ['an unknown key in a time window', { preset: 'read_only', time_windows: [{ ...officeHours, timezone: 'UTC' }] }, [['scope.time_windows.0.timezone', /unrecognized key 'timezone'/]]],
    [
      'a write field that is not a field name',
      { preset: 'custom', operations: ['create'], models: { 'crm.lead': { write_fields: ['name', 'email from'] } } },
      [['scope.models.crm.lead.write_fields.1', /'email from' is not a field name/]],
    ],
    [
      'several errors at once, each with its path',
      {
        preset: 'custom',
        operations: ['read', 'nuke'],
        ip_allow: ['999.1.1.1'],
        time_windows: [{ days: [], start: 'noon', end: '18:00', tz: 'Nowhere/City' }],
        extra: true,
      },
      [
        ['scope.operations.1', /unknown operation 'nuke'/],
        ['scope.ip_allow.0', /not a valid CIDR/],
        ['scope.time_windows.0.days', /must not be empty/],
        ['scope.time_windows.0.start', /HH:MM/],
        ['scope.time_windows.0.tz', /unknown time zone/],
        ['scope.extra', /unrecognized key 'extra'/],
      ],
    ],
  ])('%s', async (_label, scope, expected) => {
    const before = await connectionCount();
    const response = await adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'invalid scope', scope } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { issues: Array<{ path: string; message: string }> } } };
    expect(body.error.code).toBe('validation_failed');
    const issues = body.error.details.issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(expected.map(([path]) => path).sort());
    for (const [path, message] of expected) expect(issues.find((issue) => issue.path === path)!.message).toMatch(message);
    expect(await connectionCount()).toBe(before);
  });
});
