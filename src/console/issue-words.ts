import type { ValidationIssue } from './api-types';
import type { ConnectionFormValues } from './scope-form';

/**
 * The API's validation issues in words for the wizard: what is wrong, named
 * by the field's label and the value typed ("Number of days must be more
 * than 0, got -1", "192.168.1.300/24 is not an IP range"). Only what is shown
 * changes; the API's answers keep their path/message shape. In JSON mode
 * the path stays in the words, as the one way to find the place in the JSON.
 */
export type IssueInWords = ValidationIssue & { words: string };

/** What the issue words read of a form: the shared fields, and the Odoo account where the form has one. */
type NamedValues = ConnectionFormValues & { odooAccountId?: string };

export interface IssueSources {
  values: NamedValues;
  /** The scope as it was sent (or would have been), to find the value an issue path names. */
  scope: unknown;
}

const BODY_FIELDS: Record<string, { label: string; value: (values: NamedValues) => string }> = {
  name: { label: 'Name', value: (values) => values.name },
  valid_for_days: { label: 'Number of days', value: (values) => values.validForDays },
  expires_at: { label: 'Valid until', value: (values) => values.expiresAt },
  not_before: { label: 'Valid from', value: (values) => values.notBefore },
  odoo_account_id: { label: 'Odoo account', value: (values) => values.odooAccountId ?? '' },
};

const WINDOW_FIELDS: Record<string, string> = { start: 'From', end: 'Until', tz: 'Time zone', days: 'Days' };
const RATE_FIELDS: Record<string, string> = { requests: 'The number of requests', per_seconds: 'The number of seconds' };

export function issuesInWords(issues: ValidationIssue[], sources: IssueSources): IssueInWords[] {
  return issues.map((issue) => ({ ...issue, words: issueInWords(issue, sources) }));
}

export function issueInWords(issue: ValidationIssue, sources: IssueSources): string {
  const { path, message } = issue;
  if (path === 'scope') return /^is /.test(message) ? `The scope JSON ${message}` : sentence(message);
  if (path.startsWith('scope.')) {
    const inScope = path.slice('scope.'.length);
    const words = scopeIssueInWords(inScope, message, valueAt(sources.scope, inScope));
    return sources.values.scopeMode === 'json' ? `${words} (at ${path})` : words;
  }
  if (/^(model|window)\.\d+\./.test(path)) return sentence(message);
  const field = BODY_FIELDS[path];
  return field ? fieldIssueInWords(field.label, field.value(sources.values), message) : sentence(path ? `${path}: ${message}` : message);
}

/** An issue of one form field, named by its label and the value typed in it. */
export function fieldIssueInWords(label: string, raw: string, message: string): string {
  const got = raw.trim() === '' ? 'nothing' : raw.trim();
  let match: RegExpMatchArray | null;
  if (message === 'must not be empty') return `${label} must not be empty.`;
  if ((match = /^Too small: expected number to be >(=?)(\S+)/.exec(message))) return `${label} must be ${match[1] ? 'at least' : 'more than'} ${match[2]}, got ${got}`;
  if ((match = /^Too big: expected number to be <(=?)(\S+)/.exec(message))) return `${label} must be ${match[1] ? 'at most' : 'less than'} ${match[2]}, got ${got}`;
  if ((match = /^Too big: expected string to have <=(\d+) characters/.exec(message))) return `${label} must be at most ${match[1]} characters, got ${raw.trim().length}`;
  if (/expected number, received/.test(message)) return `${label} must be a number, got ${got}`;
  if (/datetime/i.test(message)) return `${label} is not a date and time, got ${got}`;
  if (/validity must end after now/.test(message)) return `${label} ends the validity before it starts, got ${got}: it must end after now and after Valid from`;
  return `${label}: ${message}${raw.trim() && !message.includes(raw.trim()) ? `, got ${got}` : ''}`;
}

function scopeIssueInWords(path: string, message: string, value: unknown): string {
  const [head, index, field] = path.split('.');
  const shown = show(value);
  if (head === 'ip_allow' && index !== undefined && /^not a valid CIDR/.test(message)) {
    return `${shown} is not an IP range${message.slice('not a valid CIDR'.length)}`;
  }
  if (head === 'time_windows' && field && WINDOW_FIELDS[field]) {
    const label = WINDOW_FIELDS[field];
    if (field === 'start' || field === 'end') return `${label} must be a time such as ${field === 'start' ? '09:00' : '17:30'}, got ${shown}`;
    if (field === 'tz' && /^unknown time zone/.test(message)) return `${shown} is not a time zone; use an IANA name such as Europe/Brussels`;
    if (field === 'days' && /must not be empty/.test(message)) return 'Tick at least one day for this time window.';
  }
  if (head === 'rate_limit' && index && RATE_FIELDS[index]) {
    const label = RATE_FIELDS[index];
    const limit = /must be at (least|most) (\d+)/.exec(message);
    if (limit) return `${label} must be at ${limit[1]} ${limit[2]}, got ${shown}`;
    if (/expected int/.test(message)) return `${label} must be a whole number, got ${shown}`;
  }
  if (head === 'operations' && /must not be empty|is required with preset 'custom'/.test(message)) return 'Tick at least one operation for a Custom scope.';
  if (value !== undefined && typeof value !== 'object' && !message.includes(String(value))) return `${sentence(message)}, got ${shown}`;
  return sentence(message);
}

/** The value an issue path names inside the scope; model names hold dots, so object keys are matched longest first. */
export function valueAt(root: unknown, path: string): unknown {
  let node = root;
  let rest = path;
  while (rest !== '') {
    if (Array.isArray(node)) {
      const [index = '', ...tail] = rest.split('.');
      node = node[Number(index)];
      rest = tail.join('.');
    } else if (node !== null && typeof node === 'object') {
      const key = Object.keys(node)
        .filter((candidate) => rest === candidate || rest.startsWith(`${candidate}.`))
        .sort((a, b) => b.length - a.length)[0];
      if (key === undefined) return undefined;
      node = (node as Record<string, unknown>)[key];
      rest = rest.slice(key.length + 1);
    } else {
      return undefined;
    }
  }
  return node;
}

function show(value: unknown): string {
  if (value === undefined || value === '') return 'nothing';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
