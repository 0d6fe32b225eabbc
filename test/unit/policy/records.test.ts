import { describe, expect, it } from 'vitest';
import { checkRecordsInScope, recordScopeDomain } from '../../../src/policy/records';

describe('recordScopeDomain', () => {
  it('is null when the model has no domain', () => {
    expect(recordScopeDomain({ domain: null }, [1, 2])).toBeNull();
    expect(recordScopeDomain({ domain: [] }, [1, 2])).toBeNull();
  });
  it('ANDs the ids with the scope domain, keeping an or intact', () => {
    expect(recordScopeDomain({ domain: ['|', ['state', '=', 'draft'], ['state', '=', 'sent']] }, [4, 5])).toEqual([
      '&',
      ['id', 'in', [4, 5]],
      '|',
      ['state', '=', 'draft'],
      ['state', '=', 'sent'],
    ]);
  });
});

describe('checkRecordsInScope', () => {
  it.each<[string, number[], number[], number[] | null]>([
    ['all found', [1, 2], [2, 1], null],
    ['nothing requested', [], [], null],
    ['one outside', [1, 2, 3], [1, 3], [2]],
    ['duplicates reported once', [7, 7, 8], [8], [7]],
    ['none inside', [4, 5], [], [4, 5]],
  ])('%s', (_label, requested, found, outside) => {
    const decision = checkRecordsInScope('sale.order', requested, found);
    expect(decision).toEqual(
      outside === null ? { effect: 'allow' } : { effect: 'deny', reason: { code: 'record_outside_scope', model: 'sale.order', ids: outside } },
    );
  });
});
