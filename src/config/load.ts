import { configSchema, type Config, type Env } from './env';

export class ConfigError extends Error {}

const parsed = new WeakMap<object, Config>();

/**
 * Validates the environment once per isolate (the env object is stable for
 * the isolate's life), so a misconfigured deployment fails loudly at the
 * first request instead of half-working.
 */
export function loadConfig(env: Env): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  parsed.set(env, result.data);
  return result.data;
}
