import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof createDatabase>;

function createDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

const opened = new WeakMap<D1Database, Database>();

/**
 * One drizzle instance per D1 binding (the binding lives as long as the
 * isolate). Building one walks the whole schema for the relational API; done
 * per request it was about a tenth of the Worker's CPU time per MCP call. The
 * instance holds only the binding: no request state, no cached results.
 */
export function openDatabase(d1: D1Database): Database {
  let db = opened.get(d1);
  if (!db) {
    db = createDatabase(d1);
    opened.set(d1, db);
  }
  return db;
}
