import type { Snippets } from '../../snippets/snippets';
import type { ConnectionJson } from '../api-types';
import { formatTime, odooUserLabel } from '../format';
import type { ConsoleSession } from '../session';
import { Notice, StatusBadge, Time } from './components';
import { KeyReveal } from './key-reveal';
import { Layout } from './layout';
import { WizardSteps } from './wizard';

function ConnectionSummary(props: { connection: Pick<ConnectionJson, 'name' | 'key_public_id' | 'status' | 'scope_summary' | 'odoo_user' | 'expires_at'> }) {
  const { connection } = props;
  return (
    <dl class="details">
      <dt>Name</dt>
      <dd>{connection.name}</dd>
      <dt>Key id</dt>
      <dd>
        <code>{connection.key_public_id}</code>
      </dd>
      <dt>Scope</dt>
      <dd>{connection.scope_summary}</dd>
      <dt>Odoo user</dt>
      <dd>{odooUserLabel(connection.odoo_user)}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={connection.status} />
      </dd>
      <dt>Expires</dt>
      <dd>
        {connection.expires_at ? (
          <>
            <Time iso={connection.expires_at} /> <span class="muted small">({formatTime(connection.expires_at)})</span>
          </>
        ) : (
          'Never'
        )}
      </dd>
    </dl>
  );
}

/** Apps that cannot send a header take the OAuth path: the URL alone, approved on the consent page as a connection of its own. */
function OAuthPath(props: { mcpUrl: string }) {
  return (
    <section class="card" aria-labelledby="oauth-path-title" id="oauth-path">
      <h2 id="oauth-path-title">Claude.ai / ChatGPT: add a custom connector with this URL</h2>
      <p>
        Claude.ai and ChatGPT cannot send a key. Give them the MCP URL alone, <strong>no key</strong>: <code>{props.mcpUrl}</code>. The app opens this gateway's
        consent page, where you (signed in to the console) approve it and choose its scope, or where a person opens an{' '}
        <a href="/admin/connections/invitations/new">invitation</a>. It becomes an OAuth connection of its own.
      </p>
    </section>
  );
}

export function DonePage(props: { session: ConsoleSession; connection: ConnectionJson; mcpUrl: string; apiKey: string; snippets: Snippets }) {
  return (
    <Layout title="Connection created" session={props.session} section="connections">
      <h1>Connection created</h1>
      <WizardSteps current={3} />
      <ConnectionSummary connection={props.connection} />
      <KeyReveal mcpUrl={props.mcpUrl} apiKey={props.apiKey} snippets={props.snippets} />
      <OAuthPath mcpUrl={props.mcpUrl} />
      <div class="actions">
        <a class="button primary" href={`/admin/connections/${encodeURIComponent(props.connection.id)}`}>
          Go to the connection
        </a>
        <a class="button" href="/admin/connections">
          Back to connections
        </a>
      </div>
    </Layout>
  );
}

export function NewKeyPage(props: {
  session: ConsoleSession;
  connection: Pick<ConnectionJson, 'id' | 'name' | 'key_public_id' | 'status' | 'scope_summary' | 'odoo_user'>;
  reason: 'rotated' | 'generated';
  mcpUrl: string;
  apiKey: string;
  snippets: Snippets;
}) {
  return (
    <Layout title={`New key for ${props.connection.name}`} session={props.session} section="connections">
      <h1>New key for {props.connection.name}</h1>
      {props.reason === 'rotated' ? (
        <Notice kind="success" title="Key rotated.">
          <p>The old key stopped working immediately; clients using it now get 401 until they use this key.</p>
        </Notice>
      ) : (
        <Notice kind="success" title="Key generated.">
          <p>The connection has a working key again.</p>
        </Notice>
      )}
      <KeyReveal mcpUrl={props.mcpUrl} apiKey={props.apiKey} snippets={props.snippets} />
      <div class="actions">
        <a class="button primary" href={`/admin/connections/${encodeURIComponent(props.connection.id)}`}>
          Back to the connection
        </a>
      </div>
    </Layout>
  );
}
