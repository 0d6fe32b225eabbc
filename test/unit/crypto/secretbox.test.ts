import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, importCredentialsKey } from '../../../src/crypto/secretbox';

const KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)));
const OTHER = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 255 - i)));

describe('credential encryption', () => {
  it('round-trips and never stores the plaintext', async () => {
    const key = await importCredentialsKey(KEY);
    const sealed = await encryptSecret(key, 'odoo-api-key-123', 'acct_1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('odoo-api-key-123');
    expect(await decryptSecret(key, sealed, 'acct_1')).toBe('odoo-api-key-123');
  });

  it('uses a fresh IV each time', async () => {
    const key = await importCredentialsKey(KEY);
    expect(await encryptSecret(key, 'same', 'a')).not.toBe(await encryptSecret(key, 'same', 'a'));
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened with another key', async () => {
    const key = await importCredentialsKey(KEY);
    const sealed = await encryptSecret(key, 'secret', 'acct_1');
    await expect(decryptSecret(key, sealed, 'acct_2')).rejects.toThrow();
    const [v, iv, ct] = sealed.split('.');
    const flipped = ct!.startsWith('A') ? `B${ct!.slice(1)}` : `A${ct!.slice(1)}`;
    await expect(decryptSecret(key, `${v}.${iv}.${flipped}`, 'acct_1')).rejects.toThrow();
    await expect(decryptSecret(await importCredentialsKey(OTHER), sealed, 'acct_1')).rejects.toThrow();
    await expect(decryptSecret(key, 'v0.x.y', 'acct_1')).rejects.toThrow(/format/);
  });
});
