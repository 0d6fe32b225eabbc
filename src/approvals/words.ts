import type { ApprovalAnswer } from '../mcp/tools/types';

/** The words a held call answers with, the same for the client and the audit trail. */
export function describeApprovalAnswer(answer: Exclude<ApprovalAnswer, { state: 'replay' }>): string {
  switch (answer.state) {
    case 'pending':
      return `Not executed: this call needs a person's approval (${answer.rule}). It waits for approval ${answer.id} until ${answer.expiresAt}. Once approved it runs once, exactly as asked; repeat this identical call or use approval_status with approval_id ${answer.id} to get its result.`;
    case 'denied':
      return `Not executed: approval ${answer.id} was denied${answer.note ? `: ${answer.note}` : ''}.`;
    case 'limit':
      return `Not executed: this call needs approval, but this connection already has ${answer.limit} approvals waiting. An admin must decide some of them first.`;
    case 'unbounded':
      return `Not executed: this call needs approval (${answer.rule}), but it changes records it does not name: the current lines of a one2many, cleared or replaced by [5], [6, 0, ids] or false. Which lines those are is known only when it runs, and an approval holds an exact call. Name the lines instead: [2, id] deletes one, [3, id] unlinks one.`;
    case 'arguments_too_large':
      return `Not executed: this call needs approval, but its arguments are ${answer.bytes} bytes and an approval stores at most ${answer.maxBytes}. Split it into smaller calls.`;
  }
}
