import { Hono } from 'hono';
import type { ApiFetch } from './api-client';
import { CONSOLE_CSS } from './assets/console-css';
import { CONSOLE_JS } from './assets/console-js';
import { FAVICON_SVG } from './assets/favicon-svg';
import type { ConsoleEnv } from './context';
import { consoleHeaders, provideApi, requireSession } from './middleware';
import { accountPages } from './pages/accounts';
import { approvalPages } from './pages/approvals';
import { auditPages } from './pages/audit';
import { connectionPages } from './pages/connections';
import { authorizeRoutes, inviteRoutes } from './pages/authorize';
import { HOME, signInRoutes } from './pages/sign-in';
import { MessagePage } from './views/layout';
import { log } from '../log/log';

/**
 * The admin web console, mounted at /admin next to the API at /admin/api.
 * Nothing here is registered as `/admin/*` middleware: that pattern would
 * also cover the API's paths. `fetchApi` is the Worker's own fetch, through
 * which every page reads and changes data via the admin API.
 */
export function createConsoleRoutes(fetchApi: ApiFetch): Hono<ConsoleEnv> {
  const api = provideApi(fetchApi);
  const routes = new Hono<ConsoleEnv>();

  routes.get('/', consoleHeaders, requireSession, (c) => c.redirect(HOME, 303));
  routes.get('/assets/console.css', () => asset(CONSOLE_CSS, 'text/css; charset=utf-8'));
  routes.get('/assets/console.js', () => asset(CONSOLE_JS, 'text/javascript; charset=utf-8'));
  routes.get('/favicon.svg', () => asset(FAVICON_SVG, 'image/svg+xml'));
  routes.route('/', signInRoutes);

  for (const [path, pages] of [
    ['/connections', connectionPages],
    ['/approvals', approvalPages],
    ['/audit', auditPages],
    ['/accounts', accountPages],
  ] as const) {
    const section = new Hono<ConsoleEnv>();
    section.use('*', api);
    section.route('/', pages);
    routes.route(path, section);
  }

  routes.onError((error, c) => {
    log.error({ msg: 'console error', path: new URL(c.req.url).pathname, error: String(error), stack: (error as Error).stack });
    c.header('cache-control', 'no-store');
    c.header('x-frame-options', 'DENY');
    return c.html(<MessagePage title="Something went wrong" message="The console hit an unexpected error; it was logged." />, 500);
  });
  return routes;
}

function asset(body: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      'content-type': contentType,
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** /authorize (the OAuth consent page) and /invite/:code: pages like the console's, outside /admin. */
export function createAuthorizeRoutes(fetchApi: ApiFetch): { authorize: Hono<ConsoleEnv>; invite: Hono<ConsoleEnv> } {
  const authorize = new Hono<ConsoleEnv>();
  authorize.use('*', provideApi(fetchApi));
  authorize.route('/', authorizeRoutes);
  return { authorize, invite: inviteRoutes };
}
