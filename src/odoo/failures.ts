export type OdooFailureKind =
  | 'access_denied'
  | 'access_error'
  | 'missing_record'
  | 'validation_error'
  | 'user_error'
  | 'invalid_request'
  | 'unknown_model'
  | 'unknown_method'
  | 'unreachable'
  | 'timeout'
  | 'bad_response'
  | 'server_error';

/** Why a call to Odoo failed. `message` is already cleaned: no traceback, no credentials. */
export interface OdooFailure {
  kind: OdooFailureKind;
  /** Odoo's exception name (e.g. "odoo.exceptions.AccessError"), null when Odoo did not answer one. */
  odooName: string | null;
  message: string;
  /** The HTTP status, when Odoo answered one. */
  status?: number;
}

const MAX_MESSAGE = 500;

/** Removes Python tracebacks, collapses whitespace and caps the length of text that came from Odoo. */
export function cleanOdooText(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Traceback (most recent call last)'));
  let kept = lines;
  if (start >= 0) {
    const before = lines.slice(0, start).filter((line) => line.trim());
    // With nothing before the traceback, its last line (the exception itself) is the message.
    const after = lines.slice(start + 1).filter((line) => line.trim() && !/^\s/.test(line));
    kept = before.length ? before : after.slice(-1);
  }
  const flat = kept.join(' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

function classify(name: string | null, message: string, status: number | undefined): OdooFailureKind {
  switch (name) {
    case 'odoo.exceptions.AccessDenied':
    case 'werkzeug.exceptions.Unauthorized':
      return 'access_denied';
    case 'odoo.exceptions.AccessError':
      return 'access_error';
    case 'odoo.exceptions.MissingError':
      return 'missing_record';
    case 'odoo.exceptions.ValidationError':
      return 'validation_error';
    case 'odoo.exceptions.UserError':
      return /^Object \S+ doesn't exist/.test(message) ? 'unknown_model' : 'user_error';
    case 'werkzeug.exceptions.NotFound':
      if (/^the model /i.test(message)) return 'unknown_model';
      if (/^the method /i.test(message)) return 'unknown_method';
      return 'invalid_request';
    case 'builtins.AttributeError':
      return /does not exist/.test(message) ? 'unknown_method' : 'server_error';
    case 'builtins.ValueError':
    case 'builtins.TypeError':
    case 'werkzeug.exceptions.BadRequest':
    case 'werkzeug.exceptions.UnprocessableEntity':
      return 'invalid_request';
  }
  if (status === 401) return 'access_denied';
  if (status === 403) return 'access_error';
  if (status !== undefined && status >= 400 && status < 500) return 'invalid_request';
  return 'server_error';
}

function errorParts(body: unknown): { name: string | null; message: string } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const name = typeof record.name === 'string' ? record.name : null;
  const message = typeof record.message === 'string' ? record.message : typeof body === 'string' ? body : '';
  // An AccessError goes on with the groups that would be allowed and "Contact your administrator":
  // advice about Odoo's own UI that only confuses a gateway client.
  const essential = name === 'odoo.exceptions.AccessError' ? message.split(/\n\s*\n/)[0]! : message;
  return { name, message: cleanOdooText(essential) };
}

/** A JSON-2 error answer: the HTTP status and the bare `{name, message, arguments, context, debug}`. */
export function fromJson2Error(status: number, body: unknown): OdooFailure {
  const { name, message } = errorParts(body);
  return { kind: classify(name, message, status), odooName: name, message: message || `HTTP ${status}`, status };
}

/** The `error.data` of a /jsonrpc answer (always HTTP 200). */
export function fromJsonRpcError(data: unknown): OdooFailure {
  const { name, message } = errorParts(data);
  return { kind: classify(name, message, undefined), odooName: name, message: message || 'Odoo Server Error', status: 200 };
}

export interface OdooCallSite {
  model?: string;
  method?: string;
}

/** The one wording of an Odoo failure for a tool error: short, accurate, safe to show an AI client. */
export function describeOdooFailure(failure: OdooFailure, { model = '', method = '' }: OdooCallSite = {}): string {
  const detail = cleanOdooText(failure.message);
  const target = model && method ? `${model}.${method}` : model || method;
  const text = ((): string => {
    switch (failure.kind) {
      case 'access_denied':
        return `Odoo refused the gateway's credentials for this connection (${detail}). An administrator must update the Odoo API key or login.`;
      case 'access_error':
        return `Odoo refused access: ${detail}`;
      case 'missing_record':
        return `Odoo could not find the record: ${detail}`;
      case 'validation_error':
        return `Odoo rejected the values: ${detail}`;
      case 'user_error':
        return `Odoo refused the operation: ${detail}`;
      case 'invalid_request':
        return `Odoo rejected the request${target ? ` to ${target}` : ''} (bad domain, field or argument): ${detail}`;
      case 'unknown_model':
        return model ? `The model '${model}' does not exist in this Odoo database.` : `Odoo does not know the model: ${detail}`;
      case 'unknown_method':
        return method && model ? `The method '${method}' does not exist on the model '${model}' in Odoo.` : `Odoo does not know the method: ${detail}`;
      case 'unreachable':
        return detail ? `Odoo could not be reached (${detail})` : 'Odoo could not be reached';
      case 'timeout':
        return detail || 'Odoo did not answer in time';
      case 'bad_response':
        return `Odoo gave an invalid answer${target ? ` to ${target}` : ''}: ${detail}`;
      case 'server_error':
        return `Odoo failed with an internal error${target ? ` on ${target}` : ''}: ${detail}`;
    }
  })();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
