import { odooFromEnvironment, startLocalGateway } from './local-gateway';
import { QUICKSTART_NAME, quickstartConnection } from './quickstart';

/**
 * `npm start`: the gateway in wrangler dev with local D1, KV and Queues, a
 * demo Odoo unless ODOO_* says otherwise, and a first connection to try.
 */
const odoo = odooFromEnvironment(process.env);
const port = Number(process.env.PORT ?? 8787);
/** Cloudflare Access for the console and admin API, when set in the shell (docs/admins.md). */
const ACCESS_VARS = ['ACCESS_TEAM_DOMAIN', 'ACCESS_AUD', 'ACCESS_ADMINS', 'ACCESS_CERTS_URL'] as const;
const vars = Object.fromEntries(ACCESS_VARS.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
const gateway = await startLocalGateway({ port, odoo, vars, stateDir: process.env.GATEWAY_STATE_DIR || undefined, quiet: process.env.VERBOSE !== '1' });

const scope = gateway.demoOdoo ? { preset: 'full' } : { preset: 'read_only' };
const quickstart = await quickstartConnection(gateway.url, gateway.adminToken, scope).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
const key = 'key' in quickstart ? quickstart.key : undefined;

const lines = [
  '',
  '  odoo-mcp-gateway is running',
  '',
  gateway.demoOdoo
    ? `  ODOO: DEMO MODE. No ODOO_* variables were set, so the gateway talks to a demo Odoo\n        built from the bundled Odoo 19 fixtures (contacts, leads, sale orders) on ${gateway.odoo.url}`
    : `  Odoo:        ${gateway.odoo.url} (database ${gateway.odoo.database}, user ${gateway.odoo.login}, ${gateway.odoo.api})`,
  '',
  `  MCP URL:     ${gateway.url}/mcp`,
  `  Admin token: ${gateway.adminToken}`,
  'key' in quickstart
    ? `  ${QUICKSTART_NAME} key (${scope.preset === 'full' ? 'full access' : 'read only'}, shown once${quickstart.reused ? '; the key of the last start no longer works' : ''}): ${quickstart.key}`
    : `  Could not set up the ${QUICKSTART_NAME} connection: ${quickstart.error}`,
  '',
  '  Try it:',
  `    curl -s ${gateway.url}/mcp -H 'Authorization: Bearer ${key ?? '<key>'}' \\`,
  `      -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\`,
  `      -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`,
  '',
  '  Create more keys:',
  `    curl -s ${gateway.url}/admin/api/connections -H 'Authorization: Bearer ${gateway.adminToken}' \\`,
  `      -H 'Content-Type: application/json' -d '{"name":"My assistant","scope":{"preset":"read_only"}}'`,
  '',
  '  Press Ctrl+C to stop.',
  '',
];
console.log(lines.join('\n'));

const shutdown = async () => {
  await gateway.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
