import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEventSchema } from '../../../src/audit/event';
import { chunkRows, INSERT_AUDIT_ROWS_SQL, INSERTED_COLUMNS, MAX_ROWS_JSON_CHARS } from '../../../src/audit/store';
import { auditEvents } from '../../../src/db/schema';

describe('the audit insert', () => {
  it('fills every column of audit_events but the stored_at default, from every event field', () => {
    const tableColumns = Object.values(getTableColumns(auditEvents)).map((column) => column.name);
    expect([...INSERTED_COLUMNS.map(([column]) => column), 'dead_lettered', 'stored_at'].sort()).toEqual(tableColumns.sort());
    expect(INSERTED_COLUMNS.map(([, field]) => field).sort()).toEqual(Object.keys(auditEventSchema.shape).sort());
  });

  it('binds two parameters, far under D1’s 100, however many rows', () => {
    expect(INSERT_AUDIT_ROWS_SQL.match(/\?\d/g)).toEqual(['?2', '?1']);
    expect(INSERT_AUDIT_ROWS_SQL).toMatch(/^INSERT OR IGNORE INTO audit_events \(/);
  });
});

describe('chunkRows', () => {
  it('keeps small rows in one JSON array', () => {
    const rows = Array.from({ length: 100 }, (_, index) => JSON.stringify([index, 'x']));
    const chunks = chunkRows(rows);
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0]!)).toHaveLength(100);
  });

  it('splits large rows so no chunk passes the cap, and loses none', () => {
    const rows = Array.from({ length: 100 }, (_, index) => JSON.stringify([index, 'x'.repeat(9000)]));
    const chunks = chunkRows(rows);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(MAX_ROWS_JSON_CHARS);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk) as unknown[][]).map((row) => row[0])).toEqual(rows.map((_, index) => index));
  });

  it('gives a single oversized row its own chunk', () => {
    const huge = JSON.stringify(['y'.repeat(MAX_ROWS_JSON_CHARS)]);
    expect(chunkRows([JSON.stringify([1]), huge, JSON.stringify([2])])).toHaveLength(3);
  });

  it('returns nothing for no rows', () => {
    expect(chunkRows([])).toEqual([]);
  });
});
