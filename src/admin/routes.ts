import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { approvalRoutes } from './approvals';
import { adminTokenRoutes } from './admin-tokens';
import { auditRoutes } from './audit';
import { requireAdmin } from './auth';
import { connectionRoutes } from './connections';
import { invitationRoutes } from './invitations';
import { odooAccountRoutes } from './odoo-accounts';
import { serveOpenApiDocument } from './openapi';
import { usageRoutes } from './usage';

export const adminApiRoutes = new Hono<AppEnv>();

// Registered before the admin check, so it answers without one: the document holds no secret.
adminApiRoutes.get('/openapi.json', serveOpenApiDocument);
adminApiRoutes.use('*', requireAdmin);
// Exact paths only (/audit, /audit.csv, /connections/:id/audit, /usage, /connections/:id/usage): shadows no other route.
adminApiRoutes.route('/', auditRoutes);
adminApiRoutes.route('/', usageRoutes);
adminApiRoutes.route('/approvals', approvalRoutes);
adminApiRoutes.route('/connections', connectionRoutes);
adminApiRoutes.route('/invitations', invitationRoutes);
adminApiRoutes.route('/odoo-accounts', odooAccountRoutes);
adminApiRoutes.route('/admin-tokens', adminTokenRoutes);
