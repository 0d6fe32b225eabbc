export const DAY_MS = 86_400_000;

export interface ValidityInput {
  /** undefined keeps the current value, null removes it. */
  not_before?: string | null;
  expires_at?: string | null;
  valid_for_days?: number;
}

export interface Validity {
  notBefore: number | null;
  expiresAt: number | null;
}

export type ValidityResult = { ok: true; validity: Validity } | { ok: false; issue: { path: string; message: string } };

/**
 * Applies validity fields to the current validity, time passed in.
 * valid_for_days counts from not_before when that lies in the future, else
 * from now. Whatever was given must leave an end after now and after
 * not_before; fields that were not given are not judged.
 */
export function resolveValidity(input: ValidityInput, current: Validity, now: number): ValidityResult {
  const notBefore = input.not_before === undefined ? current.notBefore : toMs(input.not_before);
  const expiresAt =
    input.valid_for_days !== undefined
      ? Math.max(now, notBefore ?? now) + Math.round(input.valid_for_days * DAY_MS)
      : input.expires_at === undefined
        ? current.expiresAt
        : toMs(input.expires_at);
  const judged = input.not_before !== undefined || input.expires_at !== undefined || input.valid_for_days !== undefined;
  if (judged && expiresAt !== null && expiresAt <= Math.max(now, notBefore ?? now)) {
    const path = input.valid_for_days !== undefined ? 'valid_for_days' : input.expires_at !== undefined ? 'expires_at' : 'not_before';
    return { ok: false, issue: { path, message: 'the validity must end after now and after not_before' } };
  }
  return { ok: true, validity: { notBefore, expiresAt } };
}

function toMs(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}
