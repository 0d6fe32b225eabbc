import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { connections, lastUsedSortKey, odooAccounts } from '../db/schema';
import { statusCondition, type ConnectionStatus } from './status';
import type { ConnectionView } from './types';

export const CONNECTION_SORTS = ['created', 'last_used', 'name'] as const;
export type ConnectionSort = (typeof CONNECTION_SORTS)[number];

export type SortOrder = 'asc' | 'desc';
export type SortValue = number | string;

export interface ConnectionListQuery {
  status?: ConnectionStatus;
  q?: string;
  sort: ConnectionSort;
  order: SortOrder;
  limit: number;
  after?: { value: SortValue; id: string };
}

/** The expression each sort orders by; each has an index on (expression, id) in schema.ts. */
function sortExpression(sort: ConnectionSort): SQL {
  switch (sort) {
    case 'created':
      return sql`${connections.createdAt}`;
    case 'name':
      return sql`${connections.name} collate nocase`;
    case 'last_used':
      return lastUsedSortKey(connections.lastUsedAt);
  }
}

/** The value of the sort expression for a row, for the next cursor. */
export function sortValueOf(view: ConnectionView, sort: ConnectionSort): SortValue {
  if (sort === 'created') return view.row.createdAt;
  if (sort === 'name') return view.row.name;
  return view.row.lastUsedAt ?? 0;
}

/** Matches the name case-insensitively anywhere, with no LIKE wildcards to escape. */
function nameContains(text: string): SQL {
  return sql`instr(lower(${connections.name}), lower(${text})) > 0`;
}

const viewColumns = {
  row: connections,
  odooUser: { uid: odooAccounts.odooUid, login: odooAccounts.login, name: odooAccounts.odooUserName },
};

/**
 * Rows after the cursor's (value, id), spelled so that SQLite seeks the sort
 * index to the cursor: the leading `key <= value` is a range on the index's
 * first term, which a row-value comparison on an expression or a collated
 * column is not.
 */
function afterPosition(key: SQL, order: SortOrder, after: { value: SortValue; id: string }): SQL {
  return order === 'asc'
    ? sql`${key} >= ${after.value} and (${key} > ${after.value} or ${connections.id} > ${after.id})`
    : sql`${key} <= ${after.value} and (${key} < ${after.value} or ${connections.id} < ${after.id})`;
}

/** One page in keyset order (never OFFSET), one query, one row more than asked to tell whether a next page exists. */
export function connectionListQuery(db: Database, query: ConnectionListQuery, now: number, connectedWindowSeconds: number) {
  const key = sortExpression(query.sort);
  const direction = query.order === 'asc' ? asc : desc;
  return db
    .select(viewColumns)
    .from(connections)
    .leftJoin(odooAccounts, eq(odooAccounts.id, connections.odooAccountId))
    .where(
      and(
        query.status ? statusCondition(query.status, now, connectedWindowSeconds) : undefined,
        query.q ? nameContains(query.q) : undefined,
        query.after ? afterPosition(key, query.order, query.after) : undefined,
      ),
    )
    .orderBy(direction(key), direction(connections.id))
    .limit(query.limit + 1);
}

export async function listConnections(
  db: Database,
  query: ConnectionListQuery,
  now: number,
  connectedWindowSeconds: number,
): Promise<{ views: ConnectionView[]; hasMore: boolean }> {
  const rows = await connectionListQuery(db, query, now, connectedWindowSeconds);
  const views = rows.slice(0, query.limit).map(toView);
  return { views, hasMore: rows.length > query.limit };
}

function toView({ row, odooUser }: { row: ConnectionView['row']; odooUser: { uid: number | null; login: string | null; name: string | null } | null }): ConnectionView {
  return {
    row,
    odooUser: odooUser?.login ? { uid: odooUser.uid, login: odooUser.login, name: odooUser.name } : null,
    lastUsedAt: row.lastUsedAt,
  };
}

export async function findConnection(db: Database, id: string): Promise<ConnectionView | null> {
  const [found] = await db
    .select(viewColumns)
    .from(connections)
    .leftJoin(odooAccounts, eq(odooAccounts.id, connections.odooAccountId))
    .where(eq(connections.id, id))
    .limit(1);
  return found ? toView(found) : null;
}
