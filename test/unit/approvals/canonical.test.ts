import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../src/approvals/canonical';
import { describeChange, effectiveStatus } from '../../../src/approvals/present';
import type { ApprovalRow } from '../../../src/approvals/store';
import { formFromScope } from '../../../src/console/scope-prefill';

describe('canonicalJson', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['key order at every level does not count', { b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }, { a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }, true],
    ['array order counts', { ids: [1, 2] }, { ids: [2, 1] }, false],
    ['a changed value counts', { values: { email: 'a@x' } }, { values: { email: 'b@x' } }, false],
    ['an added key counts', { model: 'x' }, { model: 'x', ids: [] }, false],
    ['a number is not a string', { id: 1 }, { id: '1' }, false],
  ])('%s', (_label, a, b, same) => {
    expect(canonicalJson(a) === canonicalJson(b)).toBe(same);
  });

  it('sorts keys and keeps no whitespace', () => {
    expect(canonicalJson({ tool: 'delete_records', arguments: { model: 'crm.lead', ids: [1] } })).toBe('{"arguments":{"ids":[1],"model":"crm.lead"},"tool":"delete_records"}');
  });

  it('digests with SHA-256 in hex', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

function row(tool: string, args: Record<string, unknown>, extra: Partial<ApprovalRow> = {}): ApprovalRow {
  return {
    id: 'apr_x',
    connectionId: 'con_x',
    tool,
    model: typeof args.model === 'string' ? args.model : null,
    method: null,
    arguments: JSON.stringify(args),
    digest: 'd',
    rule: { index: 0, matched: 'm', rule: {} },
    status: 'pending',
    requestedAt: 0,
    expiresAt: 1000,
    decidedBy: null,
    decidedAt: null,
    note: null,
    reason: null,
    result: null,
    executedAt: null,
    deliveredAt: null,
    ...extra,
  };
}

describe('describeChange', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['delete_records', { model: 'sale.order', ids: [3, 4] }, 'Deletes sale.order records 3, 4; this cannot be undone.'],
    ['update_records', { model: 'account.move', ids: [7], values: { partner_id: 9, ref: 'x' } }, 'Writes partner_id, ref on account.move records 7.'],
    ['create_records', { model: 'crm.lead', values: [{ name: 'a' }, { name: 'b', email_from: 'c' }] }, 'Creates 2 crm.lead records setting name, email_from.'],
    ['call_method', { model: 'sale.order', method: 'action_confirm', ids: [1] }, 'Calls sale.order.action_confirm on records 1.'],
  ])('%s', (tool, args, words) => {
    expect(describeChange(row(tool, args))).toBe(words);
  });
});

describe('effectiveStatus', () => {
  it.each<[ApprovalRow['status'], number, string]>([
    ['pending', 999, 'pending'],
    ['pending', 1000, 'expired'],
    ['executed', 5000, 'executed'],
  ])('%s at %d reads as %s', (status, now, expected) => {
    expect(effectiveStatus(row('delete_records', {}, { status }), now)).toBe(expected);
  });
});

describe('the console scope form', () => {
  it('cannot show approval rules, so a scope with them stays raw JSON rather than losing them', () => {
    expect(formFromScope({ preset: 'full', approvals: [{ models: ['sale.order'], operations: ['delete'] }] }).exact).toBe(false);
    expect(formFromScope({ preset: 'full', approval_ttl_hours: 2 }).exact).toBe(false);
  });
});
