import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { ADMIN_API_ROUTES } from './api-routes';
import { requireAdmin } from './auth';
import { registerRoutes } from './define-route';

export const adminApiRoutes = new Hono<AppEnv>();

// Public routes (the OpenAPI document) are registered before the admin check, so they answer without one: the document holds no secret.
registerRoutes(adminApiRoutes, ADMIN_API_ROUTES.filter((route) => route.public));
adminApiRoutes.use('*', requireAdmin);
registerRoutes(adminApiRoutes, ADMIN_API_ROUTES.filter((route) => !route.public));
