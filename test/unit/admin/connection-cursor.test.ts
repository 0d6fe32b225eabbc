import { describe, expect, it } from 'vitest';
import {
  decodeConnectionCursor,
  decodeSessionCursor,
  encodeConnectionCursor,
  encodeSessionCursor,
} from '../../../src/admin/connection-cursor';
import { encodeCursor } from '../../../src/admin/list-cursor';

describe('connection list cursors', () => {
  it.each([
    ['created', 'desc', 1767225600000],
    ['last_used', 'asc', 0],
    ['name', 'asc', 'Ünïcödé — 日本語 connection'],
  ] as const)('round-trip a %s/%s position as URL-safe text', (sort, order, value) => {
    const cursor = encodeConnectionCursor(sort, order, { value, id: 'con_1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeConnectionCursor(cursor, sort, order)).toEqual({ value, id: 'con_1' });
  });

  it('refuses a cursor of another sort or order', () => {
    const cursor = encodeConnectionCursor('created', 'desc', { value: 5, id: 'con_1' });
    expect(decodeConnectionCursor(cursor, 'last_used', 'desc')).toBeNull();
    expect(decodeConnectionCursor(cursor, 'created', 'asc')).toBeNull();
  });

  it.each([
    ['not base64url', '!!!', 'created'],
    ['base64 of something else', btoa('hello'), 'created'],
    ['a session cursor', encodeSessionCursor({ createdAt: 1, id: 's' }), 'created'],
    ['a name sort with a number', encodeCursor(['name', 'asc', 5, 'con_1']), 'name'],
    ['a created sort with a string', encodeCursor(['created', 'asc', '5', 'con_1']), 'created'],
    ['a fractional time', encodeCursor(['created', 'asc', 5.5, 'con_1']), 'created'],
    ['an empty id', encodeCursor(['created', 'asc', 5, '']), 'created'],
    ['extra parts', encodeCursor(['created', 'asc', 5, 'con_1', 'x']), 'created'],
    ['invalid UTF-8', btoa('\xff\xfe').replace(/=+$/, ''), 'created'],
  ] as const)('refuses %s', (_label, cursor, sort) => {
    expect(decodeConnectionCursor(cursor, sort, 'asc')).toBeNull();
  });
});

describe('session list cursors', () => {
  it('round-trip and refuse a connection cursor', () => {
    expect(decodeSessionCursor(encodeSessionCursor({ createdAt: 42, id: 'abc' }))).toEqual({ createdAt: 42, id: 'abc' });
    expect(decodeSessionCursor(encodeConnectionCursor('created', 'desc', { value: 42, id: 'abc' }))).toBeNull();
  });
});
