import { cidrContains, parseCidr } from '../policy/network';
import { parseIpAddress } from '../policy/ip-address';

/**
 * IPv4 ranges a Client ID Metadata Document may not be fetched from: private,
 * loopback, link-local, shared, benchmarking, documentation, multicast, reserved.
 * The Worker runs with global_fetch_strictly_public, so a public name cannot reach
 * Cloudflare-internal routes; this refuses what is visibly private before any fetch.
 */
const PRIVATE_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
].map((text) => parseCidr(text)!);

/**
 * IPv6 literals must be global unicast (2000::/3), which leaves out ::1, ::/96
 * (IPv4-compatible), ::ffff:0:0/96 (IPv4-mapped), 64:ff9b::/96 and 64:ff9b:1::/48
 * (NAT64), fc00::/7, fe80::/10 and multicast; inside it these are refused too:
 * 2001::/23 (IETF protocol assignments, Teredo 2001::/32 among them), 2001:db8::/32
 * and 3fff::/20 (documentation) and 6to4 2002::/16. Each of the transition forms
 * carries an IPv4 address a gateway would forward to, private or not.
 */
const GLOBAL_V6 = parseCidr('2000::/3')!;
const NON_GLOBAL_V6 = ['2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20'].map((text) => parseCidr(text)!);

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
  const address = parseIpAddress(host);
  if (address !== null) return isPublicAddress(host, address.version) ? { kind: 'metadata_document', url } : { kind: 'refused', reason: 'client_id_private_address' };
  // `localhost.` is `localhost`: a fully qualified name ends with the root's empty label.
  const name = host.replace(/\.+$/, '');
  if (PRIVATE_NAME.test(name) || !name.includes('.')) return { kind: 'refused', reason: 'client_id_private_host' };
  // `127.0.0.1..` or `0x7f.1..` is a name to the URL parser only because of its dots; no DNS name ends in a
  // number (a top-level domain is never numeric), so a name that does is taken for the address it spells.
  if (/(^|\.)(0x[0-9a-f]*|[0-9]+)$/i.test(name)) return { kind: 'refused', reason: 'client_id_private_address' };
  return { kind: 'metadata_document', url };
}

function isPublicAddress(host: string, version: 4 | 6): boolean {
  // cidrContains compares ::ffff:a.b.c.d as the IPv4 it is, so a mapped address meets the IPv4 ranges.
  if (PRIVATE_V4.some((range) => cidrContains(range, host))) return false;
  if (version === 4) return true;
  if (!cidrContains(GLOBAL_V6, host) || NON_GLOBAL_V6.some((range) => cidrContains(range, host))) return false;
  return !embedsIsatapIpv4(host);
}

/** ISATAP (RFC 5214) interface ids, `::0:5efe:a.b.c.d` and `::200:5efe:a.b.c.d`, carry an IPv4 address in any prefix. */
function embedsIsatapIpv4(host: string): boolean {
  const value = parseIpAddress(host)!.value;
  const marker = (value >> 32n) & 0xffffffffn;
  return (marker & 0xfcffffffn) === 0x5efen;
}
