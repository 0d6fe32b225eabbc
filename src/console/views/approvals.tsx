import type { ApprovalJson, ApprovalSummaryJson } from '../../admin/approval-schemas';
import { can } from '../middleware';
import type { ConsoleSession } from '../session';
import { ConfirmAction, ListHead, Notice, SelectFilter, Time } from './components';
import { Layout } from './layout';

const STATUS_WORDS: Record<string, string> = {
  pending: 'Pending',
  approved: 'Approved, running',
  denied: 'Denied',
  expired: 'Expired',
  executed: 'Executed',
  failed: 'Failed',
};

export const APPROVAL_STATUS_OPTIONS = Object.entries(STATUS_WORDS) as Array<[string, string]>;

export function ApprovalStatus(props: { status: string }) {
  return <span class={`badge approval-${props.status}`}>{STATUS_WORDS[props.status] ?? props.status}</span>;
}

export function ApprovalsTable(props: { items: ApprovalSummaryJson[]; showConnection: boolean }) {
  return (
    <table class="list stack approvals">
      <ListHead columns={['Requested', props.showConnection ? 'Connection' : null, 'Call', 'Rule', 'Status', 'Expires']} />
      <tbody>
        {props.items.map((item) => (
          <tr data-approval-id={item.id}>
            <td data-label="Requested">
              <a href={`/admin/approvals/${encodeURIComponent(item.id)}`}>
                <Time iso={item.requested_at} />
              </a>
            </td>
            {props.showConnection ? (
              <td data-label="Connection">
                <a href={`/admin/connections/${encodeURIComponent(item.connection.id)}`}>{item.connection.name ?? item.connection.id}</a>
              </td>
            ) : null}
            <td data-label="Call">
              <code>{item.tool}</code> {item.model ? <code>{item.model}</code> : null} {item.method ? <code>{item.method}</code> : null}
            </td>
            <td data-label="Rule">{item.rule}</td>
            <td data-label="Status">
              <ApprovalStatus status={item.status} />
            </td>
            <td data-label="Expires">
              <Time iso={item.expires_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ApprovalsListPage(props: {
  session: ConsoleSession;
  status: string;
  items: ApprovalSummaryJson[];
  nextCursor: string | null;
  error?: string;
}) {
  const next = props.nextCursor ? `/admin/approvals?${new URLSearchParams({ status: props.status, cursor: props.nextCursor })}` : null;
  return (
    <Layout title="Approvals" session={props.session} section="approvals">
      <h1>Approvals</h1>
      <p class="muted">Calls a scope's approval rules hold until a person approves them. An approved call runs once, exactly as it was asked.</p>
      <form method="get" action="/admin/approvals" class="filters">
        <SelectFilter id="approval-status" name="status" label="Status" options={APPROVAL_STATUS_OPTIONS} selected={props.status} any="Any status" />
        <button type="submit" class="button">
          Filter
        </button>
      </form>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {props.items.length === 0 ? <p class="muted">No approvals{props.status ? ` with status ${STATUS_WORDS[props.status] ?? props.status}` : ''}.</p> : <ApprovalsTable items={props.items} showConnection />}
      {next ? (
        <p>
          <a href={next}>Next page</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function ApprovalPage(props: { session: ConsoleSession; approval: ApprovalJson; notice?: string; error?: string }) {
  const { approval } = props;
  return (
    <Layout title={`Approval ${approval.id}`} session={props.session} section="approvals">
      <p class="breadcrumb">
        <a href="/admin/approvals">Approvals</a> /
      </p>
      <div class="page-head">
        <h1>
          <code>{approval.tool}</code> on <code>{approval.model ?? '—'}</code>
        </h1>
        <ApprovalStatus status={approval.status} />
      </div>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <section class="card" aria-labelledby="change-title">
        <h2 id="change-title">What the call would change</h2>
        <p class="would-change">{approval.would_change}</p>
        {approval.status === 'pending' && can(props.session, 'operator') ? <ApprovalDecision approval={approval} session={props.session} /> : null}
      </section>
      <section class="card" aria-labelledby="approval-details-title">
        <h2 id="approval-details-title">Details</h2>
        <ApprovalDetails approval={approval} />
        <h3>Arguments</h3>
        <pre class="json">{JSON.stringify(approval.arguments, null, 2)}</pre>
        {approval.result ? (
          <>
            <h3>Result</h3>
            <pre class="json approval-result">{JSON.stringify(approval.result, null, 2)}</pre>
          </>
        ) : null}
      </section>
    </Layout>
  );
}

/** Approve and run, or deny, a pending call; each with a note for the client. */
function ApprovalDecision(props: { approval: ApprovalJson; session: ConsoleSession }) {
  const { approval } = props;
  const base = `/admin/approvals/${encodeURIComponent(approval.id)}`;
  return (
    <div class="actions">
      <ConfirmAction
        id="approve"
        label="Approve and run"
        title="Approve and run this call?"
        message={
          <>
            <p>
              The call runs once, now, exactly as shown, against the connection's current scope. <strong>{approval.would_change}</strong>
            </p>
            <NoteField id="approve-note" />
          </>
        }
        action={`${base}/approve`}
        confirmLabel="Approve and run"
        session={props.session}
      />
      <ConfirmAction
        id="deny"
        label="Deny"
        title="Deny this call?"
        message={
          <>
            <p>The call never runs; the client is told it was denied, with your note.</p>
            <NoteField id="deny-note" />
          </>
        }
        action={`${base}/deny`}
        confirmLabel="Deny"
        session={props.session}
        danger
      />
    </div>
  );
}

function NoteField(props: { id: string }) {
  return (
    <div class="field">
      <label for={props.id}>Note for the client (optional, kept in the audit trail)</label>
      <input id={props.id} name="note" type="text" maxlength={1000} />
    </div>
  );
}

function ApprovalDetails(props: { approval: ApprovalJson }) {
  const { approval } = props;
  return (
    <dl class="details">
      <dt>Approval</dt>
      <dd>
        <code>{approval.id}</code>
      </dd>
      <dt>Connection</dt>
      <dd>
        <a href={`/admin/connections/${encodeURIComponent(approval.connection.id)}`}>{approval.connection.name ?? approval.connection.id}</a>
      </dd>
      <dt>Rule</dt>
      <dd>
        {approval.rule} (rule {approval.rule_detail.index + 1}: <code>{JSON.stringify(approval.rule_detail.rule)}</code>)
      </dd>
      <dt>Requested</dt>
      <dd>
        <Time iso={approval.requested_at} />
      </dd>
      <dt>Expires</dt>
      <dd>
        <Time iso={approval.expires_at} />
      </dd>
      {approval.decided_by ? (
        <>
          <dt>Decided by</dt>
          <dd>
            {approval.decided_by}, <Time iso={approval.decided_at} />
          </dd>
        </>
      ) : null}
      {approval.note ? (
        <>
          <dt>Note</dt>
          <dd class="approval-note">{approval.note}</dd>
        </>
      ) : null}
      {approval.reason ? (
        <>
          <dt>Reason</dt>
          <dd class="approval-reason">{approval.reason}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The approvals of one connection, on its page. */
export function ConnectionApprovals(props: { items: ApprovalSummaryJson[] | null; connectionId: string }) {
  return (
    <section aria-labelledby="approvals-title" class="card">
      <h2 id="approvals-title">Approvals</h2>
      {props.items === null ? (
        <p class="muted">Approvals could not be loaded.</p>
      ) : props.items.length === 0 ? (
        <p class="muted">No calls of this connection were held for approval.</p>
      ) : (
        <ApprovalsTable items={props.items} showConnection={false} />
      )}
    </section>
  );
}
