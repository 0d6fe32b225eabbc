import type { ApprovalSummaryJson } from '../admin/approval-schemas';
import type { AdminApiClient } from './api-client';
import type { Page } from './api-types';

/** The navigation's pending count: one page of at most 100, shown as "100+" beyond; null when the API refuses. */
export async function pendingApprovalCount(api: AdminApiClient): Promise<string | null> {
  const result = await api.get<Page<ApprovalSummaryJson>>('/approvals', { status: 'pending', limit: '100' });
  if (!result.ok) return null;
  return result.body.next_cursor ? '100+' : String(result.body.items.length);
}
