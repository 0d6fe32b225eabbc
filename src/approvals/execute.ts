import { currentPrincipal } from '../auth/authenticate';
import type { Config } from '../config/env';
import type { SecretKeys } from '../config/secrets';
import type { Database } from '../db/client';
import { toCallToolResult, type FinalOutcome } from '../mcp/results';
import { TOOLS } from '../mcp/tools';
import type { ApprovalAccess } from '../mcp/tools/types';
import { createOdooClient } from '../odoo/client';
import { checkValidity } from '../policy/validity';
import { parsedArguments } from './present';
import type { ApprovalRow } from './store';
import { log } from '../log/log';

export interface ExecuteDeps {
  db: Database;
  config: Config;
  keys: SecretKeys;
  now: number;
}

export interface Execution {
  status: 'executed' | 'failed';
  reason: string | null;
  result: Record<string, unknown> | null;
}

/** Inside an approved call nothing is held again: the person's OK is for exactly this call. */
const APPROVED: ApprovalAccess = {
  hold: async () => null,
  status: async () => ({ kind: 'invalid', message: 'approval_status is not run inside an approved call' }),
};

/**
 * Runs an approved call once, as the connection is NOW: a revoked, expired
 * or not yet valid connection runs nothing, and the tool re-checks the
 * current scope (a narrowed scope refuses the call before Odoo sees it).
 * Client IP and time window belong to the client's request and were checked
 * when the call was made; the approver's request has neither.
 */
export async function executeApproved(deps: ExecuteDeps, row: ApprovalRow): Promise<Execution> {
  const current = await currentPrincipal(row.connectionId, deps);
  if (!current) return notRun('the connection no longer exists');
  if (current.state === 'revoked') return notRun('the connection was revoked; the call was not executed');
  const { connection } = current.principal;
  const validity = checkValidity(
    {
      notBefore: connection.notBefore === null ? null : new Date(connection.notBefore).toISOString(),
      expiresAt: connection.expiresAt === null ? null : new Date(connection.expiresAt).toISOString(),
    },
    new Date(deps.now),
  );
  if (current.state === 'expired' || validity.effect !== 'allow') return notRun('the connection is expired or not valid now; the call was not executed');
  const tool = TOOLS.find((candidate) => candidate.name === row.tool);
  if (!tool) return notRun(`the tool '${row.tool}' no longer exists`);
  const args = parsedArguments(row);
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return notRun('the stored arguments no longer fit the tool');

  let outcome: FinalOutcome;
  try {
    outcome = await tool.run(parsed.data, {
      principal: current.principal,
      odoo: createOdooClient(current.principal.odoo, { timeoutMs: deps.config.ODOO_TIMEOUT_MS }),
      now: new Date(deps.now),
      fields: new Map(),
      effects: [],
      approvals: APPROVED,
    });
  } catch (error) {
    log.error({ msg: 'approved call failed', approval: row.id, tool: row.tool, error: String(error) });
    outcome = { kind: 'internal' };
  }
  const result = toCallToolResult(outcome, {
    model: typeof args.model === 'string' ? args.model : undefined,
    method: typeof args.method === 'string' ? args.method : undefined,
  }) as Record<string, unknown>;
  if (outcome.kind === 'ok') return { status: 'executed', reason: null, result };
  const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? 'the call failed';
  const reason = outcome.kind === 'denied' ? `the connection's current scope refuses the call: ${text}` : text;
  return { status: 'failed', reason, result };
}

function notRun(reason: string): Execution {
  return {
    status: 'failed',
    reason,
    result: { isError: true, content: [{ type: 'text', text: `Not executed: ${reason}.` }], structuredContent: { error: { type: 'approval', code: 'approval_failed', message: reason } } },
  };
}
