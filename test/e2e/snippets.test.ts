import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalGateway, type LocalGateway } from '../../scripts/local-gateway';

const run = promisify(execFile);

interface Created {
  key: string;
  mcp_url: string;
  snippets: Record<string, { content: string }>;
}

let gateway: LocalGateway;
let stateDir: string;
let created: Created;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-snippets-'));
  gateway = await startLocalGateway({ port: await freePort(), stateDir, quiet: true });
  const response = await fetch(`${gateway.url}/admin/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'snippets', scope: { preset: 'read_only' } }),
  });
  expect(response.status).toBe(201);
  created = (await response.json()) as Created;
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('setup snippets, run as a user would paste them', () => {
  it('curl: the two-step snippet opens a session and lists the tools of the key', async () => {
    const { stdout } = await run('bash', ['-c', created.snippets.curl!.content]);
    const answer = JSON.parse(stdout) as { id: number; result: { tools: Array<{ name: string }> } };
    expect(answer.id).toBe(2);
    expect(answer.result.tools.map((tool) => tool.name).sort()).toEqual([
      'aggregate_records',
      'count_records',
      'describe_model',
      'list_models',
      'read_records',
      'search_records',
    ]);
  });

  it('claude_code: the shell hands claude exactly the URL and the Authorization header', async () => {
    // A stand-in `claude` that prints the arguments it received, one per line.
    const { stdout } = await run('bash', ['-c', `claude() { printf '%s\\n' "$@"; }\n${created.snippets.claude_code!.content}`]);
    expect(stdout.trimEnd().split('\n')).toEqual([
      'mcp',
      'add',
      '--transport',
      'http',
      'snippets',
      created.mcp_url,
      '--header',
      `Authorization: Bearer ${created.key}`,
    ]);
  });
});
