import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminRequest, GATEWAY } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { approveAsAdmin, CookieJar, pkcePair, registerClient } from '../support/oauth';

useStandinOdoo();

const REDIRECT = 'http://127.0.0.1:40114/callback';
const RESOURCE = `${GATEWAY}/mcp`;

function token(fields: Record<string, string>): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

function mcp(accessToken: string, body: unknown, sessionId?: string): Promise<Response> {
  return SELF.fetch(`${GATEWAY}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(sessionId ? { 'mcp-session-id': sessionId } : {}) },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'replay', version: '1' } } };

/** An approved authorization whose code has not been exchanged yet. */
async function approvedCode(name = 'Replay client') {
  const { body } = await registerClient({ redirect_uris: [REDIRECT], client_name: name });
  const clientId = body.client_id as string;
  const pkce = await pkcePair();
  const url = new URL(`${GATEWAY}/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'st', resource: RESOURCE })) url.searchParams.set(k, v);
  const approval = await approveAsAdmin(new CookieJar(), url);
  expect(approval.status).toBe(302);
  const code = new URL(approval.headers.get('location')!).searchParams.get('code')!;
  const [connectionId, grantId] = code.split(':') as [string, string, string];
  const exchange = (fields: Record<string, string> = {}) => token({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier, resource: RESOURCE, ...fields });
  return { clientId, code, connectionId, grantId, verifier: pkce.verifier, exchange };
}

/** The code exchanged and an MCP session open on its token. */
async function connected(name?: string) {
  const approved = await approvedCode(name);
  const response = await approved.exchange();
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as { access_token: string; refresh_token: string };
  const init = await mcp(tokens.access_token, INITIALIZE);
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  expect(sessionId).toBeTruthy();
  return { ...approved, tokens, sessionId };
}

async function connectionRow(id: string) {
  return env.DB.prepare('SELECT state, revoke_reason, revoked_by FROM connections WHERE id = ?').bind(id).first<{ state: string; revoke_reason: string | null; revoked_by: string | null }>();
}

async function openSessions(id: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM mcp_sessions WHERE connection_id = ? AND ended_at IS NULL').bind(id).first<{ n: number }>())!.n;
}

async function revokeEvents(id: string): Promise<Record<string, unknown>[]> {
  const rows = await env.DB.prepare("SELECT detail FROM audit_events WHERE connection_id = ? AND method = 'connection.revoke'").bind(id).all<{ detail: string }>();
  return rows.results.map((row) => JSON.parse(row.detail) as Record<string, unknown>);
}

/** The connection is untouched: active, its grant and session live, tokens working, nothing audited. */
async function expectUntouched(state: Awaited<ReturnType<typeof connected>>) {
  expect(await connectionRow(state.connectionId)).toEqual({ state: 'active', revoke_reason: null, revoked_by: null });
  expect(await openSessions(state.connectionId)).toBe(1);
  expect(await revokeEvents(state.connectionId)).toEqual([]);
  expect((await env.OAUTH_KV.list({ prefix: `grant:${state.connectionId}:` })).keys).toHaveLength(1);
  expect((await mcp(state.tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'ping' }, state.sessionId)).status).toBe(200);
}

describe('a replayed authorization code', { timeout: 30_000 }, () => {
  it('revokes the connection as code_replay: grants, sessions and tokens end, audited', async () => {
    const state = await connected();
    const replay = await state.exchange();
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });

    expect(await connectionRow(state.connectionId)).toEqual({ state: 'revoked', revoke_reason: 'code_replay', revoked_by: null });
    const shown = (await (await adminRequest(`/admin/api/connections/${state.connectionId}`)).json()) as { status: string; revoke_reason: string };
    expect(shown).toMatchObject({ status: 'revoked', revoke_reason: 'code_replay' });
    expect(await openSessions(state.connectionId)).toBe(0);
    expect((await env.OAUTH_KV.list({ prefix: `grant:${state.connectionId}:` })).keys).toEqual([]);
    expect((await mcp(state.tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'ping' }, state.sessionId)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: state.tokens.refresh_token, client_id: state.clientId })).status).toBe(400);
    expect(await revokeEvents(state.connectionId)).toEqual([expect.objectContaining({ actor: 'oauth', reason: 'code_replay', client_id: state.clientId, connection_revoked: true })]);

    // Sent a third time: the grant is gone, so nothing more happens.
    expect((await state.exchange()).status).toBe(400);
    expect(await revokeEvents(state.connectionId)).toHaveLength(1);
  });

  it('revokes the connection when another client presents the used code (RFC 6749 §4.1.2)', async () => {
    const state = await connected('Replay victim');
    const { body: other } = await registerClient({ redirect_uris: [REDIRECT], client_name: 'Replay thief' });
    const replay = await state.exchange({ client_id: other.client_id as string });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await connectionRow(state.connectionId)).toMatchObject({ state: 'revoked', revoke_reason: 'code_replay' });
    expect(await openSessions(state.connectionId)).toBe(0);
    expect((await mcp(state.tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'ping' })).status).toBe(401);
    expect(await revokeEvents(state.connectionId)).toEqual([
      expect.objectContaining({ actor: 'oauth', reason: 'code_replay', client_id: state.clientId, presented_by_client_id: other.client_id, connection_revoked: true }),
    ]);
  });

  it('revokes it for a replay without resource too (the code is spent, the signal is the same)', async () => {
    const state = await connected('Replay without resource');
    const { resource: _resource, ...fields } = { grant_type: 'authorization_code', code: state.code, client_id: state.clientId, redirect_uri: REDIRECT, code_verifier: state.verifier, resource: RESOURCE };
    expect((await token(fields)).status).toBe(400);
    expect(await connectionRow(state.connectionId)).toMatchObject({ state: 'revoked', revoke_reason: 'code_replay' });
  });
});

describe('codes that are not a replay change nothing', { timeout: 30_000 }, () => {
  it.each([
    ['random characters', 'x'.repeat(32)],
    ['an empty secret', ''],
    ['the code with one character changed', null],
  ])('a forged code naming the real connection and grant (%s)', async (_label, secret) => {
    const state = await connected('Forgery target');
    const real = state.code.split(':')[2]!;
    const forged = `${state.connectionId}:${state.grantId}:${secret ?? `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`}`;
    for (const clientId of [state.clientId, ((await registerClient({ redirect_uris: [REDIRECT] })).body.client_id as string)]) {
      const response = await token({ grant_type: 'authorization_code', code: forged, client_id: clientId, redirect_uri: REDIRECT, code_verifier: state.verifier, resource: RESOURCE });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    }
    await expectUntouched(state);
    expect((await token({ grant_type: 'refresh_token', refresh_token: state.tokens.refresh_token, client_id: state.clientId })).status).toBe(200);
  });

  it('a forged code before the exchange leaves the real code working', async () => {
    const approved = await approvedCode('Forgery before exchange');
    const forged = `${approved.connectionId}:${approved.grantId}:${'y'.repeat(32)}`;
    expect((await approved.exchange({ code: forged })).status).toBe(400);
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
    expect((await approved.exchange()).status).toBe(200);
  });

  it('a code never exchanged, sent with a wrong verifier, is refused without spending it or revoking anything', async () => {
    const approved = await approvedCode('Wrong verifier');
    const wrong = await approved.exchange({ code_verifier: 'w'.repeat(43) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
    expect(await revokeEvents(approved.connectionId)).toEqual([]);
    // The provider did not spend it: the right verifier still gets the tokens.
    expect((await approved.exchange()).status).toBe(200);
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
  });

  it('a code never exchanged, sent by another client, is refused and stays usable by its own client', async () => {
    const approved = await approvedCode('Unused code');
    const { body: other } = await registerClient({ redirect_uris: [REDIRECT] });
    expect((await approved.exchange({ client_id: other.client_id as string })).status).toBe(400);
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
    expect((await approved.exchange()).status).toBe(200);
  });
});

describe('concurrent first exchanges of one code', { timeout: 30_000 }, () => {
  it('give one token pair: the others are refused', async () => {
    const approved = await approvedCode('Concurrent client');
    const answers = await Promise.all(Array.from({ length: 5 }, () => approved.exchange()));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400, 400]);
    for (const answer of answers.filter((each) => each.status === 400)) expect(await answer.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("a refused exchange racing the client's own correct ones never ends the connection", async () => {
    const approved = await approvedCode('Racing client');
    const wrong = () => approved.exchange({ redirect_uri: 'http://127.0.0.1:40114/elsewhere' });
    const answers = await Promise.all([wrong(), wrong(), approved.exchange(), wrong(), approved.exchange()]);
    expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(1);
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
    expect(await revokeEvents(approved.connectionId)).toEqual([]);
  });

  it('an exchanged code sent as a refresh token is an unknown refresh token, no reuse', async () => {
    const state = await connected('Code as refresh');
    const misuse = await token({ grant_type: 'refresh_token', refresh_token: state.code, client_id: state.clientId, resource: RESOURCE });
    expect(misuse.status).toBe(400);
    await expectUntouched(state);
  });

  it('an exchange the provider refuses gives the code back, so the corrected request still connects', async () => {
    const approved = await approvedCode('Corrected client');
    const refused = await approved.exchange({ redirect_uri: 'http://127.0.0.1:40114/elsewhere' });
    expect(refused.status).toBe(400);
    const corrected = await approved.exchange();
    expect(corrected.status).toBe(200);
    expect(await connectionRow(approved.connectionId)).toMatchObject({ state: 'active', revoke_reason: null });
  });
});
