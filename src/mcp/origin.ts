import { createMiddleware } from 'hono/factory';
import type { Config } from '../config/env';
import type { AppEnv } from '../http/context';
import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { log } from '../log/log';

/**
 * DNS rebinding: a web page on evil.example whose name is made to resolve to
 * the gateway's address (127.0.0.1 in local development) can make the
 * victim's browser talk to /mcp as if it were its own origin. The browser
 * still sends that page's Origin and Host, so both are checked against what
 * this gateway is known to be, before anything else, D1 included.
 */
export interface OriginPolicy {
  /** The origin of PUBLIC_URL, when set. */
  publicOrigin: URL | null;
  /** Origins of browser-based clients from MCP_ALLOWED_ORIGINS, in URL's canonical form. */
  extraOrigins: ReadonlySet<string>;
}

export type OriginCheck = { ok: true } | { ok: false; message: string };

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** What a Host header may look like: a DNS name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST_HEADER = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

const policies = new WeakMap<Config, OriginPolicy>();

export function originPolicy(config: Config): OriginPolicy {
  let policy = policies.get(config);
  if (!policy) {
    policy = {
      publicOrigin: config.PUBLIC_URL === undefined ? null : new URL(config.PUBLIC_URL),
      extraOrigins: new Set(config.MCP_ALLOWED_ORIGINS),
    };
    policies.set(config, policy);
  }
  return policy;
}

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

/**
 * An absent Origin is allowed: non-browser clients (the MCP clients of IDEs,
 * scripts, curl) do not send one, and a browser always does on a POST or DELETE.
 */
export function checkOrigin(origin: string | null, policy: OriginPolicy): OriginCheck {
  if (origin === null) return { ok: true };
  const refused: OriginCheck = {
    ok: false,
    message: `Forbidden: Origin '${origin.slice(0, 200)}' is not allowed; browser-based clients must be listed in MCP_ALLOWED_ORIGINS`,
  };
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refused; // 'null' (sandboxed frames, file: pages) and anything else that is not an origin
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin.toLowerCase()) return refused;
  if (isLoopbackHostname(url.hostname)) return { ok: true };
  if (policy.publicOrigin !== null && url.origin === policy.publicOrigin.origin) return { ok: true };
  if (policy.extraOrigins.has(url.origin)) return { ok: true };
  return refused;
}

/**
 * Host must name this gateway: PUBLIC_URL's host, or a loopback host (any port)
 * for local development. Without PUBLIC_URL the gateway cannot know its own
 * name, so only Origin is checked.
 */
export function checkHost(host: string, policy: OriginPolicy): OriginCheck {
  const refused: OriginCheck = {
    ok: false,
    message: `Forbidden: Host '${host.slice(0, 200)}' is not this gateway's${policy.publicOrigin ? ` (${policy.publicOrigin.host})` : ''}`,
  };
  if (!HOST_HEADER.test(host)) return refused;
  const url = new URL(`${policy.publicOrigin?.protocol ?? 'https:'}//${host}`);
  if (isLoopbackHostname(url.hostname)) return { ok: true };
  if (policy.publicOrigin === null) return { ok: true };
  return url.host === policy.publicOrigin.host ? { ok: true } : refused;
}

export function checkRequestOrigin(request: Request, policy: OriginPolicy): OriginCheck {
  const origin = checkOrigin(request.headers.get('origin'), policy);
  if (!origin.ok) return origin;
  return checkHost(request.headers.get('host') ?? new URL(request.url).host, policy);
}

const CORS_PREFLIGHT = {
  'Access-Control-Allow-Methods': 'POST, GET, DELETE',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID',
  'Access-Control-Max-Age': '600',
};
const CORS_EXPOSE = 'Mcp-Session-Id, WWW-Authenticate, Retry-After';

/**
 * First on /mcp: a refused Origin or Host gets 403 before the key is looked up.
 * An allowed Origin gets CORS, so a browser-based client can send its key;
 * the key is a header, never a cookie, so CORS grants nothing without it.
 */
export const requireAllowedOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const check = checkRequestOrigin(c.req.raw, originPolicy(c.var.services.config));
  if (!check.ok) {
    log.warn({ msg: 'mcp request refused', reason: check.message, ip: c.req.header('cf-connecting-ip') ?? null });
    return jsonRpcErrorResponse(403, JSONRPC.SERVER_ERROR, check.message);
  }
  const origin = c.req.header('origin');
  if (c.req.method === 'OPTIONS') {
    const cors = origin === undefined ? {} : { ...CORS_PREFLIGHT, 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
    return new Response(null, { status: 204, headers: { Allow: 'POST, GET, DELETE, OPTIONS', ...cors } });
  }
  await next();
  if (origin !== undefined) {
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', CORS_EXPOSE);
    c.res.headers.append('Vary', 'Origin');
  }
});
