import type { Config, Env } from '../config/env';
import { oauthNames, oauthServer } from './server';

/**
 * Ends every grant of an OAuth connection in the provider's KV: its access and
 * refresh tokens stop working. The connection row (revoked in D1 in the same
 * request) is what /mcp checks on every call, so a grant that survived a
 * failure here still opens nothing.
 */
export async function revokeOAuthGrants(env: Env, config: Config, requestUrl: string, connectionId: string): Promise<number> {
  const server = oauthServer(oauthNames(config, requestUrl));
  if (!server) return 0;
  const helpers = server.getOAuthApi(env);
  let revoked = 0;
  let cursor: string | undefined;
  do {
    const page = await helpers.listUserGrants(connectionId, { cursor });
    for (const grant of page.items) {
      await helpers.revokeGrant(grant.id, connectionId);
      revoked += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return revoked;
}
