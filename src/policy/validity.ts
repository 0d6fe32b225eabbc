import { ALLOW, deny, type Decision } from './decision';

export type ValidityBounds = { notBefore: string | null; expiresAt: string | null };

/**
 * Valid from `notBefore` inclusive to `expiresAt` exclusive. A bound that does
 * not parse as a date refuses the call: a corrupted expiry must not mean "never expires".
 */
export function checkValidity({ notBefore, expiresAt }: ValidityBounds, now: Date): Decision {
  const nowMs = now.getTime();
  if (notBefore !== null) {
    const start = Date.parse(notBefore);
    if (Number.isNaN(start) || nowMs < start) return deny({ code: 'not_yet_valid', notBefore });
  }
  if (expiresAt !== null) {
    const end = Date.parse(expiresAt);
    if (Number.isNaN(end) || nowMs >= end) return deny({ code: 'expired', expiresAt });
  }
  return ALLOW;
}
