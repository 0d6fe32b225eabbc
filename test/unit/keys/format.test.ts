import { describe, expect, it } from 'vitest';
import { generateKey, KEY_PREFIX, parseKey } from '../../../src/keys/format';
import { constantTimeEqual, hashKey, importPepper } from '../../../src/keys/hash';

describe('key format', () => {
  it('generates keys with the prefix, a public id, about 190 random bits and a valid checksum', () => {
    const { key, publicId } = generateKey();
    expect(key).toMatch(/^omcp_[a-z2-7]{12}_[0-9A-Za-z]{38}$/);
    expect(key.startsWith(`${KEY_PREFIX}${publicId}_`)).toBe(true);
    expect(parseKey(key)).toEqual({ ok: true, publicId });
    // 32 base62 characters carry 32 * log2(62) bits of randomness.
    expect(32 * Math.log2(62)).toBeGreaterThan(160);
  });

  it('never repeats a key or a public id over many draws', () => {
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { key, publicId } = generateKey();
      keys.add(key);
      ids.add(publicId);
    }
    expect(keys.size).toBe(2000);
    expect(ids.size).toBe(2000);
  });

  it('spreads secret characters over the whole alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const secret = generateKey().key.split('_')[2]!.slice(0, 32);
      for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
  });

  const valid = generateKey().key;
  it.each([
    ['an empty string', '', 'malformed'],
    ['another prefix', valid.replace('omcp_', 'ghp__'), 'malformed'],
    ['a truncated key', valid.slice(0, -1), 'malformed'],
    ['an extra character', `${valid}x`, 'malformed'],
    ['an upper-case public id', `omcp_A${valid.slice(6)}`, 'malformed'],
    ['one changed secret character', valid.slice(0, 20) + (valid[20] === 'a' ? 'b' : 'a') + valid.slice(21), 'bad_checksum'],
    ['a changed checksum', valid.slice(0, -1) + (valid.endsWith('0') ? '1' : '0'), 'bad_checksum'],
  ])('rejects %s without a database lookup', (_label, candidate, problem) => {
    expect(parseKey(candidate)).toEqual({ ok: false, problem });
  });
});

describe('key hashing', () => {
  it('is a keyed hash: same key and pepper give the same hash, another pepper another', async () => {
    const { key } = generateKey();
    const pepper = await importPepper('p'.repeat(32));
    const other = await importPepper('q'.repeat(32));
    const hash = await hashKey(pepper, key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashKey(pepper, key)).toBe(hash);
    expect(await hashKey(other, key)).not.toBe(hash);
    expect(hash).not.toContain(key);
  });

  it.each([
    ['equal', 'abc', 'abc', true],
    ['different last character', 'abc', 'abd', false],
    ['different length', 'abc', 'abcd', false],
    ['prefix', 'ab', 'abc', false],
    ['empty against empty', '', '', true],
  ])('constantTimeEqual: %s', (_label, a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
  });
});
