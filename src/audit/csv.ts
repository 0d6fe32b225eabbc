/**
 * CSV as RFC 4180 writes it: CRLF line ends, a cell quoted when it holds a
 * comma, a quote or a line break, quotes doubled. A text cell that a
 * spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading
 * apostrophe: audit rows carry strings chosen by callers (tool and model
 * names, user agents), and opening an export must not execute them.
 */
export function csvLine(cells: ReadonlyArray<string | number | boolean | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? neutralizeFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Spreadsheets skip leading spaces and invisible characters before deciding a
 * cell is a formula, and read full-width signs (＝ ＋ － ＠) as the ASCII ones,
 * so the test looks past any leading whitespace, zero-width or format
 * character, and knows the full-width and other dash forms of the signs.
 */
const FORMULA_START = /^[\s\p{Cf}\p{Zs}\u180e]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212\ufe62\ufe63\ufe66\u207a\u208a\t\r]/u;

function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
