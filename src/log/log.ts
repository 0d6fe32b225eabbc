import { tryGetContext } from 'hono/context-storage';

type Fields = { msg: string } & Record<string, unknown>;

/**
 * The Worker's structured log: one JSON object a line, `msg` first, then the
 * id of the request it happened in (the X-Request-Id of its response), so a
 * line found in the logs leads to the request and back. The id is read from
 * the request's own context (Hono's context storage, an AsyncLocalStorage
 * entered once per request in app.ts), so work the request left running in
 * waitUntil logs it too; a line written outside any request (the queue
 * consumer, cron) has none.
 */
function line(fields: Fields): string {
  const requestId = tryGetContext<{ Variables: { requestId?: string } }>()?.var.requestId;
  if (requestId === undefined) return JSON.stringify(fields);
  const { msg, ...rest } = fields;
  return JSON.stringify({ msg, requestId, ...rest });
}

export const log = {
  info: (fields: Fields): void => console.log(line(fields)),
  warn: (fields: Fields): void => console.warn(line(fields)),
  error: (fields: Fields): void => console.error(line(fields)),
};
