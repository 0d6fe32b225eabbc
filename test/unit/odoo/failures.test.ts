import { afterEach, describe, expect, it, vi } from 'vitest';
import { STANDIN_DEMO_KEY } from '../../../odoo-standin/standin';
import { createOdooClient, type OdooClient, type OdooResult } from '../../../src/odoo/client';
import { cleanOdooText, describeOdooFailure, fromJson2Error, fromJsonRpcError, type OdooFailure, type OdooFailureKind } from '../../../src/odoo/failures';
import type { OdooApi } from '../../../src/odoo/types';
import { accountFor, hangingFetch, routeFetchToStandin } from './standin-fetch';

afterEach(() => {
  vi.restoreAllMocks();
});

const SECRET_KEY = 'sk-very-secret-odoo-key';

function failureOf(result: OdooResult<unknown>): OdooFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.failure;
}

/** Nothing of the traceback, the key or the request may reach a tool error. */
function expectSafe(failure: OdooFailure, ...secrets: string[]): void {
  const described = describeOdooFailure(failure, { model: 'res.partner', method: 'search_read' });
  for (const text of [failure.message, described]) {
    expect(text).not.toMatch(/Traceback|server traceback elided|File "/);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text.length).toBeLessThanOrEqual(500);
  }
}

interface FailureCase {
  label: string;
  kind: OdooFailureKind;
  odooName: string;
  message: RegExp;
  call(client: OdooClient): Promise<OdooResult<unknown>>;
  asDemo?: boolean;
  wrongKey?: boolean;
}

const CASES: FailureCase[] = [
  { label: 'a refused API key', kind: 'access_denied', odooName: '', message: /./, wrongKey: true, call: (c) => c.searchCount('res.partner', []) },
  {
    label: 'an ACL refusal',
    kind: 'access_error',
    odooName: 'odoo.exceptions.AccessError',
    message: /^You are not allowed to access 'System Parameter' \(ir\.config_parameter\) records\.$/,
    asDemo: true,
    call: (c) => c.searchRead('ir.config_parameter', { domain: [] }),
  },
  {
    label: 'a missing record',
    kind: 'missing_record',
    odooName: 'odoo.exceptions.MissingError',
    message: /^Record does not exist or has been deleted\. \(Record: res\.partner\(999999,\), User: 2\)$/,
    call: (c) => c.write('res.partner', [999999], { name: 'x' }),
  },
  {
    label: 'a validation error',
    kind: 'validation_error',
    odooName: 'odoo.exceptions.ValidationError',
    message: /^The operation cannot be completed: Contacts require a name$/,
    call: (c) => c.create('res.partner', [{}]),
  },
  { label: 'a user error', kind: 'user_error', odooName: 'odoo.exceptions.UserError', message: /^Invalid "order" specified/, call: (c) => c.searchRead('res.partner', { domain: [], order: 'name;drop' }) },
  {
    label: 'a bad domain',
    kind: 'invalid_request',
    odooName: 'builtins.ValueError',
    message: /^Invalid field res\.partner\.no_such_field in condition \('no_such_field', '=', 1\)$/,
    call: (c) => c.searchRead('res.partner', { domain: [['no_such_field', '=', 1]] }),
  },
  { label: 'a bad field', kind: 'invalid_request', odooName: 'builtins.ValueError', message: /^Invalid field 'nope' on 'res\.partner'$/, call: (c) => c.read('res.partner', [9], ['nope']) },
  {
    label: 'a bad argument',
    kind: 'invalid_request',
    odooName: 'builtins.TypeError',
    message: /unexpected keyword argument 'bogus'/,
    call: (c) => c.execute('res.partner', 'search_read', { kwargs: { domain: [], bogus: 1 } }),
  },
  { label: 'an unknown model', kind: 'unknown_model', odooName: '', message: /no\.such\.model/, call: (c) => c.searchCount('no.such.model', []) },
  { label: 'an unknown method', kind: 'unknown_method', odooName: '', message: /^The method 'res\.partner\.frobnicate' does not exist$/, call: (c) => c.execute('res.partner', 'frobnicate', { ids: [1] }) },
  { label: 'an Odoo crash', kind: 'server_error', odooName: 'builtins.NotImplementedError', message: /child_of/, call: (c) => c.searchCount('res.partner', [['id', 'child_of', 1]]) },
];

const EXPECTED_NAMES: Record<OdooApi, Partial<Record<string, string>>> = {
  json2: { 'a refused API key': 'werkzeug.exceptions.Unauthorized', 'an unknown model': 'werkzeug.exceptions.NotFound', 'an unknown method': 'werkzeug.exceptions.NotFound' },
  jsonrpc: { 'a refused API key': 'odoo.exceptions.AccessDenied', 'an unknown model': 'odoo.exceptions.UserError', 'an unknown method': 'builtins.AttributeError' },
};

describe.each<OdooApi>(['json2', 'jsonrpc'])('failures over %s', (api) => {
  it.each(CASES)('$label -> $kind', async ({ label, kind, odooName, message, call, asDemo, wrongKey }) => {
    routeFetchToStandin();
    const apiKey = wrongKey ? SECRET_KEY : asDemo ? STANDIN_DEMO_KEY : undefined;
    const client = createOdooClient(accountFor(api, { ...(apiKey ? { apiKey } : {}), ...(asDemo ? { login: 'demo', uid: api === 'jsonrpc' ? 5 : null } : {}) }));
    const failure = failureOf(await call(client));
    expect(failure.kind).toBe(kind);
    expect(failure.odooName).toBe(odooName || EXPECTED_NAMES[api][label]);
    expect(failure.message).toMatch(message);
    expect(failure.status).toBeTypeOf('number');
    expectSafe(failure, apiKey ?? 'admin-api-key', SECRET_KEY);
  });

  it('a fetch that rejects -> unreachable', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    const failure = failureOf(await createOdooClient(accountFor(api)).searchCount('res.partner', []));
    expect(failure).toEqual({ kind: 'unreachable', odooName: null, message: 'fetch failed: ECONNREFUSED' });
    expect(describeOdooFailure(failure, { model: 'res.partner', method: 'search_count' })).toBe('Odoo could not be reached (fetch failed: ECONNREFUSED)');
  });

  it('an Odoo that never answers -> timeout', async () => {
    hangingFetch();
    const failure = failureOf(await createOdooClient(accountFor(api), { timeoutMs: 20 }).searchCount('res.partner', []));
    expect(failure).toEqual({ kind: 'timeout', odooName: null, message: 'Odoo did not answer within 0.02 s' });
    expect(describeOdooFailure(failure, { model: 'res.partner', method: 'search_count' })).toBe('Odoo did not answer within 0.02 s');
  });

  it('a 502 page from a proxy -> bad_response', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const failure = failureOf(await createOdooClient(accountFor(api)).searchCount('res.partner', []));
    expect(failure).toMatchObject({ kind: 'bad_response', odooName: null, status: 502 });
    expect(describeOdooFailure(failure, { model: 'res.partner', method: 'search_count' })).toBe(
      'Odoo gave an invalid answer to res.partner.search_count: HTTP 502 with a body that is not JSON',
    );
  });

  it('JSON of the wrong shape -> bad_response', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json(api === 'json2' ? { unexpected: true } : { jsonrpc: '2.0', id: 1 }));
    expect(failureOf(await createOdooClient(accountFor(api)).searchCount('res.partner', [])).kind).toBe('bad_response');
  });
});

it('jsonrpc: a refused login on authenticate -> access_denied, and no call follows', async () => {
  const { sent } = routeFetchToStandin();
  const client = createOdooClient(accountFor('jsonrpc', { uid: null, apiKey: SECRET_KEY }));
  const failure = failureOf(await client.searchCount('res.partner', []));
  expect(failure).toMatchObject({ kind: 'access_denied', odooName: null });
  expect(sent).toHaveLength(1);
  expectSafe(failure, SECRET_KEY);
});

it('json2: an API key that belongs to no user with the login -> access_denied', async () => {
  routeFetchToStandin();
  const failure = failureOf(await createOdooClient(accountFor('json2', { login: 'ghost' })).authenticate());
  expect(failure).toMatchObject({ kind: 'access_denied', message: "Odoo accepted the API key but has no user with the login 'ghost'" });
});

it('json2: a 404 page (no JSON-2 on this server, or another database) says what to check', async () => {
  routeFetchToStandin();
  const failure = failureOf(await createOdooClient(accountFor('json2', { database: 'other' })).searchCount('res.partner', []));
  expect(failure).toMatchObject({ kind: 'bad_response', status: 404, message: expect.stringMatching(/Odoo 19 or later/) });
});

it('scrubs the API key if Odoo ever echoes it', async () => {
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(
    Response.json({ name: 'builtins.TypeError', message: `bad call with ${SECRET_KEY}`, arguments: [], context: {}, debug: 'Traceback ...' }, { status: 500 }),
  );
  const failure = failureOf(await createOdooClient(accountFor('json2', { apiKey: SECRET_KEY })).searchCount('res.partner', []));
  expect(failure.message).toBe('bad call with [redacted]');
});

describe('mapping Odoo errors', () => {
  it.each<[number, string, string, OdooFailureKind]>([
    [401, 'werkzeug.exceptions.Unauthorized', 'Invalid apikey', 'access_denied'],
    [403, 'odoo.exceptions.AccessError', 'no', 'access_error'],
    [404, 'odoo.exceptions.MissingError', 'gone', 'missing_record'],
    [422, 'odoo.exceptions.ValidationError', 'bad', 'validation_error'],
    [422, 'odoo.exceptions.UserError', 'Cannot cancel a confirmed order', 'user_error'],
    [422, 'odoo.exceptions.UserError', "Object x.y doesn't exist", 'unknown_model'],
    [404, 'werkzeug.exceptions.NotFound', "the model 'x' does not exist", 'unknown_model'],
    [404, 'werkzeug.exceptions.NotFound', "The method 'x.y' does not exist", 'unknown_method'],
    [500, 'builtins.AttributeError', "The method 'x.y' does not exist", 'unknown_method'],
    [500, 'builtins.ValueError', 'Invalid field', 'invalid_request'],
    [500, 'builtins.TypeError', 'unexpected keyword', 'invalid_request'],
    [400, 'werkzeug.exceptions.BadRequest', 'could not parse', 'invalid_request'],
    [422, 'werkzeug.exceptions.UnprocessableEntity', 'cannot call with ids', 'invalid_request'],
    [500, 'psycopg2.errors.SerializationFailure', 'could not serialize access', 'server_error'],
    [503, 'werkzeug.exceptions.ServiceUnavailable', 'down', 'server_error'],
  ])('JSON-2 %i %s -> %s', (status, name, message, kind) => {
    expect(fromJson2Error(status, { name, message, arguments: [message], context: {}, debug: 'Traceback' })).toEqual({ kind: kind as string, odooName: name, message, status });
  });

  it('/jsonrpc maps by name alone', () => {
    expect(fromJsonRpcError({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' }).kind).toBe('access_denied');
    expect(fromJsonRpcError({ name: 'builtins.KeyError', message: "'x'" }).kind).toBe('server_error');
    expect(fromJsonRpcError({}).message).toBe('Odoo Server Error');
  });

  it('keeps only the first paragraph of an AccessError', () => {
    const message = "You are not allowed to access 'Record Rule' (ir.rule) records.\n\nThis operation is allowed for the following groups:\n\t- Access Rights\n\nContact your administrator.";
    expect(fromJson2Error(403, { name: 'odoo.exceptions.AccessError', message }).message).toBe("You are not allowed to access 'Record Rule' (ir.rule) records.");
  });
});

describe('cleaning Odoo text', () => {
  it('drops a traceback, keeping the text before it', () => {
    expect(cleanOdooText('Bad thing happened\nTraceback (most recent call last):\n  File "/odoo/x.py", line 1, in f\n    boom()\nValueError: boom')).toBe('Bad thing happened');
  });

  it('keeps only the exception line of a bare traceback', () => {
    expect(cleanOdooText('Traceback (most recent call last):\n  File "/odoo/x.py", line 1, in f\n    boom()\nValueError: boom')).toBe('ValueError: boom');
  });

  it('collapses whitespace and caps the length at 500 characters', () => {
    expect(cleanOdooText(' a \n\n\t b ')).toBe('a b');
    const long = cleanOdooText('x'.repeat(2000));
    expect(long).toHaveLength(500);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('describing a failure for a tool error', () => {
  const at = { model: 'ir.config_parameter', method: 'search_read' };
  it.each<[OdooFailure, string]>([
    [
      { kind: 'access_error', odooName: 'odoo.exceptions.AccessError', message: "You are not allowed to access 'System Parameter' (ir.config_parameter) records." },
      "Odoo refused access: You are not allowed to access 'System Parameter' (ir.config_parameter) records.",
    ],
    [{ kind: 'unreachable', odooName: null, message: '' }, 'Odoo could not be reached'],
    [{ kind: 'timeout', odooName: null, message: 'Odoo did not answer within 15 s' }, 'Odoo did not answer within 15 s'],
    [{ kind: 'unknown_model', odooName: null, message: 'x' }, "The model 'ir.config_parameter' does not exist in this Odoo database."],
    [{ kind: 'unknown_method', odooName: null, message: 'x' }, "The method 'search_read' does not exist on the model 'ir.config_parameter' in Odoo."],
    [{ kind: 'missing_record', odooName: null, message: 'Record does not exist or has been deleted.' }, 'Odoo could not find the record: Record does not exist or has been deleted.'],
    [{ kind: 'validation_error', odooName: null, message: 'Contacts require a name' }, 'Odoo rejected the values: Contacts require a name'],
    [{ kind: 'user_error', odooName: null, message: 'Nope' }, 'Odoo refused the operation: Nope'],
  ])('%j', (failure, text) => {
    expect(describeOdooFailure(failure, at)).toBe(text);
  });

  it('says the gateway credentials were refused, and the bad request where it happened', () => {
    expect(describeOdooFailure({ kind: 'access_denied', odooName: null, message: 'Access Denied' }, at)).toMatch(/^Odoo refused the gateway's credentials/);
    expect(describeOdooFailure({ kind: 'invalid_request', odooName: null, message: 'Invalid field' }, at)).toBe(
      'Odoo rejected the request to ir.config_parameter.search_read (bad domain, field or argument): Invalid field',
    );
  });

  it('works without a call site', () => {
    expect(describeOdooFailure({ kind: 'unknown_model', odooName: null, message: "the model 'x.y' does not exist" })).toBe(
      "Odoo does not know the model: the model 'x.y' does not exist",
    );
    expect(describeOdooFailure({ kind: 'invalid_request', odooName: null, message: 'bad' }, {})).toBe(
      'Odoo rejected the request (bad domain, field or argument): bad',
    );
  });

  it('cleans a message that was built elsewhere', () => {
    const text = describeOdooFailure({ kind: 'server_error', odooName: null, message: `boom\nTraceback (most recent call last):\n  File "x"\n${'y'.repeat(900)}` }, at);
    expect(text).toBe('Odoo failed with an internal error on ir.config_parameter.search_read: boom');
  });
});
