import type { AuditEventJson, ConnectionJson, ConnectionUsageJson, SessionJson } from '../api-types';
import { ScopeDescription } from './scope-description';
import { odooUserLabel } from '../format';
import { describeActor } from '../../admins/actor';
import { can } from '../middleware';
import type { ConsoleSession } from '../session';
import { ConfirmAction, ListHead, Notice, StatusBadge, Time } from './components';
import type { ApprovalSummaryJson } from '../../admin/approval-schemas';
import { ConnectionApprovals } from './approvals';
import { AuditTable } from './audit';
import { Layout } from './layout';
import { OAuthClientDetails } from './oauth-client';
import { UsageChart, UsageLists } from './usage-chart';

export function ConnectionPage(props: {
  session: ConsoleSession;
  connection: ConnectionJson;
  sessions: SessionJson[] | null;
  events: AuditEventJson[] | null;
  usage: ConnectionUsageJson | null;
  approvals?: ApprovalSummaryJson[] | null;
  notice?: string;
  error?: string;
}) {
  const { connection, session } = props;
  return (
    <Layout title={connection.name} session={session} section="connections">
      <ConnectionHeader connection={connection} />
      <PageMessages notice={props.notice} error={props.error} />
      {can(session, 'operator') ? <ConnectionActions connection={connection} session={session} /> : <ReadOnlyNote session={session} />}
      <div class="columns">
        <ConnectionDetails connection={connection} />
        <ScopeSummary connection={connection} />
      </div>
      <UsageSection usage={props.usage} />
      {props.approvals !== undefined ? <ConnectionApprovals items={props.approvals} connectionId={connection.id} /> : null}
      <SessionsSection connection={connection} sessions={props.sessions} session={session} />
      <RecentEvents connection={connection} events={props.events} />
    </Layout>
  );
}

/** Where a connection's forms post: its page's own path. */
function connectionBase(connection: ConnectionJson): string {
  return `/admin/connections/${encodeURIComponent(connection.id)}`;
}

function isActive(connection: ConnectionJson): boolean {
  return connection.status !== 'revoked' && connection.status !== 'expired';
}

function ConnectionHeader(props: { connection: ConnectionJson }) {
  const { connection } = props;
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/connections">Connections</a> /
      </p>
      <div class="page-head">
        <h1>{connection.name}</h1>
        <StatusBadge status={connection.status} idleForSeconds={connection.idle_for_seconds} hasKey={connection.has_key} lastUsedAt={connection.last_used_at} />
      </div>
    </>
  );
}

function PageMessages(props: { notice?: string; error?: string }) {
  return (
    <>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? (
        <Notice kind="error" title="Nothing was changed.">
          <p>{props.error}</p>
        </Notice>
      ) : null}
    </>
  );
}

function ReadOnlyNote(props: { session: ConsoleSession }) {
  return (
    <p class="muted" id="read-only-role">
      You are signed in as a {props.session.role ?? 'viewer'}: you can look, not change. An operator or owner can edit, rotate or revoke this connection.
    </p>
  );
}

/** Edit, the key's rotate or generate, reactivate and revoke: what the connection's state allows. */
function ConnectionActions(props: { connection: ConnectionJson; session: ConsoleSession }) {
  const { connection, session } = props;
  const active = isActive(connection);
  const isKey = connection.auth === 'key';
  return (
    <section aria-labelledby="actions-title" class="card">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        <a class="button" href={`${connectionBase(connection)}/edit`}>
          Edit
        </a>
        {active && isKey && connection.has_key ? <RotateKeyAction connection={connection} session={session} /> : null}
        {active && isKey && !connection.has_key ? <GenerateKeyAction connection={connection} session={session} /> : null}
        {active || !isKey ? null : <ReactivateAction connection={connection} session={session} />}
        {active ? <RevokeAction connection={connection} session={session} /> : null}
      </div>
      {!active && !isKey ? <p class="muted">An OAuth connection is not reactivated: connect the app again, and approve it, to make a new one.</p> : null}
    </section>
  );
}

function RotateKeyAction(props: { connection: ConnectionJson; session: ConsoleSession }) {
  return (
    <ConfirmAction
      id="rotate"
      label="Rotate key"
      title="Rotate this connection's key?"
      message={
        <p>
          A new key is created and shown once. <strong>The old key will stop working immediately</strong>: every client using it gets 401 until it is given the new
          key.
        </p>
      }
      action={`${connectionBase(props.connection)}/rotate`}
      confirmLabel="Rotate key"
      session={props.session}
      hidden={{ key_public_id: props.connection.key_public_id ?? '' }}
    />
  );
}

function GenerateKeyAction(props: { connection: ConnectionJson; session: ConsoleSession }) {
  return (
    <ConfirmAction
      id="generate"
      label="Generate key"
      title="Generate a key for this connection?"
      message={<p>A new key is created and shown once; clients can connect with it right away.</p>}
      action={`${connectionBase(props.connection)}/keys`}
      confirmLabel="Generate key"
      session={props.session}
    />
  );
}

function ReactivateAction(props: { connection: ConnectionJson; session: ConsoleSession }) {
  return (
    <ConfirmAction
      id="reactivate"
      label="Reactivate"
      title="Reactivate this connection?"
      message={
        <>
          <p>The connection becomes active again, without a key: no client can use it until you generate a new key.</p>
          {props.connection.status === 'expired' ? <ReactivateValidity /> : null}
        </>
      }
      action={`${connectionBase(props.connection)}/reactivate`}
      confirmLabel="Reactivate"
      session={props.session}
    />
  );
}

/** An expired connection needs a new end of validity to be usable again. */
function ReactivateValidity() {
  return (
    <fieldset>
      <legend>Its validity ended. New validity:</legend>
      <label class="check">
        <input type="radio" name="validity" value="none" checked /> No expiry
      </label>
      <label class="check">
        <input type="radio" name="validity" value="days" /> Valid for
        <input type="number" name="valid_for_days" min="1" max="3650" size={5} aria-label="Number of days" /> days
      </label>
    </fieldset>
  );
}

function RevokeAction(props: { connection: ConnectionJson; session: ConsoleSession }) {
  const isKey = props.connection.auth === 'key';
  return (
    <ConfirmAction
      id="revoke"
      label="Revoke"
      title="Revoke this connection?"
      message={
        <>
          <p>
            <strong>{isKey ? 'The key' : 'Its OAuth access and refresh tokens'} will stop working immediately</strong>, its live MCP sessions are ended and its pending approval requests expire. The connection and
            its audit history are kept{isKey ? ', and you can reactivate it later' : ''}.
          </p>
          <div class="field">
            <label for="revoke-reason">Reason (optional, kept in the audit trail)</label>
            <input id="revoke-reason" name="reason" type="text" maxlength={500} />
          </div>
        </>
      }
      action={`${connectionBase(props.connection)}/revoke`}
      confirmLabel="Revoke"
      session={props.session}
      danger
    />
  );
}

function ConnectionDetails(props: { connection: ConnectionJson }) {
  const { connection } = props;
  return (
    <section aria-labelledby="details-title" class="card">
      <h2 id="details-title">Details</h2>
      <dl class="details">
        <CredentialDetails connection={connection} />
        <dt>Odoo user</dt>
        <dd>{odooUserLabel(connection.odoo_user)}</dd>
        <dt>Last used</dt>
        <dd>
          <Time iso={connection.last_used_at} empty="Never" />
        </dd>
        <dt>Last client</dt>
        <dd>{connection.last_client ? `${connection.last_client.name} ${connection.last_client.version ?? ''}` : '—'}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={connection.created_at} />
        </dd>
        <dt>Created by</dt>
        <dd>
          <ActorOrNotRecorded actor={connection.created_by} />
        </dd>
        <ValidityDetails connection={connection} />
        <dt>Connection id</dt>
        <dd>
          <code>{connection.id}</code>
        </dd>
      </dl>
    </section>
  );
}

/** The OAuth app it was granted to, or its key id. */
function CredentialDetails(props: { connection: ConnectionJson }) {
  const { connection } = props;
  if (connection.oauth) return <OAuthClientDetails oauth={connection.oauth} />;
  return (
    <>
      <dt>Key id</dt>
      <dd>
        <code>{connection.key_public_id ?? '—'}</code>
        {connection.has_key ? null : <span class="muted"> (no usable key)</span>}
      </dd>
    </>
  );
}

/** When it starts and ends, and when and why it was revoked or expired. */
function ValidityDetails(props: { connection: ConnectionJson }) {
  const { connection } = props;
  return (
    <>
      <dt>Valid from</dt>
      <dd>
        <Time iso={connection.not_before} empty="Creation" />
      </dd>
      <dt>Expires</dt>
      <dd>
        <Time iso={connection.expires_at} empty="Never" />
      </dd>
      {connection.revoked_at ? (
        <>
          <dt>Revoked</dt>
          <dd>
            <Time iso={connection.revoked_at} />
          </dd>
          <dt>Revoked by</dt>
          <dd>
            <ActorOrNotRecorded actor={connection.revoked_by} />
          </dd>
          <dt>Revoke reason</dt>
          <dd>{connection.revoke_reason ?? <span class="muted">none given</span>}</dd>
        </>
      ) : null}
      {connection.expired_at ? (
        <>
          <dt>Expired</dt>
          <dd>
            <Time iso={connection.expired_at} />
          </dd>
        </>
      ) : null}
    </>
  );
}

function ActorOrNotRecorded(props: { actor: ConnectionJson['created_by'] }) {
  return props.actor ? describeActor(props.actor) : <span class="muted">not recorded</span>;
}

function ScopeSummary(props: { connection: ConnectionJson }) {
  const { connection } = props;
  return (
    <section aria-labelledby="scope-title" class="card">
      <h2 id="scope-title">Scope</h2>
      <p>{connection.scope_summary}</p>
      <ScopeDescription scope={connection.scope} />
      <pre class="snippet">
        <code>{JSON.stringify(connection.scope, null, 2)}</code>
      </pre>
    </section>
  );
}

function UsageSection(props: { usage: ConnectionUsageJson | null }) {
  return (
    <section aria-labelledby="usage-title" class="card">
      <h2 id="usage-title">Usage, last 7 days</h2>
      {props.usage === null ? (
        <p class="muted">Usage could not be loaded.</p>
      ) : (
        <>
          <UsageChart usage={props.usage} />
          <UsageLists usage={props.usage} />
        </>
      )}
    </section>
  );
}

function SessionsSection(props: { connection: ConnectionJson; sessions: SessionJson[] | null; session: ConsoleSession }) {
  return (
    <section aria-labelledby="sessions-title" class="card">
      <h2 id="sessions-title">MCP sessions</h2>
      {props.sessions === null ? (
        <p class="muted">Sessions could not be loaded.</p>
      ) : props.sessions.length === 0 ? (
        <p class="muted">No MCP sessions.</p>
      ) : (
        <table class="list">
          <ListHead columns={['Session', 'Client', 'Started', 'State']} actions />
          <tbody>
            {props.sessions.map((mcpSession) => (
              <SessionRow connection={props.connection} mcpSession={mcpSession} session={props.session} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One MCP session; `session` is the admin's console session. */
function SessionRow(props: { connection: ConnectionJson; mcpSession: SessionJson; session: ConsoleSession }) {
  const { mcpSession } = props;
  return (
    <tr>
      <td>
        <code>{mcpSession.id.slice(0, 12)}…</code>
      </td>
      <td>{clientOf(mcpSession)}</td>
      <td>
        <Time iso={mcpSession.created_at} />
      </td>
      <td>
        {mcpSession.open ? (
          <span class="badge badge-connected">Open</span>
        ) : (
          <>
            <Time iso={mcpSession.ended_at} /> <span class="muted small">{mcpSession.ended_reason ?? ''}</span>
          </>
        )}
      </td>
      <td>{!mcpSession.open || !can(props.session, 'operator') ? null : <EndSessionAction connection={props.connection} mcpSession={mcpSession} session={props.session} />}</td>
    </tr>
  );
}

function EndSessionAction(props: { connection: ConnectionJson; mcpSession: SessionJson; session: ConsoleSession }) {
  return (
    <ConfirmAction
      id={`end-${props.mcpSession.id}`}
      label="End session"
      title="End this MCP session?"
      message={<p>The client's session ends now and it has to initialize again. The key keeps working.</p>}
      action={`${connectionBase(props.connection)}/sessions/${encodeURIComponent(props.mcpSession.id)}/end`}
      confirmLabel="End session"
      session={props.session}
    />
  );
}

function clientOf(session: SessionJson): string {
  const { name, version } = session.client;
  return name ? `${name}${version ? ` ${version}` : ''}` : '—';
}

function RecentEvents(props: { connection: ConnectionJson; events: AuditEventJson[] | null }) {
  return (
    <section aria-labelledby="events-title" class="card">
      <h2 id="events-title">Recent audit events</h2>
      {props.events === null ? (
        <p class="muted">Audit events could not be loaded.</p>
      ) : props.events.length === 0 ? (
        <p class="muted">No audit events yet.</p>
      ) : (
        <AuditTable events={props.events} showConnection={false} />
      )}
      <p>
        <a href={`/admin/audit?connection_id=${encodeURIComponent(props.connection.id)}`}>All audit events of this connection</a>
      </p>
    </section>
  );
}
