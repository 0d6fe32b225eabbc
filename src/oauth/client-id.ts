import { cidrContains, parseCidr } from '../policy/network';

/**
 * Non-public address ranges a Client ID Metadata Document may not be fetched from.
 * The Worker runs with global_fetch_strictly_public, so a public name cannot reach
 * Cloudflare-internal routes; this refuses what is visibly private before any fetch.
 */
const PRIVATE_RANGES = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4', '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8',
].map((text) => parseCidr(text)!);

const PRIVATE_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

export type ClientIdKind = { kind: 'registered' } | { kind: 'metadata_document'; url: URL } | { kind: 'refused'; reason: string };

/**
 * What a client_id is: an id from dynamic registration, or the URL of a Client ID
 * Metadata Document, which must be https, have a path, and name a public host.
 */
export function classifyClientId(clientId: string): ClientIdKind {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(clientId)) return { kind: 'registered' };
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return { kind: 'refused', reason: 'client_id_not_a_url' };
  }
  if (url.protocol !== 'https:') return { kind: 'refused', reason: 'client_id_not_https' };
  if (url.username || url.password || url.hash || url.pathname === '/' || url.port !== '') {
    return { kind: 'refused', reason: 'client_id_url_shape' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (PRIVATE_NAME.test(host) || !host.includes('.') && !host.includes(':')) return { kind: 'refused', reason: 'client_id_private_host' };
  if (PRIVATE_RANGES.some((range) => cidrContains(range, host))) return { kind: 'refused', reason: 'client_id_private_address' };
  return { kind: 'metadata_document', url };
}
