import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return API_ERRORS[this.code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details ?? null } };
  }
}
