import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeConnectionCursor } from '../../src/admin/connection-cursor';
import { connectionAction, expectJson, type Json } from '../support/connections-api';
import { adminRequest, connectClient, createConnection, type CreatedConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

let target: CreatedConnection;

beforeEach(async () => {
  target = await createConnection({ name: 'input target', scope: { preset: 'read_only' } });
});

afterEach(() => {
  vi.useRealTimers();
});

async function rowsSnapshot(): Promise<string> {
  const [connections, sessions] = await env.DB.batch([
    env.DB.prepare('SELECT * FROM connections ORDER BY id'),
    env.DB.prepare('SELECT * FROM mcp_sessions ORDER BY id'),
  ]);
  return JSON.stringify([connections!.results, sessions!.results]);
}

/** Sends the request, expects the error, and checks that nothing in D1 changed. */
async function expectRefusal(request: () => Promise<Response>, status: number, code: string): Promise<Json> {
  const before = await rowsSnapshot();
  const body = await expectJson(await request(), status);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(await rowsSnapshot()).toBe(before);
  return body.error;
}

const paths = (error: Json) => error.details.issues.map((issue: { path: string }) => issue.path);

describe('unknown ids', () => {
  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['POST', '/rotate'],
    ['POST', '/revoke'],
    ['POST', '/reactivate'],
    ['POST', '/keys'],
    ['GET', '/sessions'],
    ['DELETE', '/sessions/0123456789abcdef0123456789abcdef'],
  ])('%s /admin/api/connections/<unknown>%s is a 404 not_found', async (method, suffix) => {
    const error = await expectRefusal(
      () => adminRequest(`/admin/api/connections/con_unknown${suffix}`, { method, ...(method === 'PATCH' ? { json: { name: 'x' } } : {}) }),
      404,
      'not_found',
    );
    expect(error.message).toContain('con_unknown');
  });

  it('an unknown session, or the session of another connection, is a 404', async () => {
    const other = await createConnection({ name: 'other', scope: { preset: 'read_only' } });
    await connectClient(other.key);
    const { id: foreignSession } = (await env.DB.prepare('SELECT id FROM mcp_sessions WHERE connection_id = ?').bind(other.connection.id).first<{ id: string }>())!;
    await expectRefusal(() => adminRequest(`/admin/api/connections/${target.connection.id}/sessions/${foreignSession}`, { method: 'DELETE' }), 404, 'not_found');
    await expectRefusal(() => adminRequest(`/admin/api/connections/${target.connection.id}/sessions/nope`, { method: 'DELETE' }), 404, 'not_found');
  });
});

describe('invalid scopes', () => {
  it.each([
    ['an unknown preset', { preset: 'everything' }, ['scope.preset']],
    ['custom without operations', { preset: 'custom' }, ['scope.operations']],
    ['an unknown operation', { preset: 'custom', operations: ['read', 'destroy'] }, ['scope.operations.1']],
    ['a bad CIDR', { preset: 'read_only', ip_allow: ['10.0.0.0/33'] }, ['scope.ip_allow.0']],
    ['an unknown key', { preset: 'read_only', admin: true }, ['scope.admin']],
  ])('%s: 400 validation_failed with the paths, on create and on PATCH', async (_label, scope, expected) => {
    const created = await expectRefusal(() => adminRequest('/admin/api/connections', { method: 'POST', json: { name: 'bad', scope } }), 400, 'validation_failed');
    expect(paths(created)).toEqual(expected);
    const patched = await expectRefusal(
      () => adminRequest(`/admin/api/connections/${target.connection.id}`, { method: 'PATCH', json: { scope } }),
      400,
      'validation_failed',
    );
    expect(paths(patched)).toEqual(expected);
  });
});

describe('conflicts', () => {
  it('issuing a key while one exists is a 409 conflict', async () => {
    const error = await expectRefusal(() => connectionAction(target.connection.id, 'keys'), 409, 'conflict');
    expect(error.message).toContain('rotate');
  });

  it('reactivating a connection that is not revoked or expired is a 409', async () => {
    const error = await expectRefusal(() => connectionAction(target.connection.id, 'reactivate'), 409, 'conflict');
    expect(error.message).toContain('awaiting_connection');
  });

  it('ending a session twice: 204, then 409', async () => {
    await connectClient(target.key);
    const { id } = (await env.DB.prepare('SELECT id FROM mcp_sessions WHERE connection_id = ?').bind(target.connection.id).first<{ id: string }>())!;
    const path = `/admin/api/connections/${target.connection.id}/sessions/${id}`;
    expect((await adminRequest(path, { method: 'DELETE' })).status).toBe(204);
    await expectRefusal(() => adminRequest(path, { method: 'DELETE' }), 409, 'conflict');
  });

  it('changing the validity of a connection past its expiry is a 409 that points to reactivate', async () => {
    const start = Date.parse('2026-12-01T00:00:00Z');
    vi.setSystemTime(start);
    const shortLived = await createConnection({ name: 'short', scope: { preset: 'read_only' }, valid_for_days: 1 });
    vi.setSystemTime(start + 2 * 86_400_000);
    const error = await expectRefusal(
      () => adminRequest(`/admin/api/connections/${shortLived.connection.id}`, { method: 'PATCH', json: { valid_for_days: 30 } }),
      409,
      'conflict',
    );
    expect(error.message).toContain('reactivate');
  });
});

describe('bodies', () => {
  const id = () => target.connection.id;
  const raw = (path: () => string, method: string, body: string, contentType = 'application/json') => () =>
    adminRequest(path(), { method, body, headers: { 'content-type': contentType } });

  it.each([
    ['create', () => '/admin/api/connections', 'POST'],
    ['PATCH', () => `/admin/api/connections/${id()}`, 'PATCH'],
    ['rotate', () => `/admin/api/connections/${id()}/rotate`, 'POST'],
    ['revoke', () => `/admin/api/connections/${id()}/revoke`, 'POST'],
    ['reactivate', () => `/admin/api/connections/${id()}/reactivate`, 'POST'],
    ['keys', () => `/admin/api/connections/${id()}/keys`, 'POST'],
  ])('%s: a body that is not JSON is a 400 invalid_json', async (_label, path, method) => {
    await expectRefusal(raw(path, method, '{"name": '), 400, 'invalid_json');
  });

  it.each([
    ['create', () => '/admin/api/connections', 'POST', { name: 'x', scope: { preset: 'full' }, owner: 'me' }, ['owner']],
    ['PATCH', () => `/admin/api/connections/${id()}`, 'PATCH', { name: 'x', state: 'active', key_hash: 'h' }, ['state', 'key_hash']],
    ['rotate', () => `/admin/api/connections/${id()}/rotate`, 'POST', { key: 'omcp_mine' }, ['key']],
    ['revoke', () => `/admin/api/connections/${id()}/revoke`, 'POST', { reason: 'x', force: true }, ['force']],
    ['reactivate', () => `/admin/api/connections/${id()}/reactivate`, 'POST', { not_before: '2030-01-01T00:00:00Z' }, ['not_before']],
    ['keys', () => `/admin/api/connections/${id()}/keys`, 'POST', { public_id: 'x' }, ['public_id']],
  ])('%s: unknown fields are a 400 that names them', async (_label, path, method, json, expected) => {
    const error = await expectRefusal(() => adminRequest(path(), { method, json }), 400, 'validation_failed');
    expect(paths(error)).toEqual(expected);
  });

  it('a body sent as text/plain is a 415', async () => {
    await expectRefusal(raw(() => `/admin/api/connections/${id()}`, 'PATCH', '{"name":"x"}', 'text/plain'), 415, 'unsupported_media_type');
    await expectRefusal(raw(() => `/admin/api/connections/${id()}/revoke`, 'POST', '{}', 'text/plain'), 415, 'unsupported_media_type');
  });

  it.each([
    ['an empty PATCH', {}, ['']],
    ['an empty name', { name: '  ' }, ['name']],
    ['both expires_at and valid_for_days', { expires_at: '2030-01-01T00:00:00Z', valid_for_days: 3 }, ['valid_for_days']],
    ['an expiry in the past', { expires_at: '2020-01-01T00:00:00Z' }, ['expires_at']],
    ['a date without a time zone', { expires_at: '2030-01-01T00:00:00' }, ['expires_at']],
    ['a negative validity', { valid_for_days: -1 }, ['valid_for_days']],
    ['log_payloads as a string', { log_payloads: 'yes' }, ['log_payloads']],
  ])('PATCH with %s is a 400 naming the field', async (_label, json, expected) => {
    const error = await expectRefusal(() => adminRequest(`/admin/api/connections/${id()}`, { method: 'PATCH', json }), 400, 'validation_failed');
    expect(paths(error)).toEqual(expected);
  });
});

describe('list queries', () => {
  it.each([
    ['an unknown status', 'status=online', ['status']],
    ['an unknown sort', 'sort=status', ['sort']],
    ['a limit of 0', 'limit=0', ['limit']],
    ['a limit over 200', 'limit=201', ['limit']],
    ['a limit that is not a number', 'limit=ten', ['limit']],
    ['an unknown parameter', 'page=2', ['page']],
    ['a repeated parameter', 'status=idle&status=connected', ['status']],
    ['a cursor that is not one', 'cursor=not-a-cursor', ['cursor']],
    ['a cursor of another sort', `sort=name&cursor=${encodeConnectionCursor('created', 'desc', { value: 1, id: 'con_x' })}`, ['cursor']],
    ['a cursor of another order', `order=asc&cursor=${encodeConnectionCursor('created', 'desc', { value: 1, id: 'con_x' })}`, ['cursor']],
  ])('%s is a 400 naming the parameter', async (_label, query, expected) => {
    const error = await expectRefusal(() => adminRequest(`/admin/api/connections?${query}`), 400, 'validation_failed');
    expect(paths(error)).toEqual(expected);
  });

  it('a bad session cursor is a 400', async () => {
    const error = await expectRefusal(() => adminRequest(`/admin/api/connections/${target.connection.id}/sessions?cursor=abc`), 400, 'validation_failed');
    expect(paths(error)).toEqual(['cursor']);
  });
});
