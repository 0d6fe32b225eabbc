import type { CallToolResult } from '@modelcontextprotocol/server';
import { describeApprovalAnswer } from '../approvals/words';
import { describeOdooFailure } from '../odoo/failures';
import { describeDenial } from '../policy/reasons';
import { MAX_RESULT_BYTES, serializedSize } from './tools/budget';
import type { ToolOutcome } from './tools/types';

export type FinalOutcome = ToolOutcome | { kind: 'internal' };

/** The one place where a tool's outcome becomes what the MCP client sees. */
export function toCallToolResult(outcome: FinalOutcome, call: { model?: string; method?: string }): CallToolResult {
  switch (outcome.kind) {
    case 'ok': {
      if (serializedSize(outcome.data) > MAX_RESULT_BYTES) {
        return failure('result_too_large', 'too_large', `The result is larger than ${MAX_RESULT_BYTES / 1024} KiB; ask for fewer records or fields.`);
      }
      return { content: [{ type: 'text', text: JSON.stringify(outcome.data) }], structuredContent: outcome.data };
    }
    case 'denied': {
      const extra = outcome.reason.code === 'rate_limited' ? { retry_after_seconds: outcome.reason.retryAfterSeconds } : {};
      return failure('denied', outcome.reason.code, `Denied: ${describeDenial(outcome.reason)}`, extra);
    }
    case 'odoo_error':
      return failure('odoo', outcome.failure.kind, describeOdooFailure(outcome.failure, call), {
        odoo_error: outcome.failure.odooName,
      });
    case 'invalid':
      return failure('invalid_arguments', 'invalid_arguments', `Invalid arguments: ${outcome.message}`);
    case 'internal':
      return failure('internal', 'internal_error', 'The gateway failed to handle this call; the failure was logged.');
    case 'approval':
      return approvalResult(outcome.answer);
  }
}

/** A held call is an error to the client (nothing ran), with the approval to wait for; a replay is the stored answer of the one execution. */
function approvalResult(answer: Extract<FinalOutcome, { kind: 'approval' }>['answer']): CallToolResult {
  switch (answer.state) {
    case 'replay':
      return answer.result as CallToolResult;
    case 'pending':
      return {
        isError: true,
        content: [{ type: 'text', text: describeApprovalAnswer(answer) }],
        structuredContent: { status: 'approval_required', approval_id: answer.id, expires_at: answer.expiresAt },
      };
    case 'denied':
      return failure('approval', 'approval_denied', describeApprovalAnswer(answer), { approval_id: answer.id, note: answer.note });
    case 'limit':
      return failure('approval', 'approval_limit', describeApprovalAnswer(answer), { limit: answer.limit });
    case 'unbounded':
      return failure('approval', 'approval_unbounded', describeApprovalAnswer(answer), { rule: answer.rule });
    case 'arguments_too_large':
      return failure('approval', 'approval_arguments_too_large', describeApprovalAnswer(answer), { bytes: answer.bytes, max_bytes: answer.maxBytes });
  }
}

function failure(type: string, code: string, message: string, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: message }],
    structuredContent: { error: { type, code, message, ...extra } },
  };
}
