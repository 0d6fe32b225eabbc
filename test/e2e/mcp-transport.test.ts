import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

/** The Streamable HTTP transport's guards over real HTTP, in wrangler dev: DNS rebinding (with the MCP conformance suite) and a stalled body. */

const run = promisify(execFile);
const CONFORMANCE = path.resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/conformance/dist/index.js');
/** The suite (0.2.0-alpha.12) needs Node 22 or later (fs.globSync); the project's own Node (devDependency `node`) is 24. */
const NODE = path.resolve(import.meta.dirname, '../../node_modules/.bin/node');

let gateway: LocalGateway;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-e2e-transport-'));
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function createKey(): Promise<string> {
  const response = await fetch(`${gateway.url}/admin/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e transport', scope: { preset: 'read_only' } }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

/** Sends raw bytes on a socket and resolves with what arrives within `waitMs` (the socket stays open, as a stalled client's would). */
function rawExchange(port: number, bytes: string, waitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(received);
    }, waitMs);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.includes('\r\n\r\n') && /}\s*$/.test(received)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(bytes);
  });
}

/**
 * The conformance suite sends no Authorization header, and the gateway answers
 * 401 to that. This loopback proxy adds the Bearer key and passes Host and
 * Origin through untouched, so the gateway judges exactly what the suite sent.
 */
async function startKeyProxy(key: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(gateway.url);
  const server: Server = createServer((incoming, outgoing) => {
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${key}` },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface ConformanceCheck {
  id: string;
  status: string;
  errorMessage?: string;
  details?: { hostHeader?: string; statusCode?: number };
}

async function readChecks(dir: string): Promise<ConformanceCheck[]> {
  const checks: ConformanceCheck[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    if (!entry.endsWith('checks.json')) continue;
    checks.push(...(JSON.parse(await readFile(path.join(dir, entry), 'utf8')) as ConformanceCheck[]));
  }
  return checks;
}

describe('DNS rebinding protection in wrangler dev', () => {
  it("passes the MCP conformance suite's dns-rebinding-protection scenario", async () => {
    const proxy = await startKeyProxy(await createKey());
    const outputDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-conformance-'));
    try {
      const result = await run(
        NODE,
        [CONFORMANCE, 'server', '--url', `${proxy.url}/mcp`, '--scenario', 'dns-rebinding-protection', '--output-dir', outputDir],
        { timeout: 60_000 },
      ).then(
        (done) => ({ code: 0, output: done.stdout + done.stderr }),
        (failed: { code?: number; stdout?: string; stderr?: string }) => ({ code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }),
      );
      const checks = await readChecks(outputDir);
      expect(checks.map((check) => [check.id, check.status]), result.output).toEqual([
        ['localhost-host-rebinding-rejected', 'SUCCESS'],
        ['localhost-host-valid-accepted', 'SUCCESS'],
      ]);
      expect(checks[0]!.details).toMatchObject({ hostHeader: 'evil.example.com', statusCode: 403 });
      expect(result.code, result.output).toBe(0);
    } finally {
      await proxy.close();
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a foreign Host', 'Host: evil.example.com:80', /Host 'evil\.example\.com(:80)?' is not this gateway's/],
    ['a foreign Origin', 'Origin: http://evil.example.com', /Origin 'http:\/\/evil\.example\.com' is not allowed/],
  ])('answers %s with 403 before the key is checked (no key sent: 403, not 401)', async (_label, header, message) => {
    const port = new URL(gateway.url).port;
    const host = header.startsWith('Host:') ? header : `Host: 127.0.0.1:${port}\r\n${header}`;
    const body = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    const answer = await rawExchange(Number(port), `POST /mcp HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 5000);
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).not.toMatch(/www-authenticate/i);
    expect(answer).toMatch(message);
  });
});

/** Runs one server scenario of the suite for one revision through a key proxy, and returns its checks and output. */
async function runScenario(scenario: string, specVersion: string): Promise<{ code: number; output: string; checks: ConformanceCheck[] }> {
  const proxy = await startKeyProxy(await createKey());
  const outputDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-conformance-'));
  try {
    const result = await run(NODE, [CONFORMANCE, 'server', '--url', `${proxy.url}/mcp`, '--scenario', scenario, '--spec-version', specVersion, '--output-dir', outputDir], {
      timeout: 90_000,
    }).then(
      (done) => ({ code: 0, output: done.stdout + done.stderr }),
      (failed: { code?: number; stdout?: string; stderr?: string }) => ({ code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }),
    );
    return { ...result, checks: (await readChecks(outputDir)).filter((check) => check.status !== 'INFO') };
  } finally {
    await proxy.close();
    await rm(outputDir, { recursive: true, force: true });
  }
}

/**
 * The suite's server scenarios that apply to this server, for each era (it has
 * tools, and no resources, prompts, logging, completion, sampling, elicitation,
 * x-mcp-header parameters or subscriptions to list changes). Scenarios built
 * on the suite's own diagnostic tools (tools-call-*, json-schema-2020-12,
 * input-required-result-*, http-custom-header-server-validation, …) do not
 * apply: this gateway only has its Odoo tools. docs/mcp.md lists them.
 */
describe('MCP conformance server scenarios, 2025-11-25, in wrangler dev', () => {
  it.each(['server-initialize', 'ping', 'tools-list', 'server-session-lifecycle', 'server-sse-multiple-streams'])('passes %s', { timeout: 120_000 }, async (scenario) => {
    const { code, output, checks } = await runScenario(scenario, '2025-11-25');
    expect(checks.length, output).toBeGreaterThan(0);
    expect(checks.filter((check) => check.status !== 'SUCCESS'), output).toEqual([]);
    expect(code, output).toBe(0);
  });
});

describe('MCP conformance server scenarios, 2026-07-28, in wrangler dev', () => {
  it.each(['tools-list', 'http-header-validation', 'dns-rebinding-protection', 'server-sse-multiple-streams'])('passes %s', { timeout: 120_000 }, async (scenario) => {
    const { code, output, checks } = await runScenario(scenario, '2026-07-28');
    expect(checks.length, output).toBeGreaterThan(0);
    expect(checks.filter((check) => check.status !== 'SUCCESS'), output).toEqual([]);
    expect(code, output).toBe(0);
  });

  /**
   * Every check of these two scenarios passes except those listed: the ones
   * that need a tool or a feature this gateway does not have, and one where
   * the suite and the revision's own example disagree (below).
   */
  it.each([
    [
      'server-stateless',
      [
        // The suite's diagnostic tools (test_missing_capability, test_streaming_elicitation, test_logging_tool) are not among the gateway's tools.
        ['sep-2575-server-rejects-undeclared-capability', 'FAILURE', /test_missing_capability/],
        ['sep-2575-missing-capability-http-400', 'FAILURE', /test_missing_capability/],
        ['sep-2575-http-server-no-independent-requests-on-stream', 'FAILURE', /test_streaming_elicitation/],
        ['sep-2575-server-no-log-without-loglevel', 'FAILURE', /test_logging_tool/],
        // No prompts, and a tool list that never changes (listChanged: false).
        ['sep-2575-server-sends-prompts-list-changed-on-subscription', 'SKIPPED', /.*/],
        ['sep-2575-server-sends-tools-list-changed-on-subscription', 'SKIPPED', /.*/],
        // The error's `supported` lists every revision served here, the session ones too, as the revision's own
        // example of the error does; the suite wants only what server/discover lists (2026-07-28).
        ['sep-2575-server-unsupported-version-error', 'FAILURE', /\["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05","2024-10-07"\]/],
      ],
    ],
    [
      'caching',
      [
        // No prompts and no resources: those lists answer -32601, and there is nothing to read.
        ['sep-2549-prompts-list-caching-hints', 'FAILURE', /-32601/],
        ['sep-2549-resources-list-caching-hints', 'FAILURE', /-32601/],
        ['sep-2549-resources-templates-list-caching-hints', 'FAILURE', /-32601/],
        ['sep-2549-resources-read-caching-hints', 'SKIPPED', /.*/],
      ],
    ],
  ] as const)('passes %s except the checks that do not apply', { timeout: 120_000 }, async (scenario, notApplicable) => {
    const { output, checks } = await runScenario(scenario, '2026-07-28');
    expect(checks.filter((check) => check.status === 'SUCCESS').length, output).toBeGreaterThan(2);
    const others = checks.filter((check) => check.status !== 'SUCCESS');
    expect(others.map((check) => [check.id, check.status]).sort(), output).toEqual(notApplicable.map(([id, status]) => [id, status]).sort());
    for (const [id, , reason] of notApplicable) expect(`${others.find((check) => check.id === id)?.errorMessage ?? ''}`).toMatch(reason);
  });
});

describe('refusals that need no body, to a client whose body stalls, in wrangler dev', () => {
  // workerd holds a response until the request body is read or cancelled; these refusals cancel it and answer at once.
  it.each([
    ['a body declared over 1 MiB: 413 from Content-Length', 2 * 1024 * 1024, true, '', /^HTTP\/1\.1 413 /, 'Request body exceeds 1048576 bytes'],
    ['a foreign Origin: 403', 100, true, 'Origin: http://evil.example\r\n', /^HTTP\/1\.1 403 /, "Origin 'http://evil.example' is not allowed"],
    ['no key: 401', 100, false, '', /^HTTP\/1\.1 401 /, 'A valid API key is required'],
  ])('answers %s within a second', async (_label, declared, withKey, extraHeaders, status, message) => {
    const key = withKey ? await createKey() : null;
    const port = Number(new URL(gateway.url).port);
    const started = Date.now();
    const answer = await rawExchange(
      port,
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${key ? `Authorization: Bearer ${key}\r\n` : ''}${extraHeaders}` +
        `Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${declared}\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"`,
      5000,
    );
    expect(answer).toMatch(status);
    expect(answer).toContain(message);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
