/** "3 h", "12 min", "4 d": how long, in the largest unit that keeps it readable. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** "2026-11-22 08:58 UTC": console times are UTC, like the API's. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * "3 minutes ago", "in 23 hours", "just now": a time relative to `now`, for
 * reading at a glance; the exact time goes beside it (a tooltip).
 */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 45) return seconds <= 0 ? 'just now' : 'in a few seconds';
  let amount: string;
  if (size < 3600) amount = plural(Math.max(1, Math.round(size / 60)), 'minute');
  else if (size < 48 * 3600) amount = plural(Math.round(size / 3600), 'hour');
  else if (size < 60 * 86400) amount = plural(Math.round(size / 86400), 'day');
  else return formatTime(iso).slice(0, 10);
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

/** A datetime-local input's value ("2026-11-22T08:58"), read as UTC, to ISO 8601; undefined when empty. */
export function utcInputToIso(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}:00Z` : text;
}

export function isoToUtcInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 16);
}

export const STATUS_LABELS: Record<string, string> = {
  awaiting_connection: 'Awaiting connection',
  connected: 'Connected',
  idle: 'Idle',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** Buckets for grouping a list by last use, so the longest-idle connections stand together. */
export function lastUsedGroup(lastUsedAt: string | null, now: number): string {
  if (!lastUsedAt) return 'Never used';
  const seconds = (now - Date.parse(lastUsedAt)) / 1000;
  if (seconds < 3600) return 'Used in the last hour';
  if (seconds < 86400) return 'Used today';
  if (seconds < 7 * 86400) return 'Used this week';
  if (seconds < 30 * 86400) return 'Not used for over a week';
  return 'Not used for over a month';
}

export function odooUserLabel(user: { login: string; name: string | null } | null | undefined): string {
  if (!user) return '—';
  return user.name ? `${user.name} (${user.login})` : user.login;
}
