import type { connections, mcpSessions } from '../db/schema';

export type ConnectionRow = typeof connections.$inferSelect;
export type SessionRow = typeof mcpSessions.$inferSelect;

/** A connection as the admin API sees it: its row, the Odoo user it acts as, and its freshest last-used time. */
export interface ConnectionView {
  row: ConnectionRow;
  odooUser: { uid: number | null; login: string; name: string | null } | null;
  lastUsedAt: number | null;
}
