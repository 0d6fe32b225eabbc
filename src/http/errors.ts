import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OdooFailure, OdooFailureKind } from '../odoo/failures';

/** The closed set of error codes the HTTP API answers with, and their statuses. */
export const API_ERRORS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  odoo_credentials_refused: 422,
  rate_limited: 429,
  internal_error: 500,
  odoo_unreachable: 502,
  not_configured: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    /** Headers the error needs on the wire, e.g. a 401's WWW-Authenticate challenge. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return API_ERRORS[this.code];
  }

  /** `request_id` is the response's X-Request-Id: what an operator finds the request's log lines by. */
  toBody(requestId: string | null) {
    return { error: { code: this.code, message: this.message, details: this.details ?? null, request_id: requestId } };
  }
}

/** The one way an API error leaves the Worker: its status, the error envelope and its headers. */
export function apiErrorResponse(c: Context, error: ApiError): Response {
  const requestId: unknown = c.var.requestId;
  return c.json(error.toBody(typeof requestId === 'string' ? requestId : null), error.status, error.headers);
}

/** Odoo could not be asked, or gave no usable answer: nothing about the credentials is known. */
const ODOO_NOT_ASKED: ReadonlySet<OdooFailureKind> = new Set(['unreachable', 'timeout', 'bad_response', 'server_error']);

/**
 * The one translation of a failed Odoo credentials check to the API: Odoo
 * could not be asked (502 odoo_unreachable), or it answered and refused
 * (422 odoo_credentials_refused). The caller words each case for its route.
 */
export function odooCheckError(
  failure: OdooFailure,
  words: { unreachable: string; refused: string },
  details?: unknown,
): ApiError {
  return ODOO_NOT_ASKED.has(failure.kind)
    ? new ApiError('odoo_unreachable', words.unreachable, details)
    : new ApiError('odoo_credentials_refused', words.refused, details);
}
