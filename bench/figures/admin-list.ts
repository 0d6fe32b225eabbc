import type { BenchEnvironment } from '../environment';
import { summarize, type Percentiles } from '../stats';

export type AdminListFigure =
  | {
      status: 'measured';
      connections: number;
      pageSize: number;
      firstPage: Percentiles;
      walk: { pages: number; items: number; distinctIds: number; totalMs: number; perPage: Percentiles; complete: boolean };
    }
  | { status: 'unavailable'; reason: string };

interface ListPage {
  items: Array<{ id?: unknown }>;
  next_cursor: string | null;
}

/**
 * Figure 4: the first page of GET /admin/api/connections (the route's default
 * page size), timed several times, then a full walk following `next_cursor`
 * until it is null. The walk is bounded by the number of pages it could take
 * and by the time limit.
 */
export async function measureAdminList(
  env: BenchEnvironment,
  { connections, firstPageRuns, maxLoopSeconds }: { connections: number; firstPageRuns: number; maxLoopSeconds: number },
): Promise<AdminListFigure> {
  const headers = { authorization: `Bearer ${env.gateway.adminToken}`, accept: 'application/json' };
  const get = async (query: string) => {
    const answer = await env.worker.request(`/admin/api/connections${query}`, { headers });
    if (answer.status === 404 && answer.body.includes('"not_found"')) return { missing: true as const };
    if (answer.status !== 200) throw new Error(`GET /admin/api/connections${query} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return { missing: false as const, ms: answer.ms, page: checkedPage(answer.body) };
  };

  const probe = await get('');
  if (probe.missing) return { status: 'unavailable', reason: 'GET /admin/api/connections answered 404: the list route is not there yet' };
  const firstPage: number[] = [];
  for (let run = 0; run < firstPageRuns; run++) {
    const again = await get('');
    if (!again.missing) firstPage.push(again.ms);
  }

  const deadline = Date.now() + maxLoopSeconds * 1000;
  const perPage: number[] = [];
  const ids = new Set<unknown>();
  let items = 0;
  let cursor: string | null = null;
  let complete = false;
  const started = performance.now();
  for (let pages = 0; pages <= connections + 1 && Date.now() < deadline; pages++) {
    const answer = await get(cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`);
    if (answer.missing) throw new Error('the list route disappeared during the walk');
    perPage.push(answer.ms);
    items += answer.page.items.length;
    for (const item of answer.page.items) ids.add(item.id);
    cursor = answer.page.next_cursor;
    if (cursor === null) {
      complete = true;
      break;
    }
  }
  return {
    status: 'measured',
    connections,
    pageSize: probe.page.items.length,
    firstPage: summarize(firstPage),
    walk: { pages: perPage.length, items, distinctIds: ids.size, totalMs: performance.now() - started, perPage: summarize(perPage), complete },
  };
}

function checkedPage(body: string): ListPage {
  const page = JSON.parse(body) as Partial<ListPage>;
  if (!Array.isArray(page.items) || !(page.next_cursor === null || typeof page.next_cursor === 'string')) {
    throw new Error(`GET /admin/api/connections did not answer { items, next_cursor }: ${body.slice(0, 300)}`);
  }
  return page as ListPage;
}
