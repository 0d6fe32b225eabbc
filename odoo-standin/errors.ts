/** An exception as Odoo 19 serialises it: `{ name, message, arguments, context, debug }`. */
export interface OdooErrorBody {
  name: string;
  message: string;
  arguments: unknown[];
  context: Record<string, never>;
  debug: string;
}

const WERKZEUG_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  422: 'Unprocessable Entity',
};

/** The HTTP status JSON-2 gives each Odoo exception class (`http_status` in odoo.exceptions). */
const ODOO_STATUSES: Record<string, number> = {
  'odoo.exceptions.AccessDenied': 403,
  'odoo.exceptions.AccessError': 403,
  'odoo.exceptions.MissingError': 404,
  'odoo.exceptions.ValidationError': 422,
  'odoo.exceptions.UserError': 422,
};

export class OdooError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly odooName: string,
    message: string,
    /** werkzeug HTTP exceptions carry their status code as a second argument. */
    readonly werkzeugCode?: number,
  ) {
    super(message);
    this.httpStatus = werkzeugCode ?? ODOO_STATUSES[odooName] ?? 500;
  }

  toBody(): OdooErrorBody {
    return {
      name: this.odooName,
      message: this.message,
      arguments: this.werkzeugCode === undefined ? [this.message] : [this.message, this.werkzeugCode],
      context: {},
      debug: this.debug(),
    };
  }

  /** The captured fixtures keep the traceback's first line and the last line of the exception text. */
  private debug(): string {
    const pythonName = this.odooName.startsWith('builtins.') ? this.odooName.slice('builtins.'.length) : this.odooName;
    const prefix = this.werkzeugCode === undefined ? '' : `${this.werkzeugCode} ${WERKZEUG_REASONS[this.werkzeugCode] ?? ''}: `;
    const lines = `${pythonName}: ${prefix}${this.message}`.split('\n');
    return `Traceback (most recent call last):\n  ... (server traceback elided) ...\n${lines[lines.length - 1]}`;
  }
}

export const valueError = (message: string) => new OdooError('builtins.ValueError', message);
export const typeError = (message: string) => new OdooError('builtins.TypeError', message);
export const accessError = (message: string) => new OdooError('odoo.exceptions.AccessError', message);
export const validationError = (message: string) => new OdooError('odoo.exceptions.ValidationError', message);
export const notFound = (message: string) => new OdooError('werkzeug.exceptions.NotFound', message, 404);
export const badRequest = (message: string) => new OdooError('werkzeug.exceptions.BadRequest', message, 400);
export const unauthorized = (message: string) => new OdooError('werkzeug.exceptions.Unauthorized', message, 401);
export const unprocessable = (message: string) => new OdooError('werkzeug.exceptions.UnprocessableEntity', message, 422);

export function missingError(model: string, ids: number[], uid: number): OdooError {
  return new OdooError(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${recordsetRepr(model, ids)}, User: ${uid})`,
  );
}

/** Python's repr of a recordset: `res.partner(7,)` for one id, `res.partner(1, 2)` for several. */
export function recordsetRepr(model: string, ids: number[]): string {
  return ids.length === 1 ? `${model}(${ids[0]},)` : `${model}(${ids.join(', ')})`;
}
