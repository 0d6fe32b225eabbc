/**
 * Checks on what a client sends, made before the provider sees it.
 *
 * The provider builds KV keys from client ids, codes and tokens
 * (`client:<id>`, `grant:<user>:<grant>`, `token:<user>:<grant>:<sha256>`), and a
 * KV key longer than 512 bytes is an error, not a miss: a long enough value would
 * be a 500. Values this gateway issues are about 100 bytes (a 36-byte connection
 * id, a 16-byte grant id, a 32-byte secret; a DCR client id is 16 bytes), and a
 * CIMD client id is a URL a person chose; 400 bytes leaves room for both and keeps
 * the longest key, `token:` with a 64-byte hash, under the limit.
 */
export const MAX_OAUTH_VALUE_BYTES = 400;

const encoder = new TextEncoder();

export function tooLong(values: readonly string[]): boolean {
  return values.some((value) => value.length > MAX_OAUTH_VALUE_BYTES / 4 && encoder.encode(value).length > MAX_OAUTH_VALUE_BYTES);
}

/** The client id of an HTTP Basic client authentication (RFC 6749 §2.3.1: form-encoded, then base64), or null. */
export function basicClientId(authorization: string | undefined): string | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  try {
    const decoded = atob(match[1]!);
    const user = decoded.slice(0, decoded.includes(':') ? decoded.indexOf(':') : undefined);
    try {
      return decodeURIComponent(user.replace(/\+/g, ' '));
    } catch {
      return user;
    }
  } catch {
    return null;
  }
}

/**
 * The token endpoint authentication methods this gateway accepts, which its
 * metadata advertises exactly: registration takes these three, and the token
 * endpoint refuses `private_key_jwt` (a client assertion) for every client. The
 * provider would accept it from a CIMD client with keys, which means fetching a
 * `jwks_uri` the client chose; no client the gateway is made for needs it.
 */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)
 * reorder what a person reads, so `evil\u202Eppa` can pass for another app's name;
 * control and format characters (every \p{Cc} and \p{Cf}: zero-width, tags, the
 * BOM, soft hyphen, interlinear annotations, Mongolian and Khmer invisibles),
 * line separators, private-use and unpaired surrogate code points, and the
 * characters that draw as blank (Hangul fillers, the Braille blank, the
 * combining grapheme joiner, variation selectors, Khmer inherent vowels) hide text.
 * None belongs in a client name.
 */
const HIDDEN_CHARACTERS =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u115F\u1160\u2028\u2029\u2800\u3164\uFFA0\uFFF9-\uFFFC]|\u034F|\u17B4|\u17B5|\u180B|\u180C|\u180D|\u180F|\p{Variation_Selector}/gu;

/** A client or connection name as it may be shown and stored: hidden characters removed, white space collapsed; "" when nothing visible is left. */
export function cleanClientName(name: string): string {
  return name.replace(HIDDEN_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}

/**
 * An app's callback scheme is taken when it is a private-use scheme as RFC 8252
 * §7.1 asks native apps to use, a reverse domain name (`com.example.app:/cb`),
 * or one of the MCP clients that register a short scheme of their own. Any other
 * scheme is refused: a list of bad ones can never be complete, and the operating
 * system hands a short scheme to whatever registered it (`search-ms:`, `ms-msdt:`,
 * `microsoft-edge:`, `smb:`, `web+…` handlers a website can claim). `http:` is
 * taken only on loopback, checked apart.
 */
export const KNOWN_APP_SCHEMES = ['cursor:', 'vscode:', 'vscode-insiders:', 'vscodium:', 'windsurf:'];

/** `com.example.app:`: at least two dot-separated labels of letters, digits and hyphens, starting with a letter. */
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+:$/;

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export type RedirectKind = 'web' | 'loopback' | 'app';

/** What a redirect URI is, or why it is refused; a URI that does not parse is left to the provider, which refuses it. */
export function classifyRedirectUri(uri: string): { ok: true; kind: RedirectKind } | { ok: false; problem: string } | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return { ok: true, kind: 'web' };
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.includes(url.hostname)
      ? { ok: true, kind: 'loopback' }
      : { ok: false, problem: 'A redirect URI must be https, or http on a loopback address (127.0.0.1, [::1], localhost).' };
  }
  if (KNOWN_APP_SCHEMES.includes(url.protocol) || REVERSE_DOMAIN_SCHEME.test(url.protocol)) return { ok: true, kind: 'app' };
  return {
    ok: false,
    problem: `A redirect URI cannot use the ${url.protocol} scheme: an app's callback uses a reverse domain name scheme (RFC 8252 §7.1, such as com.example.app:/callback) or one of ${KNOWN_APP_SCHEMES.join(' ')}.`,
  };
}
