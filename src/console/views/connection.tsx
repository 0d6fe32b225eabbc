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
  const { connection } = props;
  const base = `/admin/connections/${encodeURIComponent(connection.id)}`;
  const active = connection.status !== 'revoked' && connection.status !== 'expired';
  const isKey = connection.auth === 'key';
  return (
    <Layout title={connection.name} session={props.session} section="connections">
      <p class="breadcrumb">
        <a href="/admin/connections">Connections</a> /
      </p>
      <div class="page-head">
        <h1>{connection.name}</h1>
        <StatusBadge status={connection.status} idleForSeconds={connection.idle_for_seconds} hasKey={connection.has_key} lastUsedAt={connection.last_used_at} />
      </div>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? (
        <Notice kind="error" title="Nothing was changed.">
          <p>{props.error}</p>
        </Notice>
      ) : null}

      {!can(props.session, 'operator') ? (
        <p class="muted" id="read-only-role">
          You are signed in as a {props.session.role ?? 'viewer'}: you can look, not change. An operator or owner can edit, rotate or revoke this connection.
        </p>
      ) : (
      <section aria-labelledby="actions-title" class="card">
        <h2 id="actions-title">Actions</h2>
        <div class="actions">
          <a class="button" href={`${base}/edit`}>
            Edit
          </a>
          {active && isKey && connection.has_key ? (
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
              action={`${base}/rotate`}
              confirmLabel="Rotate key"
              session={props.session}
              hidden={{ key_public_id: connection.key_public_id ?? '' }}
            />
          ) : null}
          {active && isKey && !connection.has_key ? (
            <ConfirmAction
              id="generate"
              label="Generate key"
              title="Generate a key for this connection?"
              message={<p>A new key is created and shown once; clients can connect with it right away.</p>}
              action={`${base}/keys`}
              confirmLabel="Generate key"
              session={props.session}
            />
          ) : null}
          {active || !isKey ? null : (
            <ConfirmAction
              id="reactivate"
              label="Reactivate"
              title="Reactivate this connection?"
              message={
                <>
                  <p>The connection becomes active again, without a key: no client can use it until you generate a new key.</p>
                  {connection.status === 'expired' ? <ReactivateValidity /> : null}
                </>
              }
              action={`${base}/reactivate`}
              confirmLabel="Reactivate"
              session={props.session}
            />
          )}
          {active ? (
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
              action={`${base}/revoke`}
              confirmLabel="Revoke"
              session={props.session}
              danger
            />
          ) : null}
        </div>
        {!active && !isKey ? <p class="muted">An OAuth connection is not reactivated: connect the app again, and approve it, to make a new one.</p> : null}
      </section>
      )}

      <div class="columns">
        <section aria-labelledby="details-title" class="card">
          <h2 id="details-title">Details</h2>
          <dl class="details">
            {connection.oauth ? (
              <OAuthClientDetails oauth={connection.oauth} />
            ) : (
              <>
                <dt>Key id</dt>
                <dd>
                  <code>{connection.key_public_id ?? '—'}</code>
                  {connection.has_key ? null : <span class="muted"> (no usable key)</span>}
                </dd>
              </>
            )}
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
            <dd>{connection.created_by ? describeActor(connection.created_by) : <span class="muted">not recorded</span>}</dd>
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
                <dd>{connection.revoked_by ? describeActor(connection.revoked_by) : <span class="muted">not recorded</span>}</dd>
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
            <dt>Connection id</dt>
            <dd>
              <code>{connection.id}</code>
            </dd>
          </dl>
        </section>
        <section aria-labelledby="scope-title" class="card">
          <h2 id="scope-title">Scope</h2>
          <p>{connection.scope_summary}</p>
          <ScopeDescription scope={connection.scope} />
          <pre class="snippet">
            <code>{JSON.stringify(connection.scope, null, 2)}</code>
          </pre>
        </section>
      </div>

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

      {props.approvals !== undefined ? <ConnectionApprovals items={props.approvals} connectionId={connection.id} /> : null}
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
              {props.sessions.map((session) => (
                <tr>
                  <td>
                    <code>{session.id.slice(0, 12)}…</code>
                  </td>
                  <td>{clientOf(session)}</td>
                  <td>
                    <Time iso={session.created_at} />
                  </td>
                  <td>
                    {session.open ? (
                      <span class="badge badge-connected">Open</span>
                    ) : (
                      <>
                        <Time iso={session.ended_at} /> <span class="muted small">{session.ended_reason ?? ''}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {!session.open || !can(props.session, 'operator') ? null : (
                      <ConfirmAction
                        id={`end-${session.id}`}
                        label="End session"
                        title="End this MCP session?"
                        message={<p>The client's session ends now and it has to initialize again. The key keeps working.</p>}
                        action={`${base}/sessions/${encodeURIComponent(session.id)}/end`}
                        confirmLabel="End session"
                        session={props.session}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

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
          <a href={`/admin/audit?connection_id=${encodeURIComponent(connection.id)}`}>All audit events of this connection</a>
        </p>
      </section>
    </Layout>
  );
}

function clientOf(session: SessionJson): string {
  const { name, version } = session.client;
  return name ? `${name}${version ? ` ${version}` : ''}` : '—';
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
