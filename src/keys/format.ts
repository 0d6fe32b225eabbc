/**
 * Key format: `omcp_<public id>_<secret><checksum>`
 *
 * - `omcp_` lets secret scanners recognise a leaked key.
 * - the public id (12 base32 characters) names the key in lists and logs
 *   and is how the key is looked up; it is not secret.
 * - the secret is 32 base62 characters (about 190 bits of randomness).
 * - the checksum (CRC-32 of everything before it, 6 base62 characters)
 *   rejects typos and truncated keys without touching the database.
 */
export const KEY_PREFIX = 'omcp_';
const PUBLIC_ID_LENGTH = 12;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type ParsedKey = { ok: true; publicId: string } | { ok: false; problem: 'malformed' | 'bad_checksum' };

export interface KeyFormat {
  generate(random?: (bytes: Uint8Array) => Uint8Array): { key: string; publicId: string };
  parse(candidate: string): ParsedKey;
}

/** The same shape under another prefix: named admin tokens use it (src/admins/tokens.ts) so a scanner tells them from MCP keys. */
export function keyFormat(prefix: string): KeyFormat {
  const pattern = new RegExp(`^${prefix}([${BASE32}]{${PUBLIC_ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH + CHECKSUM_LENGTH}})$`);
  return {
    generate(random = (b) => crypto.getRandomValues(b)) {
      const publicId = randomString(BASE32, PUBLIC_ID_LENGTH, random);
      const body = `${prefix}${publicId}_${randomString(BASE62, SECRET_LENGTH, random)}`;
      return { key: body + checksum(body), publicId };
    },
    parse(candidate) {
      const match = pattern.exec(candidate);
      if (!match) return { ok: false, problem: 'malformed' };
      const body = candidate.slice(0, -CHECKSUM_LENGTH);
      if (checksum(body) !== candidate.slice(-CHECKSUM_LENGTH)) return { ok: false, problem: 'bad_checksum' };
      return { ok: true, publicId: match[1]! };
    },
  };
}

const mcpKeys = keyFormat(KEY_PREFIX);

export function generateKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): {
  key: string;
  publicId: string;
} {
  return mcpKeys.generate(random);
}

export function parseKey(candidate: string): ParsedKey {
  return mcpKeys.parse(candidate);
}

/** Rejection sampling keeps every character uniformly likely. */
function randomString(alphabet: string, length: number, random: (bytes: Uint8Array) => Uint8Array): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

function checksum(text: string): string {
  let value = crc32(new TextEncoder().encode(text));
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
