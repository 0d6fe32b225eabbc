import { describe, expect, it } from 'vitest';
import { approvalTtlMs, decideCall, findApprovalRule, findApprovalRules, type CallEffect } from '../../../src/policy/approvals';
import { ALLOW, deny } from '../../../src/policy/decision';
import { parseScope, type Scope } from '../../../src/policy/scope';

const ISSUE_RULES: Scope = {
  preset: 'full',
  approvals: [
    { models: ['sale.order'], operations: ['delete'] },
    { models: ['sale.order'], methods: ['action_confirm'] },
    { models: ['account.move'], write_fields: ['amount_total', 'partner_id'] },
    { models: ['stock.*'], operations: ['write'] },
  ],
};

describe('findApprovalRule', () => {
  it.each<[string, CallEffect[], number | null, string | null]>([
    ['a delete the rule names', [{ model: 'sale.order', operation: 'delete' }], 0, 'delete on sale.order'],
    ['a delete on another model', [{ model: 'sale.order.line', operation: 'delete' }], null, null],
    ['a write on the model of a delete rule', [{ model: 'sale.order', operation: 'write', fields: ['note'] }], null, null],
    ['the method the rule names', [{ model: 'sale.order', operation: 'execute', method: 'action_confirm' }], 1, 'sale.order.action_confirm'],
    ['another method', [{ model: 'sale.order', operation: 'execute', method: 'action_cancel' }], null, null],
    ['a write of a named field', [{ model: 'account.move', operation: 'write', fields: ['ref', 'partner_id'] }], 2, 'account.move.partner_id written'],
    ['a create setting a named field', [{ model: 'account.move', operation: 'create', fields: ['amount_total'] }], 2, 'account.move.amount_total written'],
    ['a write of other fields', [{ model: 'account.move', operation: 'write', fields: ['ref'] }], null, null],
    ['a read of a named field is no write', [{ model: 'account.move', operation: 'read', fields: ['partner_id'] }], null, null],
    ['a wildcard pattern', [{ model: 'stock.picking', operation: 'write', fields: ['x'] }], 3, 'write on stock.picking'],
    ['the wildcard does not match the bare prefix', [{ model: 'stock', operation: 'write', fields: ['x'] }], null, null],
    [
      'a nested write through an x2many',
      [
        { model: 'res.partner', operation: 'write', fields: ['invoice_ids'] },
        { model: 'account.move', operation: 'write', fields: ['partner_id'] },
      ],
      2,
      'account.move.partner_id written',
    ],
  ])('%s', (_label, effects, index, matched) => {
    const match = findApprovalRule(ISSUE_RULES, effects);
    expect(match?.index ?? null).toBe(index);
    expect(match?.matched ?? null).toBe(matched);
  });

  it('a scope without approvals holds nothing', () => {
    expect(findApprovalRule({ preset: 'full' }, [{ model: 'sale.order', operation: 'delete' }])).toBeNull();
  });
});

describe('findApprovalRules', () => {
  it('lists every rule a call matches, each matched text once, with the effect it holds', () => {
    const effects: CallEffect[] = [
      { model: 'account.move', operation: 'write', fields: ['partner_id'] },
      { model: 'sale.order', operation: 'delete', ids: [2] },
      { model: 'sale.order', operation: 'delete', ids: [3] },
    ];
    const matches = findApprovalRules(ISSUE_RULES, effects);
    expect(matches.map((match) => [match.index, match.matched])).toEqual([
      [0, 'delete on sale.order'],
      [2, 'account.move.partner_id written'],
    ]);
    expect(matches[0]!.effect).toEqual({ model: 'sale.order', operation: 'delete', ids: [2] });
  });

  it('marks an effect on records the call does not name', () => {
    const [match] = findApprovalRules(ISSUE_RULES, [{ model: 'stock.move', operation: 'write', fields: ['picking_id'], current: true }]);
    expect(match?.effect.current).toBe(true);
  });
});

describe('decideCall', () => {
  const effects: CallEffect[] = [{ model: 'sale.order', operation: 'delete' }];
  it('deny wins over needs approval', () => {
    const denied = deny({ code: 'model_not_allowed', model: 'sale.order' });
    expect(decideCall(denied, ISSUE_RULES, effects)).toEqual(denied);
  });
  it('an allowed call a rule matches needs approval', () => {
    expect(decideCall(ALLOW, ISSUE_RULES, effects)).toMatchObject({ effect: 'needs_approval', match: { index: 0 } });
  });
  it('an allowed call no rule matches is allowed', () => {
    expect(decideCall(ALLOW, ISSUE_RULES, [{ model: 'res.partner', operation: 'delete' }])).toEqual({ effect: 'allow' });
  });
});

describe('approval rules in the scope', () => {
  it.each<[string, unknown]>([
    ['the issue example', { ...ISSUE_RULES, approval_ttl_hours: 24 }],
    ['the shortest TTL', { preset: 'full', approvals: [{ models: ['*'], operations: ['delete'] }], approval_ttl_hours: 0.25 }],
    ['the longest TTL', { preset: 'full', approval_ttl_hours: 168 }],
  ])('accepts %s', (_label, input) => {
    expect(parseScope(input)).toEqual({ ok: true, scope: input });
  });

  it.each<[string, unknown, Array<{ path: string; message: string }>]>([
    ['a TTL under 15 minutes', { preset: 'full', approval_ttl_hours: 0.2 }, [{ path: 'approval_ttl_hours', message: 'approval_ttl_hours must be at least 0.25 (15 minutes)' }]],
    ['a TTL over 7 days', { preset: 'full', approval_ttl_hours: 169 }, [{ path: 'approval_ttl_hours', message: 'approval_ttl_hours must be at most 168 (7 days)' }]],
    [
      'a rule that holds nothing',
      { preset: 'full', approvals: [{ models: ['sale.order'] }] },
      [{ path: 'approvals.0', message: 'an approval rule needs operations, methods or write_fields: what should wait for approval?' }],
    ],
    [
      'a bad model pattern',
      { preset: 'full', approvals: [{ models: ['sale order'], operations: ['delete'] }] },
      [{ path: 'approvals.0.models.0', message: "'sale order' is not a model name or pattern such as 'sale.order' or 'sale.*'" }],
    ],
    [
      'a mixed-case model pattern, which could never match',
      { preset: 'full', approvals: [{ models: ['sale.order', 'Sale.Order'], operations: ['delete'] }] },
      [{ path: 'approvals.0.models.1', message: "'Sale.Order' can never match: Odoo model names are lower case (use 'sale.order')" }],
    ],
    ['no models', { preset: 'full', approvals: [{ models: [], operations: ['delete'] }] }, [{ path: 'approvals.0.models', message: 'models must name at least one model or pattern' }]],
    ['an unknown operation', { preset: 'full', approvals: [{ models: ['*'], operations: ['remove'] }] }, [{ path: 'approvals.0.operations.0', message: "unknown operation 'remove'" }]],
    [
      'a private method',
      { preset: 'full', approvals: [{ models: ['*'], methods: ['_compute'] }] },
      [{ path: 'approvals.0.methods.0', message: "'_compute' is private and can never be called" }],
    ],
    ['a bad field', { preset: 'full', approvals: [{ models: ['*'], write_fields: ['a-b'] }] }, [{ path: 'approvals.0.write_fields.0', message: "'a-b' is not a field name" }]],
    ['an unknown key', { preset: 'full', approvals: [{ models: ['*'], operations: ['delete'], when: 1 }] }, [{ path: 'approvals.0.when', message: "unrecognized key 'when'" }]],
  ])('refuses %s', (_label, input, issues) => {
    expect(parseScope(input)).toEqual({ ok: false, issues });
  });

  it.each<[number | undefined, number]>([
    [undefined, 24 * 3_600_000],
    [0.25, 15 * 60_000],
    [168, 7 * 24 * 3_600_000],
  ])('TTL %s hours is %d ms', (hours, ms) => {
    expect(approvalTtlMs({ preset: 'full', ...(hours === undefined ? {} : { approval_ttl_hours: hours }) })).toBe(ms);
  });
});
