/**
 * The bits of Python behaviour that show through Odoo's error messages:
 * `repr()` of JSON values, and the messages of Python's `json` decoder.
 */

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pyString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

export function pyTuple(values: unknown[]): string {
  return values.length === 1 ? `(${pyRepr(values[0])},)` : `(${values.map(pyRepr).join(', ')})`;
}

function pyFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

function pyString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

class DecodeError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(reason);
  }
}

/**
 * The message CPython's `json.loads` raises for `text` (e.g. "Expecting value:
 * line 1 column 1 (char 0)"), or null when Python would accept it.
 */
export function pythonJsonError(text: string): string | null {
  try {
    new PythonJsonScanner(text).document();
    return null;
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const before = text.slice(0, error.position);
    const line = before.split('\n').length;
    const column = error.position - before.lastIndexOf('\n');
    return `${error.reason}: line ${line} column ${column} (char ${error.position})`;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
// Python also accepts NaN and Infinity; JSON.parse does not, so neither does the stand-in.
const LITERALS = ['null', 'true', 'false'];

class PythonJsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.skipSpace();
    this.value();
    this.skipSpace();
    if (this.at !== this.text.length) throw new DecodeError('Extra data', this.at);
  }

  private skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.at] ?? 'x')) this.at++;
  }

  private value(): void {
    const ch = this.text[this.at];
    if (ch === '"') {
      this.string();
      return;
    }
    if (ch === '{') {
      this.object();
      return;
    }
    if (ch === '[') {
      this.array();
      return;
    }
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.at));
    if (literal) {
      this.at += literal.length;
      return;
    }
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (!number) throw new DecodeError('Expecting value', this.at);
    this.at += number[0].length;
  }

  private string(): void {
    const start = this.at++;
    for (;;) {
      const ch = this.text[this.at];
      if (ch === undefined) throw new DecodeError('Unterminated string starting at', start);
      if (ch === '"') {
        this.at++;
        return;
      }
      if (ch.charCodeAt(0) < 0x20) throw new DecodeError('Invalid control character at', this.at);
      if (ch === '\\') this.escape(start);
      else this.at++;
    }
  }

  private escape(start: number): void {
    const kind = this.text[this.at + 1];
    if (kind === undefined) throw new DecodeError('Unterminated string starting at', start);
    if (kind === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
        throw new DecodeError('Invalid \\uXXXX escape', this.at + 1);
      }
      this.at += 6;
      return;
    }
    if (!'"\\/bfnrt'.includes(kind)) throw new DecodeError('Invalid \\escape', this.at);
    this.at += 2;
  }

  private object(): void {
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      if (this.text[this.at] !== '"') throw new DecodeError('Expecting property name enclosed in double quotes', this.at);
      this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') throw new DecodeError("Expecting ':' delimiter", this.at);
      this.at++;
      this.skipSpace();
      this.value();
      this.skipSpace();
      const next = this.text[this.at];
      this.at++;
      if (next === '}') return;
      if (next !== ',') throw new DecodeError("Expecting ',' delimiter", this.at - 1);
      this.skipSpace();
    }
  }

  private array(): void {
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      const next = this.text[this.at];
      this.at++;
      if (next === ']') return;
      if (next !== ',') throw new DecodeError("Expecting ',' delimiter", this.at - 1);
      this.skipSpace();
    }
  }
}
