import { z } from 'zod';
import { defineTool } from './types';

export const approvalStatus = defineTool({
  name: 'approval_status',
  title: 'Approval status',
  description:
    'Tell whether a call held for approval (approval_id apr_…) is still pending, was approved and executed (with its result), denied (with the approver\'s note), expired or failed. Only approvals of this connection.',
  operations: [],
  listedFor: (scope) => (scope.approvals?.length ?? 0) > 0,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.object({
    approval_id: z.string().regex(/^apr_[0-9a-f]{32}$/, "an approval id such as 'apr_…' from a held call").describe('The approval_id a held call answered with.'),
  }),
  run: (args, ctx) => ctx.approvals.status(args.approval_id),
});
