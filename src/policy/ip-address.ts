export type IpVersion = 4 | 6;

export type IpAddress = { version: IpVersion; value: bigint };

export const ADDRESS_BITS: Readonly<Record<IpVersion, number>> = { 4: 32, 6: 128 };

const IPV4 = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const MAPPED_PREFIX = 0xffffn;

/**
 * Parses a dotted-quad IPv4 or an IPv6 address (any case, `::`, embedded IPv4).
 * IPv4 with leading zeros is refused: some stacks read `010` as octal.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (IPV4.test(text)) {
    const value = parseIpv4(text);
    return value === null ? null : { version: 4, value };
  }
  if (!text.includes(':')) return null;
  const value = parseIpv6(text.toLowerCase());
  return value === null ? null : { version: 6, value };
}

function parseIpv4(text: string): bigint | null {
  let value = 0n;
  for (const part of text.split('.')) {
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = parseGroups(halves[0] ?? '', !compressed);
  const tail = compressed ? parseGroups(halves[1] ?? '', true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
}

/** 16-bit groups of one side of `::`; a dotted IPv4 may only end the whole address. */
function parseGroups(part: string, endsAddress: boolean): bigint[] | null {
  if (part === '') return [];
  const texts = part.split(':');
  const groups: bigint[] = [];
  for (const [index, text] of texts.entries()) {
    if (HEX_GROUP.test(text)) {
      groups.push(BigInt(`0x${text}`));
      continue;
    }
    const embedded = endsAddress && index === texts.length - 1 && IPV4.test(text) ? parseIpv4(text) : null;
    if (embedded === null) return null;
    groups.push(embedded >> 16n, embedded & 0xffffn);
  }
  return groups;
}

/** `::ffff:a.b.c.d` is how dual-stack sockets report an IPv4 client: compare it as the IPv4 it is. */
export function unmapIpv4(address: IpAddress): IpAddress {
  if (address.version === 6 && address.value >> 32n === MAPPED_PREFIX) {
    return { version: 4, value: address.value & 0xffffffffn };
  }
  return address;
}

export function isIpv4MappedRange(address: IpAddress, prefix: number): boolean {
  return address.version === 6 && prefix >= 96 && address.value >> 32n === MAPPED_PREFIX;
}

export function formatIpAddress(address: IpAddress): string {
  if (address.version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((address.value >> shift) & 0xffn).toString()).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, index) => (address.value >> BigInt(112 - 16 * index)) & 0xffffn);
  const [start, length] = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (length < 2) return hex.join(':');
  return `${hex.slice(0, start).join(':')}::${hex.slice(start + length).join(':')}`;
}

function longestZeroRun(groups: readonly bigint[]): [number, number] {
  let best: [number, number] = [0, 0];
  let runStart = -1;
  groups.forEach((group, index) => {
    if (group !== 0n) {
      runStart = -1;
      return;
    }
    if (runStart === -1) runStart = index;
    const length = index - runStart + 1;
    if (length > best[1]) best = [runStart, length];
  });
  return best;
}
