import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { registerClient, storedClientCount } from '../support/oauth';

useStandinOdoo();

describe('RFC 9728: protected resource metadata', () => {
  it('names /mcp as the resource and the gateway as its authorization server', async () => {
    const response = await SELF.fetch(`${GATEWAY}/.well-known/oauth-protected-resource/mcp`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: `${GATEWAY}/mcp`,
      authorization_servers: [GATEWAY],
      bearer_methods_supported: ['header'],
      resource_name: 'Odoo MCP gateway',
    });
  });

  it('is where the 401 on /mcp points', async () => {
    const response = await SELF.fetch(`${GATEWAY}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${GATEWAY}/.well-known/oauth-protected-resource/mcp"`);
  });
});

describe('RFC 8414: authorization server metadata', () => {
  it('advertises S256 only, CIMD, iss in responses, and the token, revocation and registration endpoints', async () => {
    const response = await SELF.fetch(`${GATEWAY}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: GATEWAY,
      authorization_endpoint: `${GATEWAY}/authorize`,
      token_endpoint: `${GATEWAY}/oauth/token`,
      registration_endpoint: `${GATEWAY}/oauth/register`,
      revocation_endpoint: `${GATEWAY}/oauth/token`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ['code'],
    });
  });
});

describe('RFC 7591: dynamic client registration', () => {
  it('registers a client with an https redirect URI', async () => {
    const before = await storedClientCount();
    const { response, body } = await registerClient({ redirect_uris: ['https://client.example/callback'], client_name: 'Example' });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ client_name: 'Example', redirect_uris: ['https://client.example/callback'] });
    expect(await storedClientCount()).toBe(before + 1);
  });

  it.each([
    ['an http redirect URI that is not loopback', { redirect_uris: ['http://client.example/callback'] }, 400, 'invalid_redirect_uri'],
    ['100 redirect URIs', { redirect_uris: Array.from({ length: 100 }, (_, i) => `https://client.example/cb${i}`) }, 400, 'invalid_redirect_uri'],
    ['a body over 16 KiB', { redirect_uris: ['https://client.example/callback'], client_name: 'x'.repeat(17 * 1024) }, 413, 'invalid_client_metadata'],
  ])('refuses %s and stores nothing', async (_label, metadata, status, error) => {
    const before = await storedClientCount();
    const { response, body } = await registerClient(metadata);
    expect(response.status).toBe(status);
    expect(body).toMatchObject({ error });
    expect(await storedClientCount()).toBe(before);
  });

  it('answers 429 with Retry-After after 10 registrations a minute from one address', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 10; i++) {
      expect((await registerClient({ redirect_uris: ['https://client.example/callback'] }, ip)).response.status).toBe(201);
    }
    const { response, body } = await registerClient({ redirect_uris: ['https://client.example/callback'] }, ip);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await registerClient({ redirect_uris: ['https://client.example/callback'] }, '203.0.113.78')).response.status).toBe(201);
  });
});

void env;
