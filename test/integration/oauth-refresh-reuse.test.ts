import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, pkcePair, registerClient } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40112/callback';

function token(fields: Record<string, string>): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

async function tokensFor() {
  const { body } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Reuse client' });
  const clientId = body.client_id as string;
  const pkce = await pkcePair();
  const url = new URL(`${GATEWAY}/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'st', resource: `${GATEWAY}/mcp` })) url.searchParams.set(k, v);
  const approval = await approveAsAdmin(new CookieJar(), url);
  const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
  const response = await token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: `${GATEWAY}/mcp` });
  expect(response.status).toBe(200);
  return { clientId, tokens: (await response.json()) as { access_token: string; refresh_token: string } };
}

describe('refresh token reuse detection', { timeout: 30_000 }, () => {
  it('answers invalid_grant to a reused refresh token and revokes the whole grant', async () => {
    const { clientId, tokens } = await tokensFor();
    const first = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    expect(first.status).toBe(200);
    const newer = (await first.json()) as { access_token: string; refresh_token: string };
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: newer.refresh_token, client_id: clientId })).status).toBe(400);
    const mcp = await SELF.fetch(`${GATEWAY}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${newer.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    expect(mcp.status).toBe(401);
    const row = await env.DB.prepare('SELECT state, revoke_reason FROM connections WHERE id = ?').bind(newer.refresh_token.split(':')[0]).first<{ state: string; revoke_reason: string }>();
    expect(row).toMatchObject({ state: 'revoked', revoke_reason: 'refresh_token_reuse' });
  });

  it('gives exactly one 200 to five parallel refreshes with one token', async () => {
    const { clientId, tokens } = await tokensFor();
    const responses = await Promise.all(Array.from({ length: 5 }, () => token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('does not burn the token on a refresh with a wrong client_id', async () => {
    const { clientId, tokens } = await tokensFor();
    const { body: other } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Other' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: other.client_id as string })).status).toBe(400);
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(200);
  });
});
