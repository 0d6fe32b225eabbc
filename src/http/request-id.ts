import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A Ray ID is 16 hex digits and a data-center code ("8f1c2a3b4d5e6f70-AMS"); anything else is not one. */
const RAY_ID = /^[0-9a-f]{16}(-[A-Z]{3})?$/i;

/**
 * The id a request is known by in its response, its error body and every log
 * line. Cloudflare's Ray ID when the request came through Cloudflare (it sets
 * `cf-ray` itself, so the id also finds the request in Cloudflare's logs),
 * else a fresh UUID (wrangler dev, tests). A client's own X-Request-Id is
 * never adopted: the id is what an operator searches the logs by, and a
 * client that chose it could make its requests look like someone else's.
 */
export function chooseRequestId(headers: Headers, generate: () => string = () => crypto.randomUUID()): string {
  const ray = headers.get('cf-ray');
  return ray !== null && RAY_ID.test(ray) ? ray : generate();
}

/** First on every route: names the request, and stamps the id on whatever answers it, errors included. */
export const assignRequestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = chooseRequestId(c.req.raw.headers);
  c.set('requestId', id);
  await next();
  try {
    c.res.headers.set(REQUEST_ID_HEADER, id);
  } catch {
    // A response passed through as it came (its headers immutable): a copy takes the header.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(REQUEST_ID_HEADER, id);
  }
});
