import { env, SELF } from 'cloudflare:test';
import { GATEWAY } from './gateway';

export async function registerClient(metadata: Record<string, unknown>, ip = '198.51.100.1'): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await SELF.fetch(`${GATEWAY}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

export async function storedClientCount(): Promise<number> {
  return (await env.OAUTH_KV.list({ prefix: 'client:' })).keys.length;
}

export async function storedGrantCount(): Promise<number> {
  return (await env.OAUTH_KV.list({ prefix: 'grant:' })).keys.length;
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
