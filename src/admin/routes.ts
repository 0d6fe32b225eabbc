import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { requireAdminToken } from './auth';
import { connectionRoutes } from './connections';

export const adminApiRoutes = new Hono<AppEnv>();

adminApiRoutes.use('*', requireAdminToken);
adminApiRoutes.route('/connections', connectionRoutes);
