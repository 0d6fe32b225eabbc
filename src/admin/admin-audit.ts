import type { Context } from 'hono';
import { auditEvent, newEventId } from '../audit/event';
import { deliverAuditEvent } from '../audit/sink';
import { clientIp, type AppEnv } from '../http/context';
import { log } from '../log/log';

/** Who acted: admin actions are attributed to the admin token by a stable, non-secret id. */
export const ADMIN_ACTOR = 'admin-token';

/**
 * The actor of the current admin request: the one seam every admin audit
 * event and every approval decision names its actor through.
 */
export function adminActor(_c: Context<AppEnv>): string {
  return ADMIN_ACTOR;
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
    detail: { actor: adminActor(c), ...action.detail },
  });
  c.executionCtx.waitUntil(
    deliverAuditEvent(c.env.AUDIT_QUEUE, c.var.services.db, event).catch((error) =>
      log.error({ msg: 'admin audit delivery failed', action: action.action, error: String(error) }),
    ),
  );
}
