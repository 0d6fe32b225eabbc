import { HOUR_MS, usageOfConnection, usageOfConnections, usageWindow, type UsageSeries, type UsageWindow } from '../audit/usage';
import { connectionExists } from '../connections/store';
import { ApiError } from '../http/errors';
import { defineRoute } from './define-route';
import { parseOrThrow, singleQueryValues } from './request-input';
import { connectionUsageSchema, usageListQuerySchema, usageListSchema, type ConnectionUsageJson, type UsageListJson, type UsageSeriesJson } from './usage-schemas';

const DAYS = 7;
/** The list draws a sparkline per row: 28 buckets of 6 hours. A connection's own page draws every hour. */
const LIST_BUCKET_MS = 6 * HOUR_MS;

/** Usage counted from the audit table; served under /admin/api behind the admin token. */
export const listConnectionsUsageRoute = defineRoute({
  method: 'get',
  path: '/usage',
  role: 'viewer',
  operationId: 'listConnectionsUsage',
  tag: 'audit',
  summary: 'Calls over the last 7 days of many connections',
  description: 'Counted from the audit trail in one query: MCP calls per 6 hours by outcome, for each connection asked (a page of the connections list).',
  query: usageListQuerySchema,
  responses: { 200: { description: 'Buckets of 6 hours per connection, oldest first', schema: usageListSchema } },
}, async (c, { query: { connection_ids: ids } }) => {
  const window = usageWindow(c.var.services.now(), DAYS, LIST_BUCKET_MS);
  const usage = await usageOfConnections(c.var.services.db, ids, window);
  const body: UsageListJson = { ...presentWindow(window), items: ids.map((id) => ({ connection_id: id, ...presentSeries(usage.get(id)!) })) };
  return c.json(body);
});

export const getConnectionUsageRoute = defineRoute({
  method: 'get',
  path: '/connections/{id}/usage',
  role: 'viewer',
  operationId: 'getConnectionUsage',
  tag: 'audit',
  summary: "A connection's calls over the last 7 days",
  description: 'Counted from the audit trail: MCP calls per hour by outcome, the top tools and models, and the denial reasons.',
  responses: { 200: { description: 'Hourly buckets, oldest first, with totals and top lists', schema: connectionUsageSchema } },
}, async (c) => {
  const id = c.req.param('id');
  const { db, now } = c.var.services;
  // Refuses any query parameter without declaring a query: a declared one would add a 400 to the OpenAPI document.
  // The one input a route module still reads itself (counted in test/unit/admin/route-input.test.ts).
  parseOrThrow(usageListQuerySchema.omit({ connection_ids: true }), singleQueryValues(c.req.url), 'The query is invalid.');
  if (!(await connectionExists(db, id))) throw new ApiError('not_found', `No connection '${id}'.`);
  const window = usageWindow(now(), DAYS, HOUR_MS);
  const usage = await usageOfConnection(db, id, window);
  const body: ConnectionUsageJson = {
    connection_id: id,
    ...presentWindow(window),
    ...presentSeries(usage),
    top_tools: usage.topTools.map(({ name, calls }) => ({ tool: name, calls })),
    top_models: usage.topModels.map(({ name, calls }) => ({ model: name, calls })),
    denial_reasons: usage.denialReasons.map(({ code, calls, latestReason }) => ({ code, calls, latest_reason: latestReason })),
  };
  return c.json(body);
});

function presentWindow(window: UsageWindow) {
  return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), bucket_seconds: window.bucketMs / 1000 };
}

function presentSeries(series: UsageSeries): UsageSeriesJson {
  return { buckets: series.buckets.map(({ start, ...counts }) => ({ start: new Date(start).toISOString(), ...counts })), totals: series.totals };
}
