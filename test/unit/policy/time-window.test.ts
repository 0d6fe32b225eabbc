import { describe, expect, it } from 'vitest';
import type { TimeWindow } from '../../../src/policy/scope';
import { describeTimeWindows, isValidTimeZone, isWithinTimeWindows } from '../../../src/policy/time-window';

const weekdays: TimeWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const everyDay: TimeWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const brusselsOffice: TimeWindow = { days: weekdays, start: '08:00', end: '18:00', tz: 'Europe/Brussels' };
const newYorkOffice: TimeWindow = { days: weekdays, start: '09:00', end: '17:00', tz: 'America/New_York' };

function at(iso: string): Date {
  return new Date(iso);
}

describe('a daytime window in Europe/Brussels', () => {
  it.each<[string, string, boolean]>([
    ['Fri before DST, 08:00 CET', '2026-03-27T07:00:00Z', true],
    ['Fri before DST, 07:59 CET', '2026-03-27T06:59:00Z', false],
    ['Fri before DST, 17:59 CET', '2026-03-27T16:59:00Z', true],
    ['Fri before DST, 18:00 CET (end is exclusive)', '2026-03-27T17:00:00Z', false],
    ['Sat is not a listed day', '2026-03-28T10:00:00Z', false],
    ['Mon after DST, 08:00 CEST', '2026-03-30T06:00:00Z', true],
    ['Mon after DST, 07:59 CEST', '2026-03-30T05:59:00Z', false],
    ['Mon after DST, 18:00 CEST', '2026-03-30T16:00:00Z', false],
    ['Mon after DST, 17:59 CEST', '2026-03-30T15:59:00Z', true],
    ['Fri before winter time, 08:00 CEST', '2026-10-23T06:00:00Z', true],
    ['Mon after winter time, 07:30 CET', '2026-10-26T06:30:00Z', false],
    ['Mon after winter time, 08:00 CET', '2026-10-26T07:00:00Z', true],
    ['Mon after winter time, 17:30 CET', '2026-10-26T16:30:00Z', true],
  ])('%s', (_label, instant, expected) => {
    expect(isWithinTimeWindows([brusselsOffice], at(instant))).toBe(expected);
  });
});

function minutesAllowed(window: TimeWindow, fromIso: string, toIso: string): number {
  let count = 0;
  for (let ms = Date.parse(fromIso); ms < Date.parse(toIso); ms += 60_000) {
    if (isWithinTimeWindows([window], new Date(ms))) count += 1;
  }
  return count;
}

describe('the nights Europe/Brussels changes clocks', () => {
  const sundayTwoToThree: TimeWindow = { days: ['sun'], start: '02:00', end: '03:00', tz: 'Europe/Brussels' };

  it('02:00-03:00 does not exist on 2026-03-29, when clocks jump from 02:00 to 03:00', () => {
    expect(minutesAllowed(sundayTwoToThree, '2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z')).toBe(0);
  });

  it('02:00-03:00 happens twice on 2026-10-25, when clocks go back from 03:00 to 02:00', () => {
    expect(minutesAllowed(sundayTwoToThree, '2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z')).toBe(120);
    expect(isWithinTimeWindows([sundayTwoToThree], at('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isWithinTimeWindows([sundayTwoToThree], at('2026-10-25T01:30:00Z'))).toBe(true);
    expect(isWithinTimeWindows([sundayTwoToThree], at('2026-10-25T02:00:00Z'))).toBe(false);
  });

  it('a 01:00-04:00 window lasts two real hours on 2026-03-29 and four on 2026-10-25', () => {
    const window: TimeWindow = { days: ['sun'], start: '01:00', end: '04:00', tz: 'Europe/Brussels' };
    expect(minutesAllowed(window, '2026-03-28T22:00:00Z', '2026-03-29T06:00:00Z')).toBe(120);
    expect(minutesAllowed(window, '2026-10-24T22:00:00Z', '2026-10-25T06:00:00Z')).toBe(240);
  });

  it.each<[string, string, boolean]>([
    ['Sat 23:00 CET', '2026-03-28T22:00:00Z', true],
    ['Sun 00:59 CET belongs to Saturday', '2026-03-28T23:59:00Z', true],
    ['Sun 01:00 CET is past the end', '2026-03-29T00:00:00Z', false],
    ['Sat 22:59 CET is before the start', '2026-03-28T21:59:00Z', false],
  ])('an overnight Saturday window across the spring change: %s', (_label, instant, expected) => {
    const window: TimeWindow = { days: ['sat'], start: '23:00', end: '01:00', tz: 'Europe/Brussels' };
    expect(isWithinTimeWindows([window], at(instant))).toBe(expected);
  });
});

describe('America/New_York', () => {
  it.each<[string, string, boolean]>([
    ['Fri 09:00 EST before the change', '2026-03-06T14:00:00Z', true],
    ['Fri 08:00 EST before the change', '2026-03-06T13:00:00Z', false],
    ['Mon 09:00 EDT after the change of 2026-03-08', '2026-03-09T13:00:00Z', true],
    ['Mon 08:59 EDT', '2026-03-09T12:59:00Z', false],
    ['Mon 17:00 EDT', '2026-03-09T21:00:00Z', false],
    ['Mon 16:59 EDT', '2026-03-09T20:59:00Z', true],
    ['Mon 09:00 EST after the change of 2026-11-01', '2026-11-02T14:00:00Z', true],
    ['Mon 08:00 EST after the change', '2026-11-02T13:00:00Z', false],
    ['Fri 23:00 EST is Saturday 04:00 UTC', '2026-03-07T04:00:00Z', false],
  ])('%s', (_label, instant, expected) => {
    expect(isWithinTimeWindows([newYorkOffice], at(instant))).toBe(expected);
  });
});

describe('windows across midnight belong to the day they start', () => {
  const fridayNight: TimeWindow = { days: ['fri'], start: '22:00', end: '02:00', tz: 'UTC' };
  const sundayNight: TimeWindow = { days: ['sun'], start: '22:00', end: '02:00', tz: 'UTC' };
  it.each<[string, TimeWindow, string, boolean]>([
    ['Fri 22:00', fridayNight, '2026-03-06T22:00:00Z', true],
    ['Fri 21:59', fridayNight, '2026-03-06T21:59:00Z', false],
    ['Sat 01:00', fridayNight, '2026-03-07T01:00:00Z', true],
    ['Sat 01:59', fridayNight, '2026-03-07T01:59:00Z', true],
    ['Sat 02:00', fridayNight, '2026-03-07T02:00:00Z', false],
    ['Fri 01:00 belongs to Thursday', fridayNight, '2026-03-06T01:00:00Z', false],
    ['Sat 23:00', fridayNight, '2026-03-07T23:00:00Z', false],
    ['Mon 01:00 after a Sunday night', sundayNight, '2026-03-09T01:00:00Z', true],
    ['Sun 01:00 belongs to Saturday', sundayNight, '2026-03-08T01:00:00Z', false],
  ])('%s', (_label, window, instant, expected) => {
    expect(isWithinTimeWindows([window], at(instant))).toBe(expected);
  });
});

describe('edges of the clock', () => {
  it.each<[string, TimeWindow, string, boolean]>([
    ['00:00-24:00 includes 23:59', { days: ['mon'], start: '00:00', end: '24:00', tz: 'UTC' }, '2026-03-09T23:59:00Z', true],
    ['00:00-24:00 includes 00:00', { days: ['mon'], start: '00:00', end: '24:00', tz: 'UTC' }, '2026-03-09T00:00:00Z', true],
    ['00:00-24:00 excludes Tuesday 00:00', { days: ['mon'], start: '00:00', end: '24:00', tz: 'UTC' }, '2026-03-10T00:00:00Z', false],
    ['equal start and end is a full day from the start', { days: ['mon'], start: '08:00', end: '08:00', tz: 'UTC' }, '2026-03-10T07:59:00Z', true],
    ['equal start and end ends at the start', { days: ['mon'], start: '08:00', end: '08:00', tz: 'UTC' }, '2026-03-10T08:00:00Z', false],
    ['end 00:00 stops at midnight', { days: ['mon'], start: '22:00', end: '00:00', tz: 'UTC' }, '2026-03-10T00:00:00Z', false],
    ['end 00:00 includes 23:59', { days: ['mon'], start: '22:00', end: '00:00', tz: 'UTC' }, '2026-03-09T23:59:00Z', true],
    ['seconds inside the last minute count', { days: ['mon'], start: '08:00', end: '09:00', tz: 'UTC' }, '2026-03-09T08:59:59.999Z', true],
  ])('%s', (_label, window, instant, expected) => {
    expect(isWithinTimeWindows([window], at(instant))).toBe(expected);
  });

  it('several windows allow when any matches', () => {
    const windows: TimeWindow[] = [brusselsOffice, { days: ['sat'], start: '09:00', end: '12:00', tz: 'Europe/Brussels' }];
    expect(isWithinTimeWindows(windows, at('2026-03-28T09:00:00Z'))).toBe(true);
    expect(isWithinTimeWindows(windows, at('2026-03-28T12:00:00Z'))).toBe(false);
    expect(isWithinTimeWindows(windows, at('2026-03-27T09:00:00Z'))).toBe(true);
  });

  it('an empty list of windows matches nothing', () => {
    expect(isWithinTimeWindows([], at('2026-03-09T10:00:00Z'))).toBe(false);
  });
});

describe('time zones and descriptions', () => {
  it.each([
    ['Europe/Brussels', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Base', false],
    ['', false],
    ['+02:00 nonsense', false],
  ])('isValidTimeZone(%j) is %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });

  it.each<[string, TimeWindow[], string]>([
    ['office hours', [brusselsOffice], 'Mon-Fri 08:00-18:00 Europe/Brussels'],
    ['every day', [{ days: everyDay, start: '02:00', end: '03:00', tz: 'UTC' }], 'every day 02:00-03:00 UTC'],
    ['split days', [{ days: ['mon', 'wed', 'thu', 'fri', 'sun'], start: '09:00', end: '12:00', tz: 'UTC' }], 'Mon, Wed-Fri, Sun 09:00-12:00 UTC'],
    ['two days', [{ days: ['sat', 'sun'], start: '10:00', end: '24:00', tz: 'UTC' }], 'Sat, Sun 10:00-24:00 UTC'],
    ['days in any order', [{ days: ['fri', 'mon', 'tue'], start: '10:00', end: '11:00', tz: 'UTC' }], 'Mon, Tue, Fri 10:00-11:00 UTC'],
    ['overnight', [{ days: ['fri'], start: '22:00', end: '02:00', tz: 'UTC' }], 'Fri 22:00-02:00 (overnight) UTC'],
    ['several', [brusselsOffice, newYorkOffice], 'Mon-Fri 08:00-18:00 Europe/Brussels or Mon-Fri 09:00-17:00 America/New_York'],
    ['none', [], 'never'],
  ])('describes %s', (_label, windows, text) => {
    expect(describeTimeWindows(windows)).toBe(text);
  });
});
