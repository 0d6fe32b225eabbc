import { ALLOW, deny, type Decision } from './decision';
import { isIpAllowed } from './network';
import type { Scope } from './scope';
import { isWithinTimeWindows } from './time-window';
import { checkValidity } from './validity';

export type RequestContext = { ip: string | null; now: Date; notBefore: string | null; expiresAt: string | null };

/** Checks that do not depend on the tool: validity, then client IP, then time window, all before any Odoo call. */
export function checkRequestContext(scope: Scope, context: RequestContext): Decision {
  const validity = checkValidity({ notBefore: context.notBefore, expiresAt: context.expiresAt }, context.now);
  if (validity.effect !== 'allow') return validity;
  if (!isIpAllowed(scope.ip_allow, context.ip)) return deny({ code: 'ip_not_allowed', ip: context.ip });
  if (scope.time_windows !== undefined && !isWithinTimeWindows(scope.time_windows, context.now)) {
    return deny({ code: 'outside_time_window', windows: scope.time_windows });
  }
  return ALLOW;
}
