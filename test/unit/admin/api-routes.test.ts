import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_API_ROUTES } from '../../../src/admin/api-routes';
import { honoPath, registerRoutes, type AdminRoute } from '../../../src/admin/define-route';
import type { AppEnv } from '../../../src/http/context';

// The routes' handlers come along with their declarations; revoking OAuth grants needs the Workers runtime, which Node has not.
vi.mock('../../../src/oauth/revoke', () => ({}));

/** Two paths overlap when one request could match both: as many segments, each equal or a parameter on either side. */
function overlap(a: string, b: string): boolean {
  const left = a.split('/');
  const right = b.split('/');
  return left.length === right.length && left.every((segment, index) => segment === right[index] || segment.startsWith('{') || right[index]!.startsWith('{'));
}

/** A request path for a route: each parameter filled in. */
function samplePath(path: string): string {
  return `/admin/api${path.replace(/\{(\w+)\}/g, 'x_$1')}`;
}

function answeringWithOperationId(routes: readonly AdminRoute[]) {
  const api = new Hono<AppEnv>();
  registerRoutes(api, routes.map((route) => ({ ...route, handler: (c) => c.text(route.operationId) })));
  return new Hono<AppEnv>().route('/admin/api', api);
}

describe('the declared admin routes', () => {
  it('are written with OpenAPI path templates, each method and path once', () => {
    for (const route of ADMIN_API_ROUTES) expect(route.path, route.operationId).toMatch(/^(\/([\w.-]+|\{\w+\}))+$/);
    const keys = ADMIN_API_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never match the same request, so the order they are registered in decides nothing', () => {
    const overlapping = ADMIN_API_ROUTES.flatMap((route, index) =>
      ADMIN_API_ROUTES.slice(index + 1)
        .filter((other) => other.method === route.method && overlap(route.path, other.path))
        .map((other) => `${route.method} ${route.path} / ${other.path}`),
    );
    expect(overlapping).toEqual([]);
  });

  it('each answer their own requests, registered in either order', async () => {
    for (const order of [ADMIN_API_ROUTES, [...ADMIN_API_ROUTES].reverse()]) {
      const app = answeringWithOperationId(order);
      for (const route of ADMIN_API_ROUTES) {
        const response = await app.request(samplePath(route.path), { method: route.method.toUpperCase() });
        expect(await response.text(), `${route.method} ${route.path}`).toBe(route.operationId);
      }
    }
  });

  it('register under Hono paths', () => {
    expect(honoPath('/connections/{id}/sessions/{sid}')).toBe('/connections/:id/sessions/:sid');
    expect(honoPath('/audit.csv')).toBe('/audit.csv');
  });
});
