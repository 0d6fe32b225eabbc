import { z } from 'zod';
import { createAdminTokenRoute, listAdminTokensRoute, revokeAdminTokenRoute } from './admin-tokens';
import { approveApprovalRoute, denyApprovalRoute, getApprovalRoute, listApprovalsRoute } from './approvals';
import { exportAuditCsvRoute, listAuditRoute, listConnectionAuditRoute } from './audit';
import {
  issueConnectionKeyRoute,
  reactivateConnectionRoute,
  revokeConnectionRoute,
  rotateConnectionKeyRoute,
} from './connection-actions';
import { createConnectionRoute, getConnectionRoute, listConnectionsRoute, updateConnectionRoute } from './connections';
import { defineRoute, type AdminRoute } from './define-route';
import { createInvitationRoute } from './invitations';
import { createOdooAccountRoute, deleteOdooAccountRoute, getOdooAccountRoute, listOdooAccountsRoute } from './odoo-accounts';
import { describeAdminApi } from './openapi';
import { endConnectionSessionRoute, listConnectionSessionsRoute } from './sessions';
import { getConnectionUsageRoute, listConnectionsUsageRoute } from './usage';

const openApiDocumentSchema = z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document' });

const openApiDocumentRoute = defineRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tag: 'api',
  summary: 'This OpenAPI document',
  description: 'Served without the admin token: it describes the API and holds no secret.',
  public: true,
  responses: { 200: { description: 'The OpenAPI 3.1 document of the admin API', schema: openApiDocumentSchema } },
}, async (c) => {
  const origin = c.var.services.config.PUBLIC_URL ?? new URL(c.req.url).origin;
  return c.json(buildOpenApiDocument(origin));
});

/**
 * Every admin route, each declared next to its handler (src/admin/define-route.ts).
 * This list registers them (src/admin/routes.ts), in this order, and the OpenAPI
 * document lists them in this order. No two of them match the same request
 * (test/unit/admin/api-routes.test.ts), so the order never decides which handler answers.
 */
export const ADMIN_API_ROUTES: readonly AdminRoute[] = [
  openApiDocumentRoute,
  createConnectionRoute,
  listConnectionsRoute,
  getConnectionRoute,
  updateConnectionRoute,
  rotateConnectionKeyRoute,
  revokeConnectionRoute,
  createInvitationRoute,
  reactivateConnectionRoute,
  issueConnectionKeyRoute,
  listConnectionSessionsRoute,
  endConnectionSessionRoute,
  listConnectionAuditRoute,
  getConnectionUsageRoute,
  listConnectionsUsageRoute,
  listAuditRoute,
  exportAuditCsvRoute,
  createOdooAccountRoute,
  listOdooAccountsRoute,
  getOdooAccountRoute,
  deleteOdooAccountRoute,
  listApprovalsRoute,
  getApprovalRoute,
  approveApprovalRoute,
  denyApprovalRoute,
  createAdminTokenRoute,
  listAdminTokensRoute,
  revokeAdminTokenRoute,
];

let document: ReturnType<typeof describeAdminApi> | undefined;

/** The admin API as OpenAPI 3.1, generated from the declared routes and their zod schemas. */
export function buildOpenApiDocument(origin: string) {
  document ??= describeAdminApi(ADMIN_API_ROUTES);
  return document(origin);
}
