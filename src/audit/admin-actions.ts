import type { Context } from 'hono';
import { auditEvent, newEventId } from './event';
import { deliverAuditEvent } from './sink';
import type { AdminActor } from '../admins/actor';
import { clientIp, type AppEnv } from '../http/context';
import { log } from '../log/log';

/**
 * Who acted: the signed-in admin (email, or admin token name and id, and how
 * they signed in: kind). Null before anyone is signed in (a failed sign-in).
 */
export function adminActorOf(c: Context<AppEnv>): AdminActor | null {
  return c.get('admin')?.actor ?? null;
}


export interface AdminAction {
  /** What was done, e.g. 'connection.create', 'connection.rotate', 'odoo_account.delete'. */
  action: string;
  connectionId?: string | null;
  connectionName?: string | null;
  keyPublicId?: string | null;
  detail?: Record<string, unknown>;
  /** A refused attempt (a failed sign-in) is audited as denied, with its reason. */
  denied?: { code: string; reason: string };
  /** Who acted, when it is not the signed-in admin (a refused sign-in names who tried). */
  actor?: AdminActor;
}

/** Audits an admin action through the same queue (and D1 fallback) as MCP calls, in the background. */
export function auditAdminAction(c: Context<AppEnv>, action: AdminAction): void {
  const now = c.var.services.now();
  const event = auditEvent({
    id: newEventId(now),
    at: now,
    kind: 'admin',
    connectionId: action.connectionId ?? null,
    connectionName: action.connectionName ?? null,
    keyPublicId: action.keyPublicId ?? null,
    clientIp: clientIp(c.req.raw),
    userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
    method: action.action,
    outcome: action.denied ? 'denied' : 'allowed',
    ...(action.denied ? { denialCode: action.denied.code, denialReason: action.denied.reason } : {}),
    detail: { actor: action.actor ?? adminActorOf(c), ...action.detail },
  });
  c.executionCtx.waitUntil(
    deliverAuditEvent(c.env.AUDIT_QUEUE, c.var.services.db, event).catch((error) =>
      log.error({ msg: 'admin audit delivery failed', action: action.action, error: String(error) }),
    ),
  );
}
