import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { expectJson, watchAuditQueue, type Json } from '../support/connections-api';
import { adminRequest, connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

async function sessions(id: string, query = ''): Promise<{ items: Json[]; next_cursor: string | null }> {
  return expectJson(await adminRequest(`/admin/api/connections/${id}/sessions${query}`), 200);
}

async function walkSessions(id: string, query: Record<string, string>): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await sessions(id, `?${new URLSearchParams(cursor ? { ...query, cursor } : query)}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

describe('GET /admin/api/connections/:id/sessions', () => {
  it('lists the sessions newest first with their client, open or ended, page by page', async () => {
    const { key, connection } = await createConnection({ name: 'sessions', scope: { preset: 'read_only' } });
    const start = Date.parse('2026-12-01T09:00:00Z');
    const clients = [];
    for (const [index, name] of ['Cursor', 'Claude Code', 'Gemini CLI'].entries()) {
      vi.setSystemTime(start + index * 1000);
      clients.push(await connectClient(key, { clientName: name, clientVersion: `${index + 1}.0` }));
    }
    await (clients[0]!.transport as StreamableHTTPClientTransport).terminateSession();

    const all = (await sessions(connection.id)).items;
    expect(all.map((session) => session.client.name)).toEqual(['Gemini CLI', 'Claude Code', 'Cursor']);
    expect(all[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      open: true,
      client: { name: 'Gemini CLI', version: '3.0' },
      protocol_version: LATEST_PROTOCOL_VERSION,
      created_at: new Date(start + 2000).toISOString(),
      ended_at: null,
      ended_reason: null,
    });
    expect(all[2]).toMatchObject({ open: false, ended_reason: 'client' });

    expect((await walkSessions(connection.id, { limit: '1' })).map((session) => session.id)).toEqual(all.map((session) => session.id));
    expect((await walkSessions(connection.id, { state: 'open', limit: '1' })).map((session) => session.client.name)).toEqual(['Gemini CLI', 'Claude Code']);
    expect((await sessions(connection.id, '?state=ended')).items.map((session) => session.client.name)).toEqual(['Cursor']);
  });
});

describe('DELETE /admin/api/connections/:id/sessions/:sid', () => {
  it("ends one session: its client's next request gets 404, the others carry on, and it is audited", async () => {
    const audit = watchAuditQueue();
    const { key, connection } = await createConnection({ name: 'end one', scope: { preset: 'read_only' } });
    const doomed = await connectClient(key, { clientName: 'doomed' });
    const survivor = await connectClient(key, { clientName: 'survivor' });
    const doomedId = (await sessions(connection.id)).items.find((session) => session.client.name === 'doomed').id;

    const response = await adminRequest(`/admin/api/connections/${connection.id}/sessions/${doomedId}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    await expect(doomed.listTools()).rejects.toThrow(/404|Session not found/);
    expect((await survivor.listTools()).tools.length).toBeGreaterThan(0);
    const listed = (await sessions(connection.id)).items;
    expect(listed.find((session) => session.id === doomedId)).toMatchObject({ open: false, ended_reason: 'admin' });
    expect(listed.find((session) => session.client.name === 'survivor')).toMatchObject({ open: true });

    await vi.waitFor(() => expect(audit.adminActions().map((event) => event.method)).toContain('connection.session_end'));
    expect(audit.adminActions().find((event) => event.method === 'connection.session_end')).toMatchObject({
      connectionId: connection.id,
      detail: { actor: { kind: 'bootstrap', id: 'admin-token' }, session_id: doomedId },
    });
  });
});
