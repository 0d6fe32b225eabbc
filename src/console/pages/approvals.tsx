import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApprovalJson, ApprovalSummaryJson } from '../../admin/approval-schemas';
import type { Page } from '../api-types';
import type { ConsoleEnv } from '../context';
import { consoleHeaders, requireSameOriginForm, requireSession } from '../middleware';
import { ApprovalPage, ApprovalsListPage } from '../views/approvals';
import { asStatus, noticeFor, renderApiFailure, type ConsoleContext } from './shared';

const NOTICES = {
  executed: 'Approved: the call ran once; its result is below and waits for the client.',
  failed: 'Approved, but the call did not succeed; the reason is below.',
  denied: 'Denied: the call will never run; the client is told so, with your note.',
};

export const approvalPages = new Hono<ConsoleEnv>();

approvalPages.use('*', consoleHeaders, requireSession, requireSameOriginForm);

approvalPages.get('/', async (c) => {
  const status = c.req.query('status') ?? 'pending';
  const result = await c.var.api.get<Page<ApprovalSummaryJson>>('/approvals', { status, cursor: c.req.query('cursor'), limit: '50' });
  return c.html(
    <ApprovalsListPage
      session={c.var.session}
      status={status}
      items={result.ok ? result.body.items : []}
      nextCursor={result.ok ? result.body.next_cursor : null}
      error={result.ok ? undefined : result.error.message}
    />,
    result.ok ? 200 : asStatus(result.status),
  );
});

approvalPages.get('/:id', (c) => renderApproval(c));

for (const decision of ['approve', 'deny'] as const) {
  approvalPages.post(`/:id/${decision}`, async (c) => {
    const note = c.var.form.get('note')?.trim();
    const result = await c.var.api.post<ApprovalJson>(`${approvalPath(c)}/${decision}`, note ? { note } : {});
    if (!result.ok) return renderApproval(c, result.error.message, asStatus(result.status));
    const done = decision === 'deny' ? 'denied' : result.body.status;
    return c.redirect(`/admin/approvals/${encodeURIComponent(c.req.param('id'))}?done=${done}`, 303);
  });
}

async function renderApproval(c: ConsoleContext, error?: string, status: ContentfulStatusCode = 200) {
  const approval = await c.var.api.get<ApprovalJson>(approvalPath(c));
  if (!approval.ok) return renderApiFailure(c, approval, 'Approval not found');
  return c.html(<ApprovalPage session={c.var.session} approval={approval.body} notice={noticeFor(c.req.query('done'), NOTICES)} error={error} />, status);
}

function approvalPath(c: ConsoleContext): string {
  return `/approvals/${encodeURIComponent(c.req.param('id') ?? '')}`;
}
