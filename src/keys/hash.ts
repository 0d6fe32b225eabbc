/**
 * Keys carry about 190 random bits, so a fast keyed hash is enough: a slow
 * password hash would only add latency. The pepper (a Worker secret) means a
 * leaked database alone cannot be used to test guesses offline.
 */
export async function importPepper(pepper: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(pepper), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
}

export async function hashKey(pepperKey: CryptoKey, key: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', pepperKey, new TextEncoder().encode(key));
  return toHex(new Uint8Array(mac));
}

/** Compares two secrets without an early exit, so timing does not reveal the matching prefix. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
