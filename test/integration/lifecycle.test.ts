import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, createConnection, GATEWAY, rawInitialize } from '../support/gateway';
import { connectionAction, expectJson, getConnection, lastUsedLanded, listConnectionsPage, watchAuditQueue } from '../support/connections-api';
import { adminRequest } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

const MINUTE = 60_000;

async function pingInSession(key: string, sessionId: string): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
  });
}

async function sessionsOf(id: string) {
  return (await expectJson(await adminRequest(`/admin/api/connections/${id}/sessions`), 200)).items as Array<{
    id: string;
    open: boolean;
    ended_reason: string | null;
  }>;
}

describe('the connection lifecycle through the admin API', () => {
  it('create, use, idle, rotate, revoke, reactivate, new key', async () => {
    const audit = watchAuditQueue();
    let now = Date.parse('2026-12-01T09:00:00Z');
    vi.setSystemTime(now);

    // Created: a key exists, no client has used it yet.
    const created = await createConnection({ name: 'Lifecycle assistant', scope: { preset: 'read_only' } });
    const id = created.connection.id;
    expect(created.connection).toMatchObject({ status: 'awaiting_connection', has_key: true, idle_for_seconds: null, last_used_at: null });

    // Used through the MCP SDK client: connected, with the client's name and version from initialize.
    now += 5_000;
    vi.setSystemTime(now);
    const firstClient = await connectClient(created.key, { clientName: 'Cursor', clientVersion: '1.7.2' });
    await firstClient.listTools();
    await lastUsedLanded(id, now);
    expect(await getConnection(id)).toMatchObject({
      status: 'connected',
      idle_for_seconds: 0,
      last_used_at: new Date(now).toISOString(),
      last_client: { name: 'Cursor', version: '1.7.2' },
    });
    const connectedPage = await listConnectionsPage({ status: 'connected' });
    expect(connectedPage.items.map((item) => item.id)).toEqual([id]);
    const usedAt = now;

    // Time moves past CONNECTED_WINDOW (15 minutes): idle, and for how long.
    now += 20 * MINUTE;
    vi.setSystemTime(now);
    expect(await getConnection(id)).toMatchObject({ status: 'idle', idle_for_seconds: 20 * 60, last_used_at: new Date(usedAt).toISOString() });
    expect((await listConnectionsPage({ status: 'idle' })).items.map((item) => item.id)).toEqual([id]);
    expect((await listConnectionsPage({ status: 'connected' })).items).toEqual([]);

    // Rotate: the old key fails on the very next request, the new one works.
    now += 1_000;
    vi.setSystemTime(now);
    const rotated = await expectJson(await connectionAction(id, 'rotate'), 200);
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.connection).toMatchObject({ status: 'awaiting_connection', has_key: true });
    expect(rotated.connection.key_public_id).not.toBe(created.connection.key_public_id);
    expect((await rawInitialize(created.key)).status).toBe(401);
    await expect(firstClient.listTools()).rejects.toThrow();
    const secondClient = await connectClient(rotated.key, { clientName: 'Cursor', clientVersion: '1.8.0' });
    await secondClient.listTools();
    await lastUsedLanded(id, now);
    expect(await getConnection(id)).toMatchObject({ status: 'connected', last_client: { name: 'Cursor', version: '1.8.0' } });
    const rotatedSessions = await sessionsOf(id);
    expect(rotatedSessions.filter((session) => session.open)).toHaveLength(1);
    expect(rotatedSessions.filter((session) => !session.open).map((session) => session.ended_reason)).toEqual(['rotated']);
    const liveSessionId = rotatedSessions.find((session) => session.open)!.id;

    // Revoke: the hash is gone, the key is refused, the sessions are ended, the record stays.
    now += 1_000;
    vi.setSystemTime(now);
    const revoked = await expectJson(await connectionAction(id, 'revoke', { reason: 'laptop lost' }), 200);
    expect(revoked).toMatchObject({ status: 'revoked', has_key: false, revoked_at: new Date(now).toISOString(), name: 'Lifecycle assistant' });
    const hash = await env.DB.prepare('SELECT key_hash FROM connections WHERE id = ?').bind(id).first<{ key_hash: string | null }>();
    expect(hash).toEqual({ key_hash: null });
    expect((await rawInitialize(rotated.key)).status).toBe(401);
    expect((await pingInSession(rotated.key, liveSessionId)).status).toBe(401);
    await expect(secondClient.listTools()).rejects.toThrow();
    expect((await sessionsOf(id)).every((session) => !session.open)).toBe(true);
    expect((await sessionsOf(id)).find((session) => session.id === liveSessionId)!.ended_reason).toBe('revoked');
    expect((await connectionAction(id, 'revoke')).status).toBe(409);
    expect((await connectionAction(id, 'rotate')).status).toBe(409);
    expect((await connectionAction(id, 'keys')).status).toBe(409);

    // Reactivate: active again, still without a key; the last key stays refused.
    now += 1_000;
    vi.setSystemTime(now);
    const reactivated = await expectJson(await connectionAction(id, 'reactivate'), 200);
    expect(reactivated).toMatchObject({ status: 'awaiting_connection', has_key: false, revoked_at: null });
    expect((await rawInitialize(rotated.key)).status).toBe(401);
    expect((await connectionAction(id, 'reactivate')).status).toBe(409);
    expect((await connectionAction(id, 'rotate')).status).toBe(409);

    // A new key: works; the session ended by the revocation stays ended; a second key is refused.
    now += 1_000;
    vi.setSystemTime(now);
    const issued = await expectJson(await connectionAction(id, 'keys'), 201);
    expect(issued.connection).toMatchObject({ status: 'awaiting_connection', has_key: true });
    const thirdClient = await connectClient(issued.key);
    expect((await thirdClient.listTools()).tools.length).toBeGreaterThan(0);
    expect((await pingInSession(issued.key, liveSessionId)).status).toBe(404);
    expect(await expectJson(await connectionAction(id, 'keys'), 409)).toMatchObject({ error: { code: 'conflict' } });
    expect((await rawInitialize(created.key)).status).toBe(401);
    expect((await rawInitialize(rotated.key)).status).toBe(401);

    // Every admin action is audited, in order, attributed to the admin token, never carrying a key.
    await vi.waitFor(() => expect(audit.adminActions()).toHaveLength(5));
    const actions = audit.adminActions();
    expect(actions.map((event) => event.method)).toEqual([
      'connection.create',
      'connection.rotate',
      'connection.revoke',
      'connection.reactivate',
      'connection.key_issue',
    ]);
    expect(actions.every((event) => event.connectionId === id && (event.detail.actor as { kind?: string }).kind === 'bootstrap')).toBe(true);
    expect(actions[2].detail.reason).toBe('laptop lost');
    expect(JSON.stringify(actions)).not.toContain(created.key);
    expect(JSON.stringify(actions)).not.toContain(rotated.key);
    expect(JSON.stringify(actions)).not.toContain(issued.key);
  });
});
