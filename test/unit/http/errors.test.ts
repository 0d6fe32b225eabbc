import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorResponse, odooCheckError } from '../../../src/http/errors';
import type { OdooFailureKind } from '../../../src/odoo/failures';

describe('odooCheckError: a failed Odoo credentials check as an API error', () => {
  it.each<[OdooFailureKind, string, number]>([
    ['unreachable', 'odoo_unreachable', 502],
    ['timeout', 'odoo_unreachable', 502],
    ['bad_response', 'odoo_unreachable', 502],
    ['server_error', 'odoo_unreachable', 502],
    ['access_denied', 'odoo_credentials_refused', 422],
    ['access_error', 'odoo_credentials_refused', 422],
    ['missing_record', 'odoo_credentials_refused', 422],
    ['validation_error', 'odoo_credentials_refused', 422],
    ['user_error', 'odoo_credentials_refused', 422],
    ['invalid_request', 'odoo_credentials_refused', 422],
    ['unknown_model', 'odoo_credentials_refused', 422],
    ['unknown_method', 'odoo_credentials_refused', 422],
  ])('%s → %s (%i), worded by the caller', (kind, code, status) => {
    const error = odooCheckError({ kind, odooName: null, message: 'x' }, { unreachable: 'could not ask', refused: 'refused' }, { odoo_failure: kind });
    expect(error).toMatchObject({ code, status, details: { odoo_failure: kind } });
    expect(error.message).toBe(code === 'odoo_unreachable' ? 'could not ask' : 'refused');
  });
});

describe('apiErrorResponse', () => {
  it('sends the envelope, the status and the headers the error carries (request_id null outside the app, which names requests)', async () => {
    const app = new Hono().get('/', (c) =>
      apiErrorResponse(c, new ApiError('unauthorized', 'A valid API key is required.', null, { 'WWW-Authenticate': 'Bearer realm="x"' })),
    );
    const response = await app.request('/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="x"');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"error":{"code":"unauthorized","message":"A valid API key is required.","details":null,"request_id":null}}');
  });
});
