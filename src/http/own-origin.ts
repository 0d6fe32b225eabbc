/**
 * Whether a browser request's Origin is the gateway's own (the request's
 * origin or PUBLIC_URL's): cookie-authenticated writes from the console and
 * the admin API accept no other.
 */
export function isOwnOrigin(origin: string | undefined, requestUrl: string, publicUrl: string | undefined): boolean {
  if (!origin) return false;
  const allowed = new Set([new URL(requestUrl).origin]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return allowed.has(origin);
}
