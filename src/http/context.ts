import type { AdminPrincipal } from '../admins/actor';
import type { Principal } from '../auth/principal';
import type { Config, Env } from '../config/env';
import type { SecretKeys } from '../config/secrets';
import type { Database } from '../db/client';

export interface Services {
  config: Config;
  keys: SecretKeys;
  db: Database;
  now: () => number;
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    services: Services;
    principal: Principal;
    admin: AdminPrincipal;
    requestId: string;
    /** The JSON-RPC id of a /mcp request, once its body has been read; unset while unknown (no body yet, unparseable, a batch, a notification). */
    jsonRpcId?: string | number;
  };
};

/** The only client address we trust: Cloudflare sets it; X-Forwarded-For is caller-controlled. */
export function clientIp(request: Request): string | null {
  return request.headers.get('cf-connecting-ip');
}
