import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, parseAuditQuery } from '../../../src/audit/filters';

const paged = { maxLimit: 500, paged: true };

function parse(query: string, options: Parameters<typeof parseAuditQuery>[1] = paged) {
  const params: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) (params[key] ??= []).push(value);
  return parseAuditQuery(params, options);
}

describe('parseAuditQuery', () => {
  it('reads every filter', () => {
    const cursor = encodeCursor({ at: 1000, id: 'evt_1' });
    expect(parse(`connection_id=con_1&from=2026-01-01T00:00:00Z&to=2026-01-02T01:00:00%2B01:00&outcome=denied&kind=mcp&model=crm.lead&tool=search_records&limit=20&cursor=${cursor}`)).toEqual({
      ok: true,
      query: {
        filters: {
          connectionId: 'con_1',
          from: Date.parse('2026-01-01T00:00:00Z'),
          to: Date.parse('2026-01-02T00:00:00Z'),
          outcome: 'denied',
          kind: 'mcp',
          model: 'crm.lead',
          tool: 'search_records',
        },
        limit: 20,
        cursor: { at: 1000, id: 'evt_1' },
      },
    });
  });

  it('leaves out what is not given', () => {
    expect(parse('')).toEqual({ ok: true, query: { filters: expect.any(Object), limit: undefined, cursor: null } });
    const parsed = parse('');
    expect(parsed.ok && Object.values(parsed.query.filters).filter((value) => value !== undefined)).toEqual([]);
  });

  it('reads a date as midnight UTC', () => {
    const parsed = parse('from=2026-02-03');
    expect(parsed.ok && parsed.query.filters.from).toBe(Date.parse('2026-02-03T00:00:00Z'));
  });

  it.each([
    ['outcome=ok', 'outcome'],
    ['kind=user', 'kind'],
    ['from=2026-01-01T00:00:00', 'from'],
    ['from=1767225600000', 'from'],
    ['to=tomorrow', 'to'],
    ['from=2026-01-02&to=2026-01-01', 'to'],
    ['from=2026-01-01&to=2026-01-01', 'to'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1e2', 'limit'],
    ['limit=', 'limit'],
    ['cursor=%%%', 'cursor'],
    [`cursor=${Buffer.from('[1]').toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('[-1,"a"]').toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('[1,""]').toString('base64url')}`, 'cursor'],
    ['tool=', 'tool'],
    [`model=${'m'.repeat(129)}`, 'model'],
    ['sort=at', 'sort'],
    ['tool=a&tool=b', 'tool'],
  ])('refuses %s, naming %s', (query, path) => {
    const parsed = parse(query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((issue) => issue.path)).toContain(path);
  });

  it('refuses paging on an unpaged export and a connection_id when the path names it', () => {
    const unpaged = parse('limit=5&cursor=x', { maxLimit: 500, paged: false });
    expect(!unpaged.ok && unpaged.issues.map((issue) => issue.path)).toEqual(['limit', 'cursor']);
    const inPath = parse('connection_id=con_2', { ...paged, connectionInPath: true });
    expect(!inPath.ok && inPath.issues.map((issue) => issue.path)).toEqual(['connection_id']);
  });
});

describe('cursors', () => {
  it('round-trip and are opaque url-safe text', () => {
    const cursor = { at: 1_790_000_000_123, id: '0mabc/+=é' };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each(['', 'abc', 'e30', Buffer.from('{"at":1,"id":"x"}').toString('base64url'), Buffer.from('[1.5,"x"]').toString('base64url')])('rejects %j', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});
