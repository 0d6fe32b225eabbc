import type { AuditEventJson, ValidationIssue } from '../api-types';
import type { ConnectionChoice } from '../audit-connection';
import { STATUS_LABELS } from '../format';
import type { ConsoleSession } from '../session';
import { ListHead, Notice, SelectFilter, Time } from './components';
import { Layout } from './layout';

export type AuditFilters = {
  /** What the admin typed: a connection's name or id. */
  connection: string;
  /** The connection the filter resolved to, or the one a link named. */
  connection_id: string;
  kind: string;
  outcome: string;
  model: string;
  tool: string;
  from: string;
  to: string;
  cursor: string;
};

export function AuditTable(props: { events: AuditEventJson[]; showConnection: boolean }) {
  return (
    <table class="list audit stack">
      <ListHead columns={['Time', props.showConnection ? 'Connection' : null, 'What', 'Model', 'Outcome', 'Client', 'Latency']} />
      <tbody>
        {props.events.map((event) => (
          <tr data-event-id={event.id}>
            <td data-label="Time">
              <Time iso={event.at} />
            </td>
            {props.showConnection ? (
              <td data-label="Connection">
                {event.connection_id ? <a href={`/admin/connections/${encodeURIComponent(event.connection_id)}`}>{event.connection_name ?? event.connection_id}</a> : '—'}
                {event.key_public_id ? (
                  <div class="muted small">
                    <code>{event.key_public_id}</code>
                  </div>
                ) : null}
              </td>
            ) : null}
            <td data-label="What">
              <span class="muted small">{event.kind}</span> <code>{event.tool ?? event.method ?? '—'}</code>
            </td>
            <td data-label="Model">{event.model ? <code>{event.model}</code> : '—'}</td>
            <td data-label="Outcome">
              <span class={`badge badge-outcome-${event.outcome}`}>{event.outcome}</span>
              {event.reason ? <div class="small">{event.reason}</div> : null}
              {event.odoo_error ? <div class="small">{event.odoo_error}</div> : null}
            </td>
            <td class="small" data-label="Client">
              {event.mcp_client_name ? `${event.mcp_client_name} ${event.mcp_client_version ?? ''}` : ''}
              {event.client_ip ? <div class="muted">{event.client_ip}</div> : null}
            </td>
            <td class="small" data-label="Latency">{event.latency_ms === null || event.latency_ms === undefined ? '' : `${event.latency_ms} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FILTER_LABELS: Record<string, string> = {
  connection_id: 'Connection',
  kind: 'Kind',
  outcome: 'Outcome',
  model: 'Model',
  tool: 'Tool',
  from: 'From (UTC)',
  to: 'To (UTC)',
};

/** An API refusal of a filter, named by the field's label: "To (UTC) must be later than From (UTC)". */
export function filterIssueInWords(issue: ValidationIssue, filters: AuditFilters): string {
  const label = FILTER_LABELS[issue.path] ?? issue.path;
  if (issue.path === 'to' && issue.message === 'must be later than from') return `To (UTC) must be later than From (UTC), got ${filters.from.replace('T', ' ')} to ${filters.to.replace('T', ' ')}`;
  const value = (filters as Record<string, string>)[issue.path];
  return `${label} ${issue.message}${value && !issue.message.includes(value) ? `, got ${value}` : ''}`;
}

function ConnectionChoiceNotice(props: { choice: ConnectionChoice; link: (id: string) => string }) {
  const { choice } = props;
  if (choice.kind === 'found' && choice.partial) {
    return (
      <Notice kind="info">
        <p>
          Showing the events of “{choice.name}”, the one connection whose name contains “{choice.partial}”.
        </p>
      </Notice>
    );
  }
  if (choice.kind !== 'ambiguous') return null;
  return (
    <Notice kind="warning" title={choice.exact ? `${choice.candidates.length} connections are named “${choice.typed}”: pick one.` : `No connection is named “${choice.typed}”; these names contain it: pick one.`}>
      <ul class="candidates">
        {choice.candidates.map((candidate) => (
          <li>
            <a href={props.link(candidate.id)}>{candidate.name}</a>{' '}
            <span class="muted small">
              {candidate.key_public_id ? <code>{candidate.key_public_id}</code> : null} {STATUS_LABELS[candidate.status] ?? candidate.status}
            </span>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

export function AuditPage(props: {
  session: ConsoleSession;
  filters: AuditFilters;
  connectionNames: string[];
  choice: ConnectionChoice;
  events: AuditEventJson[];
  nextCursor: string | null;
  error?: string;
  issues?: ValidationIssue[];
}) {
  const { filters, choice } = props;
  const query = auditQuery(filters);
  const listed = choice.kind === 'found' || choice.kind === 'none';
  return (
    <Layout title="Audit log" session={props.session} section="audit">
      <div class="page-head">
        <h1>Audit log</h1>
        {listed ? (
          <a class="button" href={`/admin/audit/export.csv?${query({ cursor: '' })}`} download>
            Download CSV
          </a>
        ) : null}
      </div>
      <AuditFilterForm filters={filters} connectionNames={props.connectionNames} issuesBy={issuesByField(filters, choice, props.issues)} />
      <ConnectionChoiceNotice choice={choice} link={(id) => `/admin/audit?${query({ connection_id: id, cursor: '' })}`} />
      {props.error ? <AuditErrorNotice error={props.error} issues={props.issues} filters={filters} /> : null}
      {choice.kind === 'not_found' || choice.kind === 'refused' ? <p class="empty">Nothing is listed: no connection fits the connection filter. Check the name, or clear the filter.</p> : null}
      {props.events.length === 0 && !props.error && listed ? <p class="empty">No audit events match these filters.</p> : null}
      {props.events.length ? <AuditTable events={props.events} showConnection /> : null}
      <AuditPager cursor={filters.cursor} nextCursor={props.nextCursor} query={query} />
    </Layout>
  );
}

/** The page's query with some filters changed. Links carry the connection as its id: a name may stand for another connection tomorrow. */
function auditQuery(filters: AuditFilters): (extra: Partial<AuditFilters>) => string {
  return (extra) => new URLSearchParams(Object.entries({ ...filters, connection: '', ...extra }).filter(([, value]) => value !== '')).toString();
}

/** Each filter's problems in words, by the API's field name; the connection filter's own problem first. */
function issuesByField(filters: AuditFilters, choice: ConnectionChoice, issues: ValidationIssue[] | undefined): Map<string, string[]> {
  const issuesBy = new Map<string, string[]>();
  for (const issue of issues ?? []) issuesBy.set(issue.path, [...(issuesBy.get(issue.path) ?? []), filterIssueInWords(issue, filters)]);
  const connectionProblem = connectionChoiceProblem(choice);
  if (connectionProblem) issuesBy.set('connection_id', [connectionProblem, ...(issuesBy.get('connection_id') ?? [])]);
  return issuesBy;
}

function connectionChoiceProblem(choice: ConnectionChoice): string | undefined {
  if (choice.kind === 'not_found') return `No connection is named “${choice.typed}”, and no name contains it.`;
  if (choice.kind === 'refused') return choice.message;
  if (choice.kind === 'ambiguous') return `“${choice.typed}” fits more than one connection: pick one below.`;
  return undefined;
}

function AuditFilterForm(props: { filters: AuditFilters; connectionNames: string[]; issuesBy: Map<string, string[]> }) {
  const { filters, issuesBy } = props;
  const filtered = Object.entries(filters).some(([name, value]) => name !== 'cursor' && value !== '');
  return (
    <form method="get" action="/admin/audit" class="filters" aria-label="Filter audit events">
      <ConnectionFilter filters={filters} connectionNames={props.connectionNames} errors={issuesBy.get('connection_id')} />
      <SelectFilter
        id="audit-kind"
        name="kind"
        label="Kind"
        any="Any"
        options={[
          ['mcp', 'MCP calls'],
          ['admin', 'Admin actions'],
          ['system', 'System (cron)'],
        ]}
        selected={filters.kind}
      />
      <SelectFilter
        id="audit-outcome"
        name="outcome"
        label="Outcome"
        any="Any"
        options={['allowed', 'denied', 'error'].map((outcome) => [outcome, outcome] as const)}
        selected={filters.outcome}
      />
      <div class="field">
        <label for="audit-model">Model</label>
        <input id="audit-model" name="model" value={filters.model} placeholder="res.partner" />
      </div>
      <div class="field">
        <label for="audit-tool">Tool</label>
        <input id="audit-tool" name="tool" value={filters.tool} placeholder="search_records" />
      </div>
      <TimeFilter id="audit-from" name="from" label="From (UTC)" value={filters.from} errors={issuesBy.get('from')} />
      <TimeFilter id="audit-to" name="to" label="To (UTC)" value={filters.to} errors={issuesBy.get('to')} />
      <div class="filter-actions">
        <button type="submit" class="button">
          Apply
        </button>
        {filtered ? <a href="/admin/audit">Clear filters</a> : null}
      </div>
    </form>
  );
}

/** The connection filter: a name or id, with the names offered as suggestions. */
function ConnectionFilter(props: { filters: AuditFilters; connectionNames: string[]; errors: string[] | undefined }) {
  return (
    <div class="field">
      <label for="audit-connection">Connection</label>
      <input
        id="audit-connection"
        name="connection"
        value={props.filters.connection || props.filters.connection_id}
        placeholder="Name or con_… id"
        list="audit-connection-names"
        autocomplete="off"
        {...invalidAttributes('audit-connection', props.errors)}
      />
      <datalist id="audit-connection-names">
        {props.connectionNames.map((name) => (
          <option value={name}></option>
        ))}
      </datalist>
      <FilterErrors id="audit-connection" errors={props.errors} />
    </div>
  );
}

function TimeFilter(props: { id: string; name: string; label: string; value: string; errors: string[] | undefined }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.name} type="datetime-local" value={props.value} {...invalidAttributes(props.id, props.errors)} />
      <FilterErrors id={props.id} errors={props.errors} />
    </div>
  );
}

function AuditErrorNotice(props: { error: string; issues?: ValidationIssue[]; filters: AuditFilters }) {
  return (
    <Notice kind="error" title={props.error}>
      {props.issues?.length ? (
        <ul>
          {(props.issues ?? []).map((issue) => (
            <li>{filterIssueInWords(issue, props.filters)}</li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

function AuditPager(props: { cursor: string; nextCursor: string | null; query: (extra: Partial<AuditFilters>) => string }) {
  return (
    <nav class="pager" aria-label="Pages">
      {props.cursor ? <a href={`/admin/audit?${props.query({ cursor: '' })}`}>First page</a> : null}
      {props.nextCursor ? (
        <a href={`/admin/audit?${props.query({ cursor: props.nextCursor })}`} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}

function invalidAttributes(id: string, errors: string[] | undefined) {
  return errors?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-errors` } : {};
}

function FilterErrors(props: { id: string; errors: string[] | undefined }) {
  if (!props.errors?.length) return null;
  return (
    <ul class="field-errors" id={`${props.id}-errors`}>
      {props.errors.map((error) => (
        <li>{error}</li>
      ))}
    </ul>
  );
}
