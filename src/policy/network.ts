import { ADDRESS_BITS, formatIpAddress, isIpv4MappedRange, parseIpAddress, unmapIpv4, type IpVersion } from './ip-address';

export type Cidr = { version: IpVersion; network: bigint; prefix: number };

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; message: string };

const PREFIX = /^(0|[1-9]\d{0,2})$/;
const INVALID = 'not a valid CIDR';

/** Parses `address/prefix` or a bare address (a single host). IPv4-mapped IPv6 ranges become IPv4 ranges. */
export function parseCidr(text: string): Cidr | null {
  const parsed = parseCidrDetailed(text);
  return parsed.ok ? parsed.cidr : null;
}

export function isValidCidr(text: string): boolean {
  return parseCidrDetailed(text).ok;
}

export function parseCidrDetailed(text: string): CidrParse {
  const [addressText = '', prefixText, ...rest] = text.split('/');
  if (rest.length > 0) return { ok: false, message: INVALID };
  const parsed = parseIpAddress(addressText);
  if (parsed === null) return { ok: false, message: INVALID };
  const bits = ADDRESS_BITS[parsed.version];
  if (prefixText !== undefined && !PREFIX.test(prefixText)) return { ok: false, message: INVALID };
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { ok: false, message: INVALID };
  const network = parsed.value & networkMask(bits, prefix);
  if (network !== parsed.value) {
    // Host bits usually mean a typo ("10.1.2.3/8"): refusing beats silently opening a wider range.
    const suggestion = `${formatIpAddress({ version: parsed.version, value: network })}/${prefix}`;
    return { ok: false, message: `${INVALID}: host bits are set (did you mean ${suggestion}?)` };
  }
  if (isIpv4MappedRange(parsed, prefix)) {
    return { ok: true, cidr: { version: 4, network: unmapIpv4(parsed).value, prefix: prefix - 96 } };
  }
  return { ok: true, cidr: { version: parsed.version, network, prefix } };
}

function networkMask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const parsed = parseIpAddress(ip);
  if (parsed === null) return false;
  const address = unmapIpv4(parsed);
  if (address.version !== cidr.version) return false;
  return (address.value & networkMask(ADDRESS_BITS[cidr.version], cidr.prefix)) === cidr.network;
}

/**
 * No list means no IP restriction. With a list, an unknown or unparsable client
 * address is refused: failing open here would let any caller skip the check.
 */
export function isIpAllowed(ipAllow: readonly string[] | undefined, ip: string | null): boolean {
  if (ipAllow === undefined) return true;
  if (ip === null) return false;
  return ipAllow.some((entry) => {
    const cidr = parseCidr(entry);
    return cidr !== null && cidrContains(cidr, ip);
  });
}
