import { describe, expect, it } from 'vitest';
import { MinuteMarks } from '../../../src/last-used/marks';

describe('MinuteMarks', () => {
  it('answers true once per key and minute', () => {
    const marks = new MinuteMarks();
    expect(marks.mark('c1/k1', 100)).toBe(true);
    expect(marks.mark('c1/k1', 100)).toBe(false);
    expect(marks.mark('c1/k2', 100)).toBe(true);
    expect(marks.mark('c1/k1', 101)).toBe(true);
    expect(marks.mark('c1/k1', 101)).toBe(false);
  });

  it('marks again when the clock goes back a minute', () => {
    const marks = new MinuteMarks();
    marks.mark('c1/k1', 101);
    expect(marks.mark('c1/k1', 100)).toBe(true);
  });

  it('drops marks of earlier minutes once full, and keeps this minute’s', () => {
    const marks = new MinuteMarks(3);
    marks.mark('a', 1);
    marks.mark('b', 1);
    marks.mark('c', 2);
    expect(marks.mark('d', 2)).toBe(true);
    expect(marks.size).toBe(2);
    expect(marks.mark('c', 2)).toBe(false);
    expect(marks.mark('a', 1)).toBe(true);
  });

  it('starts afresh when every key was used this minute and it is full', () => {
    const marks = new MinuteMarks(2);
    marks.mark('a', 5);
    marks.mark('b', 5);
    expect(marks.mark('c', 5)).toBe(true);
    expect(marks.size).toBe(1);
    expect(marks.mark('c', 5)).toBe(false);
  });
});
