import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateKey, parseKey } from '../../src/keys/format';
import { adminRequest, createConnection, GATEWAY, type CreatedConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { rowsWhere, waitForRows, type AuditRowJson } from './audit-helpers';

useStandinOdoo();

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A well-formed key (valid checksum) with the given public id and a fresh secret: what a guesser would send. */
function keyWithAnotherSecret(publicId: string): string {
  let calls = 0;
  const { key } = generateKey((bytes) => {
    calls += 1;
    if (calls > 1) return crypto.getRandomValues(bytes);
    for (let i = 0; i < bytes.length; i++) bytes[i] = BASE32.indexOf(publicId[i % publicId.length]!);
    return bytes;
  });
  const parsed = parseKey(key);
  if (!parsed.ok || parsed.publicId !== publicId) throw new Error('could not build a key with that public id');
  return key;
}

function initialize(key: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    }),
  });
}

async function failureRows(connectionId: string): Promise<AuditRowJson[]> {
  return rowsWhere("connection_id = ? AND tool = 'auth'", connectionId);
}

function attempts(row: AuditRowJson): number {
  return (JSON.parse(row.detail!) as { attempts: number }).attempts;
}

/**
 * Holds the clock a second into the current minute, so attempts made in one
 * burst fall into the same minute's row however long the burst takes.
 */
function earlyInAMinute(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Math.floor(Date.now() / 60_000) * 60_000 + 1_000);
}

afterEach(() => {
  vi.useRealTimers();
});

type Case = [label: string, reasonCode: string, setUp: () => Promise<{ created: CreatedConnection; key: string }>];

const cases: Case[] = [
  [
    'a wrong secret for a live key',
    'key_mismatch',
    async () => {
      const created = await createConnection({ name: 'Guessed', scope: { preset: 'full' } });
      return { created, key: keyWithAnotherSecret(created.connection.key_public_id) };
    },
  ],
  [
    'the key of a revoked connection',
    'key_revoked',
    async () => {
      const created = await createConnection({ name: 'Revoked', scope: { preset: 'full' } });
      expect((await adminRequest(`/admin/api/connections/${created.connection.id}/revoke`, { method: 'POST', json: {} })).status).toBe(200);
      return { created, key: created.key };
    },
  ],
  [
    'a key past its validity',
    'key_expired',
    async () => {
      const created = await createConnection({ name: 'Expired', scope: { preset: 'full' } });
      await env.DB.prepare('UPDATE connections SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, created.connection.id).run();
      return { created, key: created.key };
    },
  ],
  [
    'the key of a connection left without a key',
    'key_missing',
    async () => {
      const created = await createConnection({ name: 'Keyless', scope: { preset: 'full' } });
      await env.DB.prepare('UPDATE connections SET key_hash = NULL WHERE id = ?').bind(created.connection.id).run();
      return { created, key: created.key };
    },
  ],
];

describe('failed authentications with a known key are audited', () => {
  it.each(cases)('records %s against its connection, with the same 401 as an unknown key', async (_label, reasonCode, setUp) => {
    const { created, key } = await setUp();
    const unknown = await initialize(generateKey().key);
    const refused = await initialize(key, { 'cf-connecting-ip': '198.51.100.7', 'user-agent': 'guesser/1.0' });

    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(unknown.headers.get('www-authenticate'));
    // Byte for byte the same body, but for the request_id that names each response.
    const withoutId = async (response: Response) => (await response.text()).replace(`"request_id":"${response.headers.get('x-request-id')}"`, '"request_id":"…"');
    expect(await withoutId(refused)).toBe(await withoutId(unknown));

    const [row] = await waitForRows((rows) => rows.length === 1, "connection_id = ? AND tool = 'auth'", created.connection.id);
    expect(row).toMatchObject({
      kind: 'mcp',
      outcome: 'denied',
      tool: 'auth',
      connection_name: created.connection.name,
      key_public_id: created.connection.key_public_id,
      client_ip: '198.51.100.7',
      user_agent: 'guesser/1.0',
      denial_code: reasonCode,
    });
    expect(JSON.parse(row!.detail!)).toMatchObject({ attempts: 1, reasons: { [reasonCode]: 1 } });
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it('aggregates a burst into one row per key and minute, counting every attempt and keeping the latest address', async () => {
    earlyInAMinute();
    const created = await createConnection({ name: 'Brute forced', scope: { preset: 'full' } });
    const publicId = created.connection.key_public_id;
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, index) => initialize(keyWithAnotherSecret(publicId), { 'cf-connecting-ip': `203.0.113.${index + 1}` })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(25).fill(401));
    const [row] = await waitForRows((rows) => rows.length === 1 && attempts(rows[0]!) === 25, "connection_id = ? AND tool = 'auth'", created.connection.id);
    const detail = JSON.parse(row!.detail!) as { attempts: number; first_at: string; last_at: string; reasons: Record<string, number> };
    expect(detail.reasons).toEqual({ key_mismatch: 25 });
    expect(Date.parse(detail.last_at)).toBeGreaterThanOrEqual(Date.parse(detail.first_at));
    expect(row!.client_ip).toMatch(/^203\.0\.113\.\d+$/);

    // One more, after the connection is revoked: the same row, the latest reason.
    await adminRequest(`/admin/api/connections/${created.connection.id}/revoke`, { method: 'POST', json: {} });
    expect((await initialize(created.key, { 'cf-connecting-ip': '192.0.2.99' })).status).toBe(401);
    const [updated] = await waitForRows((rows) => rows.length === 1 && attempts(rows[0]!) === 26, "connection_id = ? AND tool = 'auth'", created.connection.id);
    expect(updated).toMatchObject({ denial_code: 'key_revoked', client_ip: '192.0.2.99' });
    expect(JSON.parse(updated!.detail!).reasons).toEqual({ key_mismatch: 25, key_revoked: 1 });
  });

  it('records nothing for an unknown public id, a bad checksum or a working key', async () => {
    const created = await createConnection({ name: 'Fine', scope: { preset: 'full' } });
    const before = (await rowsWhere("tool = 'auth'")).length;
    expect((await initialize(generateKey().key)).status).toBe(401);
    expect((await initialize(`${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`)).status).toBe(401);
    expect((await initialize(created.key)).status).toBe(200);
    // A known-key failure sent after them is stored; by then theirs would have been as well.
    const marker = await createConnection({ name: 'Marker', scope: { preset: 'full' } });
    await initialize(keyWithAnotherSecret(marker.connection.key_public_id));
    await waitForRows((rows) => rows.length === 1, "connection_id = ? AND tool = 'auth'", marker.connection.id);
    expect((await rowsWhere("tool = 'auth'")).length).toBe(before + 1);
    expect(await failureRows(created.connection.id)).toEqual([]);
  });

  it('shows the row in the audit API, filtered by connection, tool and outcome', async () => {
    const created = await createConnection({ name: 'Listed', scope: { preset: 'full' } });
    await initialize(keyWithAnotherSecret(created.connection.key_public_id));
    await waitForRows((rows) => rows.length === 1, "connection_id = ? AND tool = 'auth'", created.connection.id);

    for (const path of [
      `/admin/api/audit?connection_id=${created.connection.id}&tool=auth&outcome=denied`,
      `/admin/api/connections/${created.connection.id}/audit?tool=auth`,
    ]) {
      const response = await adminRequest(path);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: Array<Record<string, unknown>> };
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({
        kind: 'mcp',
        outcome: 'denied',
        tool: 'auth',
        connection_id: created.connection.id,
        key_public_id: created.connection.key_public_id,
        reason_code: 'key_mismatch',
        reason: expect.stringContaining('secret does not'),
        detail: { attempts: 1 },
      });
      expect(body.items[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });
});

describe('requests of a working key refused for the connection as a whole are audited', () => {
  it('aggregates initialize from outside the IP allow-list into one row per key, minute and method, with the reason', async () => {
    earlyInAMinute();
    const created = await createConnection({ name: 'Office only', scope: { preset: 'read_only', ip_allow: ['198.51.100.0/24'] } });
    const responses = await Promise.all(Array.from({ length: 5 }, () => initialize(created.key, { 'cf-connecting-ip': '203.0.113.9' })));
    expect(responses.map((response) => response.status)).toEqual(Array(5).fill(403));
    const [row] = await waitForRows((rows) => rows.length === 1 && attempts(rows[0]!) === 5, "connection_id = ? AND tool = 'initialize'", created.connection.id);
    expect(row).toMatchObject({ outcome: 'denied', denial_code: 'ip_not_allowed', client_ip: '203.0.113.9', key_public_id: created.connection.key_public_id });
    expect(row!.denial_reason).toContain('203.0.113.9');
    expect(JSON.parse(row!.detail!).reasons).toEqual({ ip_not_allowed: 5 });

    // An allowed address opens its session and leaves no denial.
    expect((await initialize(created.key, { 'cf-connecting-ip': '198.51.100.7' })).status).toBe(200);
    const marker = await createConnection({ name: 'Marker 2', scope: { preset: 'read_only', ip_allow: ['198.51.100.0/24'] } });
    await initialize(marker.key, { 'cf-connecting-ip': '203.0.113.9' });
    await waitForRows((rows) => rows.length === 1, "connection_id = ? AND tool = 'initialize'", marker.connection.id);
    expect((await rowsWhere("connection_id = ? AND outcome = 'denied'", created.connection.id)).map((audited) => attempts(audited))).toEqual([5]);
  });

  it('counts a method the client invents as other, so names cannot multiply rows', async () => {
    const created = await createConnection({ name: 'Invented', scope: { preset: 'read_only', ip_allow: ['198.51.100.0/24'] } });
    for (const method of ['notifications/x1', 'notifications/x2', 'notifications/x3']) {
      const response = await SELF.fetch(`${GATEWAY}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'cf-connecting-ip': '203.0.113.9' },
        body: JSON.stringify({ jsonrpc: '2.0', method }),
      });
      expect(response.status).toBe(403);
    }
    const rows = await waitForRows((found) => found.length === 1 && attempts(found[0]!) === 3, "connection_id = ? AND outcome = 'denied'", created.connection.id);
    expect(rows[0]).toMatchObject({ tool: 'other', denial_code: 'ip_not_allowed' });
  });
});
