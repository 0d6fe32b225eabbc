import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildSnippets, serverNameFor, shellQuote, SNIPPET_CLIENTS, type SnippetClient } from '../../../src/snippets/snippets';

const MCP_URL = 'https://gateway.example.com/mcp';
const KEY = 'omcp_k3x7q2m9wd4a_7fQ2bX9kLm3Np8Rt5Vw1Yz4Ac6Ef0Gh2Jk4Mn6Pq8Rs';
const AUTHORIZATION = `Bearer ${KEY}`;

const snippets = buildSnippets(MCP_URL, KEY);

type Json = Record<string, any>;

describe('buildSnippets', () => {
  it('answers exactly the clients the API promises, each with a title, a format and content', () => {
    expect(Object.keys(snippets)).toEqual([...SNIPPET_CLIENTS]);
    for (const [client, snippet] of Object.entries(snippets)) {
      expect(snippet.title).not.toBe('');
      expect(['json', 'toml', 'yaml', 'shell', 'text']).toContain(snippet.format);
      if (client !== 'oauth_connector') expect(snippet.content).toContain(KEY);
    }
  });

  it('oauth_connector: the custom connector path for Claude.ai and ChatGPT gives the URL and never the key', () => {
    const snippet = snippets.oauth_connector;
    expect(snippet.format).toBe('text');
    expect(snippet.content).toContain('Claude.ai / ChatGPT: add a custom connector with this URL');
    expect(snippet.content.split('\n')).toContain(MCP_URL);
    expect(snippet.content).not.toContain(KEY);
    expect(snippet.content).not.toContain('omcp_');
    expect(snippet.content).not.toMatch(/Bearer|Authorization/);
  });

  const jsonClients: Array<[SnippetClient, string, (config: Json) => { url: unknown; authorization: unknown }]> = [
    ['cursor', '~/.cursor/mcp.json', (c) => ({ url: c.mcpServers.odoo.url, authorization: c.mcpServers.odoo.headers.Authorization })],
    ['gemini_cli', '~/.gemini/settings.json', (c) => ({ url: c.mcpServers.odoo.httpUrl, authorization: c.mcpServers.odoo.headers.Authorization })],
    ['vscode', '.vscode/mcp.json', (c) => ({ url: c.servers.odoo.url, authorization: c.servers.odoo.headers.Authorization })],
    [
      'windsurf',
      '~/.codeium/windsurf/mcp_config.json',
      (c) => ({ url: c.mcpServers.odoo.serverUrl, authorization: c.mcpServers.odoo.headers.Authorization }),
    ],
  ];

  it.each(jsonClients)('%s: JSON that parses, with the URL and the header where the client reads them', (client, file, locate) => {
    const snippet = snippets[client];
    expect(snippet.format).toBe('json');
    expect(snippet.file).toBe(file);
    const config = JSON.parse(snippet.content) as Json;
    expect(locate(config)).toEqual({ url: MCP_URL, authorization: AUTHORIZATION });
  });

  it('cursor and windsurf do not share a URL field: windsurf needs serverUrl, gemini httpUrl (url means SSE there)', () => {
    expect(JSON.parse(snippets.windsurf.content).mcpServers.odoo).not.toHaveProperty('url');
    expect(JSON.parse(snippets.gemini_cli.content).mcpServers.odoo).not.toHaveProperty('url');
  });

  it('vscode declares the http transport under the top-level servers key', () => {
    const config = JSON.parse(snippets.vscode.content) as Json;
    expect(config).not.toHaveProperty('mcpServers');
    expect(config.servers.odoo.type).toBe('http');
  });

  it('claude_desktop: JSON that runs mcp-remote with the header taken from env', () => {
    const snippet = snippets.claude_desktop;
    expect(snippet.format).toBe('json');
    expect(snippet.file).toMatch(/^claude_desktop_config\.json/);
    const server = (JSON.parse(snippet.content) as Json).mcpServers.odoo;
    expect(server.command).toBe('npx');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: mcp-remote's own placeholder, expanded from env.
    expect(server.args).toEqual(['-y', 'mcp-remote', MCP_URL, '--header', 'Authorization:${AUTH_HEADER}']);
    expect(server.env).toEqual({ AUTH_HEADER: AUTHORIZATION });
  });

  it('claude_desktop allows plain HTTP only when the gateway URL is plain HTTP', () => {
    const local = JSON.parse(buildSnippets('http://127.0.0.1:8787/mcp', KEY).claude_desktop.content) as Json;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: mcp-remote's own placeholder, expanded from env.
    expect(local.mcpServers.odoo.args).toEqual(['-y', 'mcp-remote', 'http://127.0.0.1:8787/mcp', '--allow-http', '--header', 'Authorization:${AUTH_HEADER}']);
  });

  it('codex: TOML that parses, with url and the Authorization header in http_headers', () => {
    const snippet = snippets.codex;
    expect(snippet.format).toBe('toml');
    expect(snippet.file).toBe('~/.codex/config.toml');
    const config = parseToml(snippet.content) as Json;
    expect(config).toEqual({ mcp_servers: { odoo: { url: MCP_URL, http_headers: { Authorization: AUTHORIZATION } } } });
  });

  it('continue: a YAML block file that parses, with a streamable-http server and the header in requestOptions', () => {
    const snippet = snippets.continue;
    expect(snippet.format).toBe('yaml');
    expect(snippet.file).toBe('.continue/mcpServers/odoo.yaml');
    const block = parseYaml(snippet.content) as Json;
    expect(block).toMatchObject({ name: expect.any(String), version: expect.any(String), schema: 'v1' });
    expect(block.mcpServers).toEqual([
      { name: 'odoo', type: 'streamable-http', url: MCP_URL, requestOptions: { headers: { Authorization: AUTHORIZATION } } },
    ]);
  });

  it('claude_code: one claude mcp add command over HTTP with the header, every value single-quoted', () => {
    const snippet = snippets.claude_code;
    expect(snippet.format).toBe('shell');
    expect(snippet.content.trim()).toBe(`claude mcp add --transport http odoo '${MCP_URL}' --header 'Authorization: ${AUTHORIZATION}'`);
  });

  it('curl: initialize first, then tools/list with the session id and protocol version from it', () => {
    const snippet = snippets.curl;
    expect(snippet.format).toBe('shell');
    expect(snippet.content).toContain(`MCP_URL='${MCP_URL}'`);
    expect(snippet.content).toContain(`MCP_KEY='${KEY}'`);
    const bodies = [...snippet.content.matchAll(/^ {2}-d '([^']*)'/gm)].map((match) => JSON.parse(match[1]!) as Json);
    expect(bodies.map((body) => body.method)).toEqual(['initialize', 'tools/list']);
    const version = bodies[0]!.params.protocolVersion as string;
    expect(snippet.content).toContain(`-H 'MCP-Protocol-Version: ${version}'`);
    expect(snippet.content).toContain('-H "Mcp-Session-Id: $SESSION_ID"');
    expect(snippet.content.match(/-H "Authorization: Bearer \$MCP_KEY"/g)).toHaveLength(2);
  });

  it('header: the plain Authorization header', () => {
    expect(snippets.header).toEqual({ title: expect.any(String), format: 'text', content: `Authorization: ${AUTHORIZATION}` });
  });

  it('keeps every format intact for a MCP_URL with characters that are special in JSON, TOML, YAML and shells', () => {
    const awkward = "https://gw.example.com/it's/$(id)/\"quoted\"/#x: y/mcp";
    const normalised = new URL(awkward).href;
    const built = buildSnippets(awkward, KEY);
    expect(JSON.parse(built.cursor.content).mcpServers.odoo.url).toBe(normalised);
    expect((parseToml(built.codex.content) as Json).mcp_servers.odoo.url).toBe(normalised);
    expect((parseYaml(built.continue.content) as Json).mcpServers[0].url).toBe(normalised);
    expect(built.claude_code.content).toContain(shellQuote(normalised));
  });
});

describe('the MCP server name in the snippets', () => {
  it.each([
    ['Sales assistant (Cursor)', 'sales-assistant-cursor'],
    ['  Nightly  stats sync ', 'nightly-stats-sync'],
    ['Équipe Ventes — Köln', 'equipe-ventes-koln'],
    ['n8n / CRM', 'n8n-crm'],
    ['営業', 'odoo'],
    ['', 'odoo'],
    [undefined, 'odoo'],
    ['x'.repeat(80), 'x'.repeat(48)],
    [`${'a'.repeat(47)} b`, 'a'.repeat(47)],
  ])('%j is served as %j', (name, server) => {
    expect(serverNameFor(name)).toBe(server);
  });

  const CONNECTION = 'Sales assistant (Cursor)';
  const named = buildSnippets(MCP_URL, KEY, CONNECTION);
  const SERVER = 'sales-assistant-cursor';

  it('names the server after the connection in every client format, so two connections in one client do not clash', () => {
    expect(Object.keys(JSON.parse(named.cursor.content).mcpServers)).toEqual([SERVER]);
    expect(Object.keys(JSON.parse(named.claude_desktop.content).mcpServers)).toEqual([SERVER]);
    expect(Object.keys(JSON.parse(named.gemini_cli.content).mcpServers)).toEqual([SERVER]);
    expect(Object.keys(JSON.parse(named.windsurf.content).mcpServers)).toEqual([SERVER]);
    expect(Object.keys(JSON.parse(named.vscode.content).servers)).toEqual([SERVER]);
    expect(Object.keys((parseToml(named.codex.content) as Json).mcp_servers)).toEqual([SERVER]);
    expect((parseYaml(named.continue.content) as Json).mcpServers[0].name).toBe(SERVER);
    expect(named.continue.file).toBe(`.continue/mcpServers/${SERVER}.yaml`);
    expect(named.claude_code.content).toMatch(new RegExp(`^claude mcp add --transport http ${SERVER} '`));

    const other = buildSnippets(MCP_URL, KEY, 'Nightly stats sync');
    const merged = { ...JSON.parse(named.cursor.content).mcpServers, ...JSON.parse(other.cursor.content).mcpServers };
    expect(Object.keys(merged)).toEqual([SERVER, 'nightly-stats-sync']);
  });

  it('keeps the same shape: only the server name changes', () => {
    expect(Object.keys(named)).toEqual([...SNIPPET_CLIENTS]);
    for (const client of SNIPPET_CLIENTS) {
      expect(named[client].content.replaceAll(SERVER, 'odoo')).toBe(snippets[client].content);
      expect(named[client].format).toBe(snippets[client].format);
    }
  });

  it('a name that YAML would read as a number or a boolean stays a string', () => {
    expect((parseYaml(buildSnippets(MCP_URL, KEY, '2024').continue.content) as Json).mcpServers[0].name).toBe('2024');
    expect((parseYaml(buildSnippets(MCP_URL, KEY, 'True').continue.content) as Json).mcpServers[0].name).toBe('true');
  });
});

describe('shellQuote', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$(rm -rf /) `x` "y"', `'$(rm -rf /) \`x\` "y"'`],
  ])('quotes %j so a POSIX shell reads it literally', (text, quoted) => {
    expect(shellQuote(text)).toBe(quoted);
  });
});
