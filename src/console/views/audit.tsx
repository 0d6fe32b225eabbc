import type { AuditEventJson } from '../api-types';
import type { ConsoleSession } from '../session';
import { ListHead, Notice, SelectFilter, Time } from './components';
import { Layout } from './layout';

export type AuditFilters = {
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
    <table class="list audit">
      <ListHead columns={['Time', props.showConnection ? 'Connection' : null, 'What', 'Model', 'Outcome', 'Client', 'Latency']} />
      <tbody>
        {props.events.map((event) => (
          <tr data-event-id={event.id}>
            <td>
              <Time iso={event.at} />
            </td>
            {props.showConnection ? (
              <td>
                {event.connection_id ? <a href={`/admin/connections/${encodeURIComponent(event.connection_id)}`}>{event.connection_name ?? event.connection_id}</a> : '—'}
                {event.key_public_id ? (
                  <div class="muted small">
                    <code>{event.key_public_id}</code>
                  </div>
                ) : null}
              </td>
            ) : null}
            <td>
              <span class="muted small">{event.kind}</span> <code>{event.tool ?? event.method ?? '—'}</code>
            </td>
            <td>{event.model ? <code>{event.model}</code> : '—'}</td>
            <td>
              <span class={`badge badge-outcome-${event.outcome}`}>{event.outcome}</span>
              {event.reason ? <div class="small">{event.reason}</div> : null}
              {event.odoo_error ? <div class="small">{event.odoo_error}</div> : null}
            </td>
            <td class="small">
              {event.mcp_client_name ? `${event.mcp_client_name} ${event.mcp_client_version ?? ''}` : ''}
              {event.client_ip ? <div class="muted">{event.client_ip}</div> : null}
            </td>
            <td class="small">{event.latency_ms === null || event.latency_ms === undefined ? '' : `${event.latency_ms} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditPage(props: { session: ConsoleSession; filters: AuditFilters; events: AuditEventJson[]; nextCursor: string | null; error?: string }) {
  const { filters } = props;
  const query = (extra: Record<string, string>) =>
    new URLSearchParams(Object.entries({ ...filters, ...extra }).filter(([, value]) => value !== '')).toString();
  return (
    <Layout title="Audit log" session={props.session} section="audit">
      <div class="page-head">
        <h1>Audit log</h1>
        <a class="button" href={`/admin/audit/export.csv?${query({ cursor: '' })}`} download>
          Download CSV
        </a>
      </div>
      <form method="get" action="/admin/audit" class="filters" aria-label="Filter audit events">
        <div class="field">
          <label for="audit-connection">Connection id</label>
          <input id="audit-connection" name="connection_id" value={filters.connection_id} placeholder="con_…" />
        </div>
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
        <div class="field">
          <label for="audit-from">From (UTC)</label>
          <input id="audit-from" name="from" type="datetime-local" value={filters.from} />
        </div>
        <div class="field">
          <label for="audit-to">To (UTC)</label>
          <input id="audit-to" name="to" type="datetime-local" value={filters.to} />
        </div>
        <button type="submit" class="button">
          Apply
        </button>
      </form>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {props.events.length === 0 && !props.error ? <p class="empty">No audit events match these filters.</p> : null}
      {props.events.length ? <AuditTable events={props.events} showConnection /> : null}
      <nav class="pager" aria-label="Pages">
        {filters.cursor ? <a href={`/admin/audit?${query({ cursor: '' })}`}>First page</a> : null}
        {props.nextCursor ? (
          <a href={`/admin/audit?${query({ cursor: props.nextCursor })}`} rel="next">
            Next page
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
