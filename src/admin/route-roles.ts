import type { AdminRole } from '../admins/actor';
import { ADMIN_API_ROUTES } from './api-routes';

/** `GET /admin/api/connections/:id` and `get /connections/{id}` both become `GET /connections/{}`. */
export function routeShape(method: string, path: string): string {
  const shape = path
    .replace(/^\/admin\/api(?=\/)/, '')
    .replace(/:[^/]+/g, '{}')
    .replace(/\{[^}]+\}/g, '{}');
  return `${method.toUpperCase()} ${shape}`;
}

const ROLES = new Map<string, AdminRole | 'public'>(ADMIN_API_ROUTES.map((route) => [routeShape(route.method, route.path), route.public ? 'public' : route.role]));

/** The role a served route declares; undefined when it declares none (requireAdmin then refuses, failing closed). */
export function declaredRole(method: string, honoPath: string): AdminRole | 'public' | undefined {
  return ROLES.get(routeShape(method, honoPath));
}
