import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../../src/console/format';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('times at a glance', () => {
  it.each<[number, string]>([
    [0, 'just now'],
    [-30, 'just now'],
    [20, 'in a few seconds'],
    [-60, '1 minute ago'],
    [-180, '3 minutes ago'],
    [-3599, '60 minutes ago'],
    [-3600, '1 hour ago'],
    [23 * 3600, 'in 23 hours'],
    [-47 * 3600, '47 hours ago'],
    [-3 * 86400, '3 days ago'],
    [30 * 86400, 'in 30 days'],
    [-90 * 86400, '2026-09-04'],
  ])('%d s from now reads %s', (seconds, words) => {
    expect(formatRelative(at(seconds), NOW)).toBe(words);
  });

  it('leaves an empty or unreadable time as it is', () => {
    expect(formatRelative(null, NOW)).toBe('');
    expect(formatRelative('soon', NOW)).toBe('soon');
  });
});
