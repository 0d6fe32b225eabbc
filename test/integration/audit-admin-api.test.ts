import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../src/audit/event';
import { auditCsvStream } from '../../src/audit/export';
import { openDatabase } from '../../src/db/client';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { auditEvent, seedEvents } from './audit-helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

useStandinOdoo();

afterEach(() => {
  vi.restoreAllMocks();
});

const T0 = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const MINUTE = 60_000;

function uniqueConnection(label: string): string {
  return `con_${label}_${crypto.randomUUID().slice(0, 8)}`;
}

async function getJson(path: string, status = 200): Promise<Json> {
  const response = await adminRequest(path);
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text);
}

async function list(params: Record<string, string | number>): Promise<{ items: Json[]; next_cursor: string | null }> {
  return getJson(`/admin/api/audit?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
}

async function walk(params: Record<string, string | number>): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(cursor ? { ...params, cursor } : params);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Twelve events of one connection a minute apart, with every filterable value varied. */
function mixedEvents(connectionId: string): AuditEvent[] {
  const shapes: Array<Partial<AuditEvent>> = [
    { outcome: 'allowed', tool: 'search_records', model: 'res.partner' },
    { outcome: 'denied', tool: 'delete_records', model: 'res.partner', denialCode: 'operation_not_allowed', denialReason: 'deleting is not allowed' },
    { outcome: 'error', tool: 'create_records', model: 'crm.lead', denialCode: 'validation_error', odooError: 'odoo.exceptions.ValidationError' },
    { outcome: 'allowed', tool: 'create_records', model: 'crm.lead' },
    { outcome: 'allowed', tool: 'read_records', model: 'sale.order' },
    { outcome: 'denied', tool: 'search_records', model: 'ir.config_parameter', denialCode: 'sensitive_model' },
    { kind: 'admin', outcome: 'allowed', tool: null, model: null, method: 'connection.rotate' },
    { outcome: 'allowed', tool: 'count_records', model: 'res.partner' },
    { outcome: 'error', tool: 'search_records', model: 'no.such.model', denialCode: 'unknown_model' },
    { outcome: 'allowed', tool: 'update_records', model: 'crm.lead' },
    { kind: 'system', outcome: 'allowed', tool: null, model: null, method: 'connection.expire' },
    { outcome: 'allowed', tool: 'search_records', model: 'crm.lead' },
  ];
  return shapes.map((shape, index) => auditEvent({ connectionId, at: T0 + index * MINUTE, ...shape }));
}

describe('GET /admin/api/audit', () => {
  it('answers only with the admin token', async () => {
    const { key } = await createConnection({ scope: { preset: 'full' } });
    for (const path of ['/admin/api/audit', '/admin/api/audit.csv', '/admin/api/connections/con_x/audit']) {
      for (const authorization of ['', 'Bearer wrong-token', `Bearer ${key}`]) {
        const response = await adminRequest(path, { headers: { authorization } });
        expect(response.status, `${path} ${authorization}`).toBe(401);
        expect(((await response.json()) as Json).error.code).toBe('unauthorized');
      }
    }
  });

  it('lists events newest first as snake_case JSON with ISO times', async () => {
    const connectionId = uniqueConnection('shape');
    const event = auditEvent({
      connectionId,
      at: T0,
      recordIds: [4, 5],
      detail: { written_fields: ['name'] },
      outcome: 'error',
      denialCode: 'validation_error',
      denialReason: 'Odoo rejected the values: name is required',
      odooError: 'odoo.exceptions.ValidationError',
    });
    await seedEvents([event, auditEvent({ connectionId, at: T0 + 1000 })]);

    const { items, next_cursor } = await list({ connection_id: connectionId });

    expect(next_cursor).toBeNull();
    expect(items.map((item: Json) => item.at)).toEqual(['2026-03-01T12:00:01.000Z', '2026-03-01T12:00:00.000Z']);
    expect(items[1]).toEqual({
      id: event.id,
      at: '2026-03-01T12:00:00.000Z',
      kind: 'mcp',
      outcome: 'error',
      connection_id: connectionId,
      connection_name: 'Audit test',
      key_public_id: 'abcdefghijkl',
      odoo_uid: 2,
      odoo_login: 'admin',
      client_ip: '203.0.113.5',
      user_agent: 'vitest',
      mcp_client_name: 'audit-tests',
      mcp_client_version: '1.0.0',
      session_id: event.sessionId,
      tool: 'search_records',
      model: 'res.partner',
      method: 'search_read',
      record_ids: [4, 5],
      reason_code: 'validation_error',
      reason: 'Odoo rejected the values: name is required',
      odoo_error: 'odoo.exceptions.ValidationError',
      latency_ms: 12,
      detail: { written_fields: ['name'] },
      dead_lettered: false,
      stored_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it.each<[string, Record<string, string>, number[]]>([
    ['outcome', { outcome: 'denied' }, [5, 1]],
    ['outcome error', { outcome: 'error' }, [8, 2]],
    ['model', { model: 'crm.lead' }, [11, 9, 3, 2]],
    ['tool', { tool: 'search_records' }, [11, 8, 5, 0]],
    ['kind', { kind: 'system' }, [10]],
    ['from (inclusive)', { from: new Date(T0 + 9 * MINUTE).toISOString() }, [11, 10, 9]],
    ['to (exclusive)', { to: new Date(T0 + 2 * MINUTE).toISOString() }, [1, 0]],
    ['from and to', { from: new Date(T0 + 3 * MINUTE).toISOString(), to: new Date(T0 + 5 * MINUTE).toISOString() }, [4, 3]],
    ['a time with an offset', { to: '2026-03-01T13:02:00+01:00' }, [1, 0]],
    ['a date', { from: '2026-03-02' }, []],
    ['model and outcome together', { model: 'crm.lead', outcome: 'allowed' }, [11, 9, 3]],
  ])('filters by %s', async (_label, filters, expectedIndexes) => {
    const connectionId = uniqueConnection('filters');
    const events = mixedEvents(connectionId);
    await seedEvents([...events, ...mixedEvents(uniqueConnection('other'))]);

    const items = await walk({ connection_id: connectionId, ...filters });

    expect(items.map((item) => item.id)).toEqual(expectedIndexes.map((index) => events[index]!.id));
  });

  it('filters by connection', async () => {
    const mine = uniqueConnection('mine');
    const events = mixedEvents(mine);
    await seedEvents([...events, ...mixedEvents(uniqueConnection('theirs'))]);
    const items = await walk({ connection_id: mine, limit: 500 });
    expect(items.map((item) => item.id)).toEqual(events.map((event) => event.id).reverse());
  });

  it('pages with an opaque cursor, every event once, ties in time broken by id', async () => {
    const connectionId = uniqueConnection('pages');
    const events = Array.from({ length: 23 }, (_, index) => auditEvent({ connectionId, at: T0 + Math.floor(index / 4) * 1000 }));
    await seedEvents(events);
    const expected = [...events].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((event) => event.id);

    const first = await list({ connection_id: connectionId, limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(first.next_cursor).not.toContain(connectionId);

    const pages: number[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(cursor ? { connection_id: connectionId, limit: 5, cursor } : { connection_id: connectionId, limit: 5 });
      pages.push(page.items.length);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual([5, 5, 5, 5, 3]);
    expect(seen).toEqual(expected);
  });

  it('keeps its place when newer events arrive between pages', async () => {
    const connectionId = uniqueConnection('stable');
    const events = Array.from({ length: 6 }, (_, index) => auditEvent({ connectionId, at: T0 + index * 1000 }));
    await seedEvents(events);
    const first = await list({ connection_id: connectionId, limit: 3 });
    await seedEvents([auditEvent({ connectionId, at: T0 + 60_000 })]);
    const second = await list({ connection_id: connectionId, limit: 3, cursor: first.next_cursor! });
    expect(second.items.map((item) => item.id)).toEqual([events[2]!.id, events[1]!.id, events[0]!.id]);
    expect(second.next_cursor).toBeNull();
  });

  it('answers 50 events by default and up to 500 when asked', async () => {
    const connectionId = uniqueConnection('limits');
    await seedEvents(Array.from({ length: 520 }, (_, index) => auditEvent({ connectionId, at: T0 + index })));
    const byDefault = await list({ connection_id: connectionId });
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.next_cursor).not.toBeNull();
    const most = await list({ connection_id: connectionId, limit: 500 });
    expect(most.items).toHaveLength(500);
  });

  it.each([
    ['outcome=maybe', 'outcome'],
    ['kind=user', 'kind'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${btoa('["x","y"]')}`, 'cursor'],
    ['model=', 'model'],
    ['conection_id=con_x', 'conection_id'],
    ['outcome=allowed&outcome=denied', 'outcome'],
  ])('refuses %s with 400 validation_failed naming %s', async (query, path) => {
    const routes = /limit|cursor/.test(query) ? ['/admin/api/audit'] : ['/admin/api/audit', '/admin/api/audit.csv'];
    for (const route of routes) {
      const body = await getJson(`${route}?${query}`, 400);
      expect(body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
      expect(body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String) })]));
    }
  });
});

/** A small RFC 4180 reader, to check what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const CSV_HEADER = [
  'id', 'at', 'kind', 'outcome', 'connection_id', 'connection_name', 'key_public_id', 'odoo_uid', 'odoo_login', 'client_ip', 'user_agent',
  'mcp_client_name', 'mcp_client_version', 'session_id', 'tool', 'model', 'method', 'record_ids', 'reason_code', 'reason', 'odoo_error',
  'latency_ms', 'detail', 'dead_lettered', 'stored_at',
];

describe('GET /admin/api/audit.csv', () => {
  it('streams RFC 4180 CSV with a header row, quoting commas, quotes and line breaks', async () => {
    const connectionId = uniqueConnection('csv');
    const event = auditEvent({
      connectionId,
      at: T0,
      connectionName: 'Sales, "EU" team\nnight shift',
      denialReason: 'one, two',
      recordIds: [7, 8],
      detail: { written_fields: ['name', 'email'] },
    });
    await seedEvents([event, auditEvent({ connectionId, at: T0 - 1000, recordIds: null, detail: null, latencyMs: null })]);

    const response = await adminRequest(`/admin/api/audit.csv?connection_id=${connectionId}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const text = await response.text();
    expect(text.startsWith(`${CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(text).toContain('"Sales, ""EU"" team\nnight shift"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(3);
    const cells = Object.fromEntries(CSV_HEADER.map((column, index) => [column, rows[1]![index]]));
    expect(cells).toMatchObject({
      id: event.id,
      at: '2026-03-01T12:00:00.000Z',
      connection_name: 'Sales, "EU" team\nnight shift',
      reason: 'one, two',
      record_ids: '7 8',
      detail: '{"written_fields":["name","email"]}',
      odoo_uid: '2',
      latency_ms: '12',
      dead_lettered: 'false',
      odoo_error: '',
    });
    expect(rows[2]![CSV_HEADER.indexOf('record_ids')]).toBe('');
    expect(rows[2]![CSV_HEADER.indexOf('latency_ms')]).toBe('');
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const connectionId = uniqueConnection('formula');
    await seedEvents([
      auditEvent({
        connectionId,
        connectionName: '=HYPERLINK("http://evil.example","click")',
        tool: '+cmd|calc',
        model: '-2+3',
        userAgent: '@SUM(A1:A9)',
        denialReason: '\t=1+1',
      }),
    ]);
    const rows = parseCsv(await (await adminRequest(`/admin/api/audit.csv?connection_id=${connectionId}`)).text());
    const cells = Object.fromEntries(CSV_HEADER.map((column, index) => [column, rows[1]![index]]));
    expect(cells).toMatchObject({
      connection_name: `'=HYPERLINK("http://evil.example","click")`,
      tool: "'+cmd|calc",
      model: "'-2+3",
      user_agent: "'@SUM(A1:A9)",
      reason: "'\t=1+1",
    });
  });

  it('applies the same filters as the list and exports every match, not one page', async () => {
    const connectionId = uniqueConnection('csvall');
    const events = Array.from({ length: 1203 }, (_, index) =>
      auditEvent({ connectionId, at: T0 + index, outcome: index % 3 === 0 ? 'denied' : 'allowed', denialCode: index % 3 === 0 ? 'model_not_allowed' : null }),
    );
    await seedEvents(events);

    const response = await adminRequest(`/admin/api/audit.csv?connection_id=${connectionId}&outcome=denied`);
    expect(response.body).toBeInstanceOf(ReadableStream);
    const rows = parseCsv(await response.text());

    const denied = events.filter((event) => event.outcome === 'denied').reverse();
    expect(rows.slice(1).map((row) => row[0])).toEqual(denied.map((event) => event.id));
  });

  it('reads D1 one page at a time, as the client reads', async () => {
    const connectionId = uniqueConnection('lazy');
    await seedEvents(Array.from({ length: 10 }, (_, index) => auditEvent({ connectionId, at: T0 + index })));
    const prepare = vi.spyOn(env.DB, 'prepare');

    const stream = await auditCsvStream(openDatabase(env.DB), { connectionId }, 3);
    expect(prepare).toHaveBeenCalledTimes(1);
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    expect(parseCsv(first)).toHaveLength(1 + 3);
    expect(prepare.mock.calls.length).toBeLessThanOrEqual(2);

    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(parseCsv(rest)).toHaveLength(7);
    expect(prepare).toHaveBeenCalledTimes(4);
  });

  it('refuses paging parameters: the export is every match', async () => {
    for (const query of ['limit=10', 'cursor=abc']) {
      const body = await getJson(`/admin/api/audit.csv?${query}`, 400);
      expect(body.error.details.issues[0].path).toBe(query.split('=')[0]);
    }
  });
});

describe('GET /admin/api/connections/:id/audit', () => {
  it("lists one connection's events with the same filters and paging", async () => {
    const { connection } = await createConnection({ name: 'Shortcut', scope: { preset: 'read_only' } });
    const events = mixedEvents(connection.id);
    await seedEvents([...events, ...mixedEvents(uniqueConnection('not-this-one'))]);

    // Bounded by `to`: the admin event of the create above reaches the table through the Queue, at a moment of its own, now.
    const denied = await getJson(`/admin/api/connections/${connection.id}/audit?outcome=denied&to=${new Date(T0 + DAY).toISOString()}&from=${new Date(T0).toISOString()}`);
    expect(denied.items.map((item: Json) => item.id)).toEqual([events[5]!.id, events[1]!.id]);

    const page = await getJson(`/admin/api/connections/${connection.id}/audit?limit=4&to=${new Date(T0 + DAY).toISOString()}&from=${new Date(T0).toISOString()}`);
    expect(page.items.map((item: Json) => item.id)).toEqual([events[11]!.id, events[10]!.id, events[9]!.id, events[8]!.id]);
    const next = await getJson(`/admin/api/connections/${connection.id}/audit?limit=4&to=${new Date(T0 + DAY).toISOString()}&from=${new Date(T0).toISOString()}&cursor=${page.next_cursor}`);
    expect(next.items.map((item: Json) => item.id)).toEqual([events[7]!.id, events[6]!.id, events[5]!.id, events[4]!.id]);
  });

  it('answers 404 for an unknown connection', async () => {
    const body = await getJson('/admin/api/connections/con_does_not_exist/audit', 404);
    expect(body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('con_does_not_exist'), details: null, request_id: expect.any(String) } });
  });

  it('refuses a connection_id in the query: the path names the connection', async () => {
    const { connection } = await createConnection({ scope: { preset: 'read_only' } });
    const body = await getJson(`/admin/api/connections/${connection.id}/audit?connection_id=con_other`, 400);
    expect(body.error.details.issues).toEqual([expect.objectContaining({ path: 'connection_id' })]);
  });
});
