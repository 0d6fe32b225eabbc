import { z } from 'zod';
import { APPROVAL_STATUSES } from '../approvals/store';

export const MAX_APPROVAL_NOTE = 1000;

export const listApprovalsQuerySchema = z.strictObject({
  status: z.enum(APPROVAL_STATUSES).optional(),
  connection_id: z.string().min(1).max(100).optional(),
  model: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional().meta({ description: 'next_cursor of the previous page, with the same filters' }),
});

export const decideApprovalSchema = z.strictObject({
  note: z.string().trim().max(MAX_APPROVAL_NOTE, { error: `note must be at most ${MAX_APPROVAL_NOTE} characters` }).optional(),
});

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

export const approvalSummarySchema = z.object({
  id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  connection: z.object({ id: z.string(), name: z.string().nullable() }),
  tool: z.string(),
  model: z.string().nullable(),
  method: z.string().nullable(),
  rule: z.string().meta({ description: 'Which approval rule held the call, in words' }),
  requested_at: isoTime,
  expires_at: isoTime,
  decided_by: z.string().nullable(),
  decided_at: isoTime.nullable(),
  note: z.string().nullable(),
  executed_at: isoTime.nullable(),
});

export const approvalSchema = approvalSummarySchema.extend({
  arguments: z.record(z.string(), z.unknown()).meta({ description: 'The exact arguments the call runs with when approved' }),
  digest: z.string().meta({ description: 'SHA-256 of the canonical {tool, arguments}' }),
  rule_detail: z.object({ index: z.number().int(), rule: z.unknown() }),
  would_change: z.string(),
  reason: z.string().nullable().meta({ description: 'Why it failed or did not run' }),
  result: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The tool answer of the execution' }),
});

export const approvalListSchema = z.object({ items: z.array(approvalSummarySchema), next_cursor: z.string().nullable() });

export type ApprovalSummaryJson = z.infer<typeof approvalSummarySchema>;
export type ApprovalJson = z.infer<typeof approvalSchema>;
