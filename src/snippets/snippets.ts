import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** The server name when a connection's name gives no usable slug (no letters or digits in it). */
const FALLBACK_SERVER_NAME = 'odoo';
const MAX_SERVER_NAME = 48;

/**
 * The name the gateway is registered under in a client's configuration: a
 * slug of the connection's name ("Sales assistant (Cursor)" becomes
 * "sales-assistant-cursor"), so two connections set up in one client do not
 * overwrite each other. Only [a-z0-9-] remain, which every format below
 * takes bare: a TOML table key, a YAML scalar, a file name, a shell word.
 */
export function serverNameFor(connectionName: string | undefined): string {
  const slug = (connectionName ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SERVER_NAME)
    .replace(/^-+|-+$/g, '');
  return slug || FALLBACK_SERVER_NAME;
}

export const SNIPPET_CLIENTS = [
  'cursor',
  'claude_code',
  'claude_desktop',
  'gemini_cli',
  'continue',
  'vscode',
  'windsurf',
  'codex',
  'curl',
  'header',
  'oauth_connector',
] as const;

export type SnippetClient = (typeof SNIPPET_CLIENTS)[number];

export const snippetSchema = z.object({
  title: z.string(),
  file: z.string().optional().describe('Where the snippet goes, when it is a file'),
  format: z.enum(['json', 'toml', 'yaml', 'shell', 'text']),
  content: z.string(),
});

export const snippetsSchema = z
  .object(Object.fromEntries(SNIPPET_CLIENTS.map((client) => [client, snippetSchema])) as Record<SnippetClient, typeof snippetSchema>)
  .describe('Ready-to-paste client setup with the MCP URL and the key filled in; oauth_connector is the OAuth path, with the URL and no key');

export type Snippet = z.infer<typeof snippetSchema>;
export type Snippets = Record<SnippetClient, Snippet>;

/**
 * Setup for each MCP client, in the format that client reads for a remote
 * Streamable HTTP server with a static Authorization header. Every value is
 * embedded through a serialiser or a quoting function, never pasted raw, so
 * an unusual URL cannot break the snippet's syntax.
 */
export function buildSnippets(mcpUrl: string, key: string, connectionName?: string): Snippets {
  return snippetsFor(new URL(mcpUrl).href, key, serverNameFor(connectionName));
}

function snippetsFor(mcpUrl: string, key: string, serverName: string): Snippets {
  const authorization = `Bearer ${key}`;
  const headers = { Authorization: authorization };
  return {
    cursor: {
      title: 'Cursor',
      file: '~/.cursor/mcp.json',
      format: 'json',
      content: json({ mcpServers: { [serverName]: { url: mcpUrl, headers } } }),
    },
    claude_code: {
      title: 'Claude Code',
      format: 'shell',
      content: `claude mcp add --transport http ${serverName} ${shellQuote(mcpUrl)} --header ${shellQuote(`Authorization: ${authorization}`)}\n`,
    },
    claude_desktop: {
      title: 'Claude Desktop (through mcp-remote)',
      file: 'claude_desktop_config.json (Settings > Developer > Edit Config)',
      format: 'json',
      content: json({
        mcpServers: {
          [serverName]: {
            command: 'npx',
            // mcp-remote expands ${AUTH_HEADER} itself; keeping the space-containing value in env avoids
            // the clients that split arguments on spaces.
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder is mcp-remote's, expanded by it from env.
            args: ['-y', 'mcp-remote', mcpUrl, ...(new URL(mcpUrl).protocol === 'http:' ? ['--allow-http'] : []), '--header', 'Authorization:${AUTH_HEADER}'],
            env: { AUTH_HEADER: authorization },
          },
        },
      }),
    },
    gemini_cli: {
      title: 'Gemini CLI',
      file: '~/.gemini/settings.json',
      format: 'json',
      content: json({ mcpServers: { [serverName]: { httpUrl: mcpUrl, headers } } }),
    },
    continue: {
      title: 'Continue',
      file: `.continue/mcpServers/${serverName}.yaml`,
      format: 'yaml',
      content: [
        'name: Odoo MCP gateway',
        'version: 0.0.1',
        'schema: v1',
        'mcpServers:',
        `  - name: ${yamlString(serverName)}`,
        '    type: streamable-http',
        `    url: ${yamlString(mcpUrl)}`,
        '    requestOptions:',
        '      headers:',
        `        Authorization: ${yamlString(authorization)}`,
        '',
      ].join('\n'),
    },
    vscode: {
      title: 'VS Code',
      file: '.vscode/mcp.json',
      format: 'json',
      content: json({ servers: { [serverName]: { type: 'http', url: mcpUrl, headers } } }),
    },
    windsurf: {
      title: 'Windsurf',
      file: '~/.codeium/windsurf/mcp_config.json',
      format: 'json',
      content: json({ mcpServers: { [serverName]: { serverUrl: mcpUrl, headers } } }),
    },
    codex: {
      title: 'OpenAI Codex CLI',
      file: '~/.codex/config.toml',
      format: 'toml',
      content: [
        `[mcp_servers.${serverName}]`,
        `url = ${tomlString(mcpUrl)}`,
        `http_headers = { ${tomlString('Authorization')} = ${tomlString(authorization)} }`,
        '',
      ].join('\n'),
    },
    curl: {
      title: 'curl (initialize, then tools/list in the session)',
      format: 'shell',
      content: curlSnippet(mcpUrl, key),
    },
    header: {
      title: 'HTTP header',
      format: 'text',
      content: `Authorization: ${authorization}`,
    },
    oauth_connector: oauthConnectorSnippet(mcpUrl),
  };
}

/**
 * The OAuth path, for apps that cannot send a header: the URL alone, never
 * the key. Approving the app at /authorize makes a connection of its own
 * (auth: "oauth"), with the scope chosen there.
 */
export function oauthConnectorSnippet(mcpUrl: string): Snippet {
  return {
    title: 'Claude.ai / ChatGPT (OAuth, no key)',
    format: 'text',
    content: [
      'Claude.ai / ChatGPT: add a custom connector with this URL (no key):',
      mcpUrl,
      '',
      'Claude.ai: Settings > Connectors > Add custom connector. ChatGPT: Settings > Connectors > Create.',
      "The app opens this gateway's consent page: an admin signed in to the console approves it and picks its scope,",
      'or the person connecting opens an invitation. It becomes a connection of its own; this key is not used.',
      '',
    ].join('\n'),
  };
}

/** The gateway only answers tools/list inside a session, so the snippet opens one first. */
function curlSnippet(mcpUrl: string, key: string): string {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'curl', version: '1.0.0' } },
  };
  const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
  const common = [
    `  -H "Authorization: Bearer $MCP_KEY" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H 'Accept: application/json, text/event-stream' \\`,
  ];
  return [
    `MCP_URL=${shellQuote(mcpUrl)}`,
    `MCP_KEY=${shellQuote(key)}`,
    '# 1. initialize: the session id comes back in the Mcp-Session-Id response header',
    'SESSION_ID=$(curl -sS -D - -o /dev/null "$MCP_URL" \\',
    ...common,
    `  -d ${shellQuote(JSON.stringify(initialize))} \\`,
    `  | tr -d '\\r' | awk 'tolower($1) == "mcp-session-id:" { print $2 }')`,
    '# 2. tools/list in that session',
    'curl -sS "$MCP_URL" \\',
    ...common,
    '  -H "Mcp-Session-Id: $SESSION_ID" \\',
    `  -H 'MCP-Protocol-Version: ${LATEST_PROTOCOL_VERSION}' \\`,
    `  -d ${shellQuote(JSON.stringify(listTools))}`,
    '',
  ].join('\n');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Single quotes keep every character literal in POSIX shells; a quote inside is closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A JSON string is a TOML basic string once DEL, which TOML forbids raw, is escaped too. */
function tomlString(text: string): string {
  return JSON.stringify(text).replaceAll('\x7f', '\\u007F');
}

/** YAML double-quoted scalars accept every escape JSON.stringify emits. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}
