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

function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
