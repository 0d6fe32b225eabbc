import type { PresentedAuditEvent } from '../audit/present';
import type { ConnectionJson, ConnectionSummaryJson, SessionJson } from '../admin/connection-schemas';
import type { OdooAccountJson } from '../admin/odoo-account-schemas';
import type { Snippets } from '../snippets/snippets';
import type { ConnectionUsageJson, UsageListJson, UsageSeriesJson } from '../admin/usage-schemas';

/** The shapes the console reads from the admin API, taken from the API's own schemas where they exist. */
export type { ConnectionJson, ConnectionUsageJson, OdooAccountJson, SessionJson, Snippets, UsageListJson, UsageSeriesJson };
export type ConnectionRow = ConnectionSummaryJson;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface CreatedConnectionJson {
  connection: ConnectionJson;
  key: string;
  mcp_url: string;
  snippets?: Snippets;
}

export interface IssuedKeyJson {
  key: string;
  connection: ConnectionJson;
  mcp_url?: string;
  snippets?: Snippets;
}

export type AuditEventJson = PresentedAuditEvent;

export interface ValidationIssue {
  path: string;
  message: string;
}

export function issuesOf(details: unknown): ValidationIssue[] {
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is ValidationIssue => typeof issue?.path === 'string' && typeof issue?.message === 'string',
  );
}
