import { afterEach, expect, it } from 'vitest';
import { startStandinServer, type StandinServer } from '../../../odoo-standin/server';

let server: StandinServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('serves the stand-in over real HTTP, headers and status included', async () => {
  server = await startStandinServer({ port: 0 });
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const ok = await fetch(`${server.url}/json/2/res.partner/search_count`, {
    method: 'POST',
    headers: { Authorization: 'bearer admin-api-key', 'Content-Type': 'application/json' },
    body: JSON.stringify({ domain: [['is_company', '=', true]] }),
  });
  expect([ok.status, await ok.json()]).toEqual([200, 11]);
  const refused = await fetch(`${server.url}/json/2/res.partner/search_count`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
  expect(server.standin.calls).toEqual([{ api: 'json2', model: 'res.partner', method: 'search_count', uid: 2 }]);
});
