import { createMiddleware } from 'hono/factory';
import { loadConfig } from '../config/load';
import { secretKeys } from '../config/secrets';
import { openDatabase } from '../db/client';
import type { AppEnv } from './context';

export const provideServices = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env);
  c.set('services', { config, keys: await secretKeys(config), db: openDatabase(c.env.DB), now: () => Date.now() });
  await next();
});
