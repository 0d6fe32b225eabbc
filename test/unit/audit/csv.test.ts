import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../../src/audit/csv';

describe('csvCell (RFC 4180)', () => {
  it.each<[string | number | boolean | null, string]>([
    [null, ''],
    ['', ''],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\nend', '"crlf\r\nend"'],
    [42, '42'],
    [-3, '-3'],
    [0.5, '0.5'],
    [true, 'true'],
    [false, 'false'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvCell against spreadsheet formula injection', () => {
  it.each<[string, string]>([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [' =1+1', "' =1+1"],
    ['   @SUM(A1)', "'   @SUM(A1)"],
    ['\u200b=1+1', "'\u200b=1+1"],
    ['\ufeff+1', "'\ufeff+1"],
    ['\u00a0-1', "'\u00a0-1"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['\uff0b1', "'\uff0b1"],
    ['\uff0d1', "'\uff0d1"],
    ['\uff20SUM(A1)', "'\uff20SUM(A1)"],
    ['\u2212 1', "'\u2212 1"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['=a,b', `"'=a,b"`],
    ['a=b', 'a=b'],
    ['e-mail', 'e-mail'],
  ])('writes text %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', null, 'b,c', 3])).toBe('a,,"b,c",3\r\n');
  });
});
