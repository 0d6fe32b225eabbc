import type { BenchEnvironment } from '../environment';
import { summarize, type Percentiles } from '../stats';

export type UsageListFigure =
  | { status: 'measured'; connections: number; auditRows: number; pageSize: number; pages: number; perPage: Percentiles; firstPage: Percentiles }
  | { status: 'unavailable'; reason: string };

interface ListPage {
  items: Array<{ id: string }>;
  next_cursor: string | null;
}

/**
 * Figure 4, usage: the console's connections list draws a 7-day sparkline
 * per row from one GET /admin/api/usage for the page's ids (one grouped
 * query over the audit_usage index). Timed for the first page several
 * times, then for each page of a walk through the list.
 */
export async function measureUsageList(
  env: BenchEnvironment,
  { connections, auditRows, firstPageRuns, pages, maxLoopSeconds }: { connections: number; auditRows: number; firstPageRuns: number; pages: number; maxLoopSeconds: number },
): Promise<UsageListFigure> {
  const headers = { authorization: `Bearer ${env.gateway.adminToken}`, accept: 'application/json' };
  const get = async (pathAndQuery: string) => {
    const answer = await env.worker.request(pathAndQuery, { headers });
    if (answer.status !== 200) throw new Error(`GET ${pathAndQuery.slice(0, 80)} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return answer;
  };
  const usageOf = async (page: ListPage) => (await get(`/admin/api/usage?connection_ids=${page.items.map((item) => encodeURIComponent(item.id)).join(',')}`)).ms;

  const probe = await env.worker.request('/admin/api/usage?connection_ids=con_probe', { headers });
  if (probe.status === 404) return { status: 'unavailable', reason: 'GET /admin/api/usage answered 404: the usage route is not there yet' };

  let page = JSON.parse((await get('/admin/api/connections')).body) as ListPage;
  const pageSize = page.items.length;
  const firstPage: number[] = [];
  for (let run = 0; run < firstPageRuns; run++) firstPage.push(await usageOf(page));

  const deadline = Date.now() + maxLoopSeconds * 1000;
  const perPage: number[] = [];
  for (let walked = 0; walked < pages && Date.now() < deadline; walked++) {
    perPage.push(await usageOf(page));
    if (page.next_cursor === null) break;
    page = JSON.parse((await get(`/admin/api/connections?cursor=${encodeURIComponent(page.next_cursor)}`)).body) as ListPage;
  }
  return { status: 'measured', connections, auditRows, pageSize, pages: perPage.length, perPage: summarize(perPage), firstPage: summarize(firstPage) };
}
