import { describe, expect, it } from 'vitest';
import { pyRepr, pyTuple, pythonJsonError } from '../../../odoo-standin/python';

describe('Python behaviour that shows through Odoo messages', () => {
  it.each([
    ['{not json', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['{"a":"\\q"}', 'Invalid \\escape: line 1 column 7 (char 6)'],
    ['{"a":"\\u12"}', 'Invalid \\uXXXX escape: line 1 column 8 (char 7)'],
    ['1 2', 'Extra data: line 1 column 3 (char 2)'],
    ['  \n {"a": tru}', 'Expecting value: line 2 column 8 (char 10)'],
  ])('json.loads(%j) fails like CPython', (text, message) => {
    expect(pythonJsonError(text)).toBe(message);
  });

  it('accepts what Python accepts', () => {
    expect(pythonJsonError(' {"a": [1, -2.5e3, true, null, "\\u00e9\\n"]} ')).toBeNull();
  });

  it('writes repr() like Python', () => {
    expect(pyTuple(['no_such_field', '=', 1])).toBe("('no_such_field', '=', 1)");
    expect(pyTuple(['x'])).toBe("('x',)");
    expect(pyRepr({ a: [false, 1.5, null] })).toBe("{'a': [False, 1.5, None]}");
    expect(pyRepr('say "hi"\n')).toBe(`'say "hi"\\n'`);
    expect(pyRepr(`both ' and "`)).toBe(`'both \\' and "'`);
  });
});
