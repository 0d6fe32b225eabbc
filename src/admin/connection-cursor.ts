import { z } from 'zod';
import type { ConnectionSort, SortOrder, SortValue } from '../connections/query';
import { decodeCursor, encodeCursor } from './list-cursor';

const positionSchema = z.tuple([
  z.enum(['created', 'last_used', 'name']),
  z.enum(['asc', 'desc']),
  z.union([z.int(), z.string()]),
  z.string().min(1),
]);

/** A connection list cursor names its sort and order, so it cannot be replayed against another ordering. */
export function encodeConnectionCursor(sort: ConnectionSort, order: SortOrder, after: { value: SortValue; id: string }): string {
  return encodeCursor([sort, order, after.value, after.id]);
}

export function decodeConnectionCursor(cursor: string, sort: ConnectionSort, order: SortOrder): { value: SortValue; id: string } | null {
  const position = decodeCursor(cursor, positionSchema);
  if (!position) return null;
  const [cursorSort, cursorOrder, value, id] = position;
  if (cursorSort !== sort || cursorOrder !== order) return null;
  if ((sort === 'name') !== (typeof value === 'string')) return null;
  return { value, id };
}

const sessionPositionSchema = z.tuple([z.literal('sessions'), z.int(), z.string().min(1)]);

export function encodeSessionCursor(after: { createdAt: number; id: string }): string {
  return encodeCursor(['sessions', after.createdAt, after.id]);
}

export function decodeSessionCursor(cursor: string): { createdAt: number; id: string } | null {
  const position = decodeCursor(cursor, sessionPositionSchema);
  return position ? { createdAt: position[1], id: position[2] } : null;
}
