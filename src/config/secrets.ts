import { importCredentialsKey } from '../crypto/secretbox';
import { importPepper } from '../keys/hash';
import type { Config } from './env';

export interface SecretKeys {
  pepper: CryptoKey;
  credentials: CryptoKey;
}

const imported = new WeakMap<Config, Promise<SecretKeys>>();

/** CryptoKey import is not free; the keys derive only from the validated config, so one import per isolate. */
export function secretKeys(config: Config): Promise<SecretKeys> {
  let keys = imported.get(config);
  if (!keys) {
    keys = Promise.all([importPepper(config.KEY_PEPPER), importCredentialsKey(config.CREDENTIALS_KEY)]).then(
      ([pepper, credentials]) => ({ pepper, credentials }),
    );
    imported.set(config, keys);
  }
  return keys;
}
