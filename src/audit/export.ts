import type { Database } from '../db/client';
import { csvLine } from './csv';
import type { AuditCursor, AuditFilters } from './filters';
import { CSV_COLUMNS, csvValues, presentAuditEvent } from './present';
import { readAuditPage, type AuditPage } from './query';
import { log } from '../log/log';

export const CSV_PAGE_SIZE = 500;

/**
 * The CSV export as a stream: one D1 page is read each time the client has
 * taken the previous one, so an export of any size holds a page or two in
 * memory, never the table. The first page is read before the stream is
 * returned, so a failing D1 still answers with a proper error response.
 */
export async function auditCsvStream(db: Database, filters: AuditFilters, pageSize = CSV_PAGE_SIZE): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const read = (after: AuditCursor | null) => readAuditPage(db, filters, pageSize, after);
  let page: AuditPage | null = await read(null);
  let next: AuditCursor | null = null;
  let header = csvLine(CSV_COLUMNS);

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const current: AuditPage = page ?? (await read(next));
        page = null;
        let text = header;
        header = '';
        for (const row of current.rows) text += csvLine(csvValues(presentAuditEvent(row)));
        controller.enqueue(encoder.encode(text));
        next = current.next;
        if (!next) controller.close();
      } catch (error) {
        log.error({ msg: 'audit CSV export failed mid-stream', error: String(error) });
        controller.error(error);
      }
    },
  });
}
