import { createConnection, type BenchEnvironment } from '../environment';
import { callTool, openSession, type McpSession } from '../mcp';

export interface OdooCallsRow {
  tool: string;
  scope: 'full' | 'record domain';
  /** What the call does, in a few words. */
  call: string;
  odooCalls: number;
  /** model.method of each request the stand-in received. */
  odooMethods: string[];
  expected: number;
  /** Set when the call was not the expected success. */
  error: string | null;
}

/** A scope that reaches res.partner only through a record domain, so calls by id need a check. */
export const DOMAIN_SCOPE = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report'],
  models: { 'res.partner': { domain: [['is_company', '=', true]], methods: ['message_post'] } },
};

interface Step {
  tool: string;
  call: string;
  args: (ids: Record<string, number>) => Record<string, unknown>;
  expected: number;
  /** Keeps an id from the answer for later steps. */
  keep?: string;
}

const FULL_STEPS: Step[] = [
  { tool: 'search_records', call: 'res.partner, 5 records, 3 fields', args: () => ({ model: 'res.partner', fields: ['name', 'email', 'is_company'], limit: 5 }), expected: 1, keep: 'partner' },
  { tool: 'count_records', call: 'res.partner, companies', args: () => ({ model: 'res.partner', domain: [['is_company', '=', true]] }), expected: 1 },
  { tool: 'read_records', call: 'res.partner, one id', args: (ids) => ({ model: 'res.partner', ids: [ids.partner], fields: ['name'] }), expected: 1 },
  { tool: 'create_records', call: 'crm.lead, one record', args: () => ({ model: 'crm.lead', values: { name: 'Benchmark lead' } }), expected: 2, keep: 'lead' },
  { tool: 'update_records', call: 'crm.lead, one id', args: (ids) => ({ model: 'crm.lead', ids: [ids.lead], values: { name: 'Benchmark lead, renamed' } }), expected: 2 },
  { tool: 'call_method', call: 'res.partner message_post, one id', args: (ids) => ({ model: 'res.partner', method: 'message_post', ids: [ids.partner], kwargs: { body: 'Benchmark note' } }), expected: 1 },
  { tool: 'delete_records', call: 'crm.lead, one id', args: (ids) => ({ model: 'crm.lead', ids: [ids.lead] }), expected: 1 },
  { tool: 'list_models', call: 'all models', args: () => ({}), expected: 1 },
  { tool: 'describe_model', call: 'res.partner', args: () => ({ model: 'res.partner' }), expected: 1 },
  { tool: 'aggregate_records', call: 'res.partner by is_company', args: () => ({ model: 'res.partner', group_by: ['is_company'], aggregates: ['__count'] }), expected: 1 },
  {
    tool: 'search_records',
    call: 'crm.lead, domain through a relation (partner_id.is_company)',
    args: () => ({ model: 'crm.lead', domain: [['partner_id.is_company', '=', true]], fields: ['name'], limit: 5 }),
    expected: 2,
  },
];

const DOMAIN_STEPS: Step[] = [
  { tool: 'create_records', call: 'res.partner, a company', args: () => ({ model: 'res.partner', values: { name: 'Benchmark Company', is_company: true } }), expected: 2, keep: 'company' },
  { tool: 'read_records', call: 'res.partner, one id', args: (ids) => ({ model: 'res.partner', ids: [ids.company], fields: ['name'] }), expected: 2 },
  { tool: 'update_records', call: 'res.partner, one id', args: (ids) => ({ model: 'res.partner', ids: [ids.company], values: { name: 'Benchmark Company, renamed' } }), expected: 3 },
  { tool: 'call_method', call: 'res.partner message_post, one id', args: (ids) => ({ model: 'res.partner', method: 'message_post', ids: [ids.company], kwargs: { body: 'Benchmark note' } }), expected: 2 },
  { tool: 'delete_records', call: 'res.partner, one id', args: (ids) => ({ model: 'res.partner', ids: [ids.company] }), expected: 2 },
  { tool: 'search_records', call: 'res.partner, the domain ANDed in', args: () => ({ model: 'res.partner', fields: ['name'], limit: 5 }), expected: 1 },
];

/**
 * Figure 7: one happy-path call of every tool, counting the requests the
 * stand-in Odoo received for it (`standin.calls`, one entry per model method
 * call). Returns the two connections it made, so later figures can count them.
 */
export async function measureOdooCalls(env: BenchEnvironment, fullSession: McpSession): Promise<{ rows: OdooCallsRow[]; connectionsCreated: number }> {
  const rows = await runSteps(env, fullSession, 'full', FULL_STEPS);
  const domain = await createConnection(env, 'bench: record-domain scope', DOMAIN_SCOPE);
  const domainSession = await openSession(env.worker, domain.key);
  rows.push(...(await runSteps(env, domainSession, 'record domain', DOMAIN_STEPS)));
  return { rows, connectionsCreated: 1 };
}

async function runSteps(env: BenchEnvironment, session: McpSession, scope: OdooCallsRow['scope'], steps: Step[]): Promise<OdooCallsRow[]> {
  const ids: Record<string, number> = {};
  const rows: OdooCallsRow[] = [];
  for (const step of steps) {
    const before = env.standin.standin.calls.length;
    const answer = await callTool(env.worker, session, step.tool, step.args(ids));
    const received = env.standin.standin.calls.slice(before);
    if (step.keep && !answer.isError) ids[step.keep] = firstId(answer.structured);
    rows.push({
      tool: step.tool,
      scope,
      call: step.call,
      odooCalls: received.length,
      odooMethods: received.map((call) => `${call.model ?? call.api}.${call.method ?? ''}`),
      expected: step.expected,
      error: answer.isError ? answer.text.slice(0, 300) : null,
    });
  }
  return rows;
}

function firstId(structured: unknown): number {
  const value = structured as { ids?: number[]; records?: Array<{ id: number }> } | undefined;
  const id = value?.ids?.[0] ?? value?.records?.[0]?.id;
  if (typeof id !== 'number') throw new Error(`expected an id in ${JSON.stringify(structured).slice(0, 200)}`);
  return id;
}
