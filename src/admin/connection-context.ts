import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { refreshRecentLastUsed } from '../last-used/flush';
import { readLastUsed } from '../last-used/marks';
import { findConnection } from '../connections/query';
import type { ConnectionView } from '../connections/types';
import { presentConnection } from './present';
import { log } from '../log/log';

/** The connection named by :id, or a 404. */
export async function requireConnection(c: Context<AppEnv>): Promise<ConnectionView> {
  const id = c.req.param('id')!;
  const view = await findConnection(c.var.services.db, id);
  if (!view) throw new ApiError('not_found', `No connection '${id}'.`);
  return view;
}

export function changedMeanwhile(): ApiError {
  return new ApiError('conflict', 'The connection changed while this request ran; read it again and retry.');
}

/** A connection's version for If-Match: its updated_at as the API shows it, quoted. */
export function connectionEtag(row: { updatedAt: number }): string {
  return `"${new Date(row.updatedAt).toISOString()}"`;
}

export function changedSinceRead(): ApiError {
  return new ApiError('conflict', 'The connection was changed since it was read (If-Match names an older version); read it again and retry.');
}

export function present(c: Context<AppEnv>, view: ConnectionView, now: number) {
  return presentConnection(view, now, c.var.services.config.CONNECTED_WINDOW);
}

/**
 * One connection: its own KV entry is one read, and newer than D1 until the
 * cron flushes it. Bookkeeping that fails only costs freshness, never the answer.
 */
export async function withFreshLastUsed(c: Context<AppEnv>, view: ConnectionView): Promise<ConnectionView> {
  const recent = await readLastUsed(c.env.LAST_USED, view.row.id).catch((error) => {
    log.warn({ msg: 'last-used read failed', connectionId: view.row.id, error: String(error) });
    return null;
  });
  return recent !== null && recent > (view.lastUsedAt ?? 0) ? { ...view, lastUsedAt: recent } : view;
}

/** Many connections: one KV list page into D1 before the query, never a KV read per row. */
export async function refreshListLastUsed(c: Context<AppEnv>): Promise<void> {
  await refreshRecentLastUsed(c.env.LAST_USED, c.var.services.db).catch((error) => {
    log.warn({ msg: 'last-used refresh failed; listing from D1 as flushed', error: String(error) });
  });
}
