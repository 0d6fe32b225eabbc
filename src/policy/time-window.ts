import { DAYS, type Day } from './calendar';
import type { TimeWindow } from './scope';

export { DAYS, isValidTimeZone } from './calendar';


const formatters = new Map<string, Intl.DateTimeFormat>();


/** "HH:MM" to minutes after midnight; "24:00" is 1440. */
export function minutesOfDay(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

type LocalTime = { dayIndex: number; minutes: number };

/** Wall-clock day and time in the zone, so DST shifts come from Intl's zone data, not from a fixed offset. */
function localTime(now: Date, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(now).map((part) => [part.type, part.value]));
  const dayIndex = DAYS.indexOf(String(parts.weekday).toLowerCase() as Day);
  return { dayIndex, minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute) };
}

/**
 * A window whose end is not after its start runs past midnight; the hours
 * after midnight belong to the day it started on, so "fri 22:00-02:00" covers
 * Saturday 01:00 but not Friday 01:00.
 */
export function isWithinTimeWindow(window: TimeWindow, now: Date): boolean {
  const { dayIndex, minutes } = localTime(now, window.tz);
  if (dayIndex === -1) return false;
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  const days = new Set<string>(window.days);
  const today = DAYS[dayIndex] as Day;
  if (end > start) return days.has(today) && minutes >= start && minutes < end;
  const yesterday = DAYS[(dayIndex + 6) % 7] as Day;
  return (days.has(today) && minutes >= start) || (days.has(yesterday) && minutes < end);
}

/** Any window matching is enough; an empty list matches nothing. */
export function isWithinTimeWindows(windows: readonly TimeWindow[], now: Date): boolean {
  return windows.some((window) => isWithinTimeWindow(window, now));
}

export function describeTimeWindows(windows: readonly TimeWindow[]): string {
  if (windows.length === 0) return 'never';
  return windows.map(describeTimeWindow).join(' or ');
}

function describeTimeWindow(window: TimeWindow): string {
  const overnight = minutesOfDay(window.end) <= minutesOfDay(window.start) ? ' (overnight)' : '';
  return `${describeDays(window.days)} ${window.start}-${window.end}${overnight} ${window.tz}`;
}

function describeDays(days: readonly Day[]): string {
  const present = new Set(days);
  if (present.size === DAYS.length) return 'every day';
  const runs: Day[][] = [];
  for (const day of DAYS) {
    if (!present.has(day)) continue;
    const run = runs[runs.length - 1];
    const previous = run?.[run.length - 1];
    if (run !== undefined && previous !== undefined && DAYS.indexOf(previous) === DAYS.indexOf(day) - 1) run.push(day);
    else runs.push([day]);
  }
  return runs.map(describeRun).join(', ');
}

function describeRun(run: readonly Day[]): string {
  const first = capitalize(run[0] ?? 'mon');
  if (run.length === 1) return first;
  const last = capitalize(run[run.length - 1] ?? 'mon');
  return run.length === 2 ? `${first}, ${last}` : `${first}-${last}`;
}

function capitalize(day: Day): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}
