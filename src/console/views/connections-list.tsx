import type { ConnectionRow, UsageSeriesJson } from '../api-types';
import { can } from '../middleware';
import { lastUsedGroup, STATUS_LABELS } from '../format';
import type { ConsoleSession } from '../session';
import { ListHead, Notice, SelectFilter, StatusBadge, Time } from './components';
import { OAuthClientCell } from './oauth-client';
import { Layout } from './layout';
import { Sparkline } from './usage-chart';

export type ListFilters = {
  status: string;
  q: string;
  sort: string;
  cursor: string;
};

const SORTS = [
  { value: 'last_used', label: 'Last used (longest idle first)' },
  { value: 'created', label: 'Created (newest first)' },
  { value: 'name', label: 'Name' },
];

export function ConnectionsListPage(props: {
  session: ConsoleSession;
  filters: ListFilters;
  rows: ConnectionRow[];
  /** Each row's last 7 days, from one query for the page; null when it could not be loaded. */
  usage: Map<string, UsageSeriesJson> | null;
  nextCursor: string | null;
  now: number;
  error?: string;
  notice?: string;
}) {
  const { filters } = props;
  const grouped = filters.sort === 'last_used';
  return (
    <Layout title="Connections" session={props.session} section="connections">
      <div class="page-head">
        <h1>Connections</h1>
        {can(props.session, 'operator') ? (
          <div class="actions">
            <a class="button" href="/admin/connections/invitations/new">
              Invite someone (OAuth)
            </a>
            <a class="button primary" href="/admin/connections/new">
              Connect a new tool
            </a>
          </div>
        ) : null}
      </div>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ListFilterForm filters={filters} />
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {props.rows.length === 0 && !props.error ? (
        <p class="empty">{filters.q || filters.status ? 'No connection matches these filters.' : 'No connections yet. Connect a new tool to create the first key.'}</p>
      ) : null}
      {props.rows.length ? (
        <table class="list stack" id="connections">
          <caption class="visually-hidden">Connections{grouped ? ', grouped by last use' : ''}</caption>
          <ListHead columns={['Name', 'Status', 'Last used', 'Expires', 'Last 7 days', 'Key id or app', 'Last client', 'Created']} />
          {groupRows(props.rows, grouped, props.now).map((group) => (
            <tbody>
              {grouped ? (
                <tr class="group">
                  <th scope="rowgroup" colspan={8}>
                    {group.label}
                  </th>
                </tr>
              ) : null}
              {group.rows.map((row) => (
                <ConnectionListRow row={row} usage={props.usage?.get(row.id)} now={props.now} />
              ))}
            </tbody>
          ))}
        </table>
      ) : null}
      <ListPager filters={filters} nextCursor={props.nextCursor} />
    </Layout>
  );
}

/** Consecutive rows with the same last-used label, when the list is sorted by last use; one group otherwise. */
function groupRows(rows: ConnectionRow[], grouped: boolean, now: number): { label: string; rows: ConnectionRow[] }[] {
  const groups: { label: string; rows: ConnectionRow[] }[] = [];
  for (const row of rows) {
    const label = grouped ? lastUsedGroup(row.last_used_at, now) : '';
    const last = groups.at(-1);
    if (last && last.label === label) last.rows.push(row);
    else groups.push({ label, rows: [row] });
  }
  return groups;
}

function ListFilterForm(props: { filters: ListFilters }) {
  const { filters } = props;
  return (
    /* biome-ignore lint/a11y/useSemanticElements: a GET form in the search landmark; the <search> element would need the form inside it for the same effect. */
    <form method="get" action="/admin/connections" class="filters" role="search" aria-label="Filter connections">
      <div class="field">
        <label for="filter-q">Name</label>
        <input id="filter-q" name="q" type="search" value={filters.q} placeholder="Search by name" />
      </div>
      <SelectFilter id="filter-status" name="status" label="Status" any="Any status" options={Object.entries(STATUS_LABELS)} selected={filters.status} />
      <SelectFilter id="filter-sort" name="sort" label="Sort by" options={SORTS.map((sort) => [sort.value, sort.label] as const)} selected={filters.sort} />
      <button type="submit" class="button">
        Apply
      </button>
    </form>
  );
}

function ConnectionListRow(props: { row: ConnectionRow; usage: UsageSeriesJson | undefined; now: number }) {
  const { row, now } = props;
  return (
    <tr data-connection-id={row.id}>
      <td class="cell-primary">
        <a href={`/admin/connections/${encodeURIComponent(row.id)}`}>{row.name}</a>
        {row.scope_summary ? <div class="muted small">{row.scope_summary}</div> : null}
      </td>
      <td data-label="Status">
        <StatusBadge status={row.status} idleForSeconds={row.idle_for_seconds} hasKey={row.has_key} lastUsedAt={row.last_used_at} />
      </td>
      <td data-label="Last used">
        <Time iso={row.last_used_at} empty="Never" now={now} />
      </td>
      <td data-label="Expires">
        <Time iso={row.expires_at} empty="Never" now={now} />
      </td>
      <td data-label="Last 7 days" class="cell-usage">
        {props.usage ? <Sparkline usage={props.usage} /> : <span class="muted">—</span>}
      </td>
      <td data-label="Key id or app">{row.oauth ? <OAuthClientCell oauth={row.oauth} now={now} /> : <code>{row.key_public_id ?? '—'}</code>}</td>
      <td data-label="Last client">{row.last_client ? `${row.last_client.name}${row.last_client.version ? ` ${row.last_client.version}` : ''}` : <span class="muted">—</span>}</td>
      <td data-label="Created">
        <Time iso={row.created_at} now={now} />
      </td>
    </tr>
  );
}

function ListPager(props: { filters: ListFilters; nextCursor: string | null }) {
  const { filters } = props;
  const nextQuery = new URLSearchParams({ ...withoutEmpty(filters), cursor: props.nextCursor ?? '' });
  const firstQuery = new URLSearchParams(withoutEmpty({ ...filters, cursor: '' }));
  return (
    <nav class="pager" aria-label="Pages">
      {filters.cursor ? <a href={`/admin/connections?${firstQuery}`}>First page</a> : null}
      {props.nextCursor ? (
        <a href={`/admin/connections?${nextQuery}`} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}

function withoutEmpty(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}
