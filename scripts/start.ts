import { odooFromEnvironment, startLocalGateway } from './local-gateway';

/**
 * `npm start`: the gateway in wrangler dev with local D1, KV and Queues, a
 * demo Odoo unless ODOO_* says otherwise, and a first connection to try.
 */
const odoo = odooFromEnvironment(process.env);
const port = Number(process.env.PORT ?? 8787);
const gateway = await startLocalGateway({ port, odoo, quiet: process.env.VERBOSE !== '1' });

const scope = gateway.demoOdoo ? { preset: 'full' } : { preset: 'read_only' };
const created = await fetch(`${gateway.url}/admin/api/connections`, {
  method: 'POST',
  headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: `Quickstart ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`, scope }),
});
const body = (await created.json()) as { key?: string; mcp_url?: string; error?: { message: string } };

const lines = [
  '',
  '  odoo-mcp-gateway is running',
  '',
  gateway.demoOdoo
    ? '  ODOO: DEMO MODE. No ODOO_* variables were set, so the gateway talks to a demo Odoo\n        built from the bundled Odoo 19 fixtures (contacts, leads, sale orders) on ' + gateway.odoo.url
    : `  Odoo:        ${gateway.odoo.url} (database ${gateway.odoo.database}, user ${gateway.odoo.login}, ${gateway.odoo.api})`,
  '',
  `  MCP URL:     ${gateway.url}/mcp`,
  `  Admin token: ${gateway.adminToken}`,
  body.key
    ? `  Quickstart key (${scope.preset === 'full' ? 'full access' : 'read only'}, shown once): ${body.key}`
    : `  Could not create a quickstart connection: ${body.error?.message ?? created.status}`,
  '',
  '  Try it:',
  `    curl -s ${gateway.url}/mcp -H 'Authorization: Bearer ${body.key ?? '<key>'}' \\`,
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
