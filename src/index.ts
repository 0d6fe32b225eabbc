import { app } from './app';
import type { Env } from './config/env';
import { handleAuditBatch } from './audit/consumer';
import { runScheduled } from './cron/scheduled';

export { RateLimiter } from './ratelimit/durable-object';

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleAuditBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env, unknown>;
