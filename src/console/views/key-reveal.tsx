import { SNIPPET_CLIENTS, type Snippets } from '../../snippets/snippets';
import { CopyField, Notice } from './components';

/**
 * The one moment a key is visible: the MCP URL and the key with copy
 * buttons, and every client's setup. The page is sent with no-store, so a
 * reload or the back button cannot bring the key back.
 */
export function KeyReveal(props: { mcpUrl: string; apiKey: string; snippets: Snippets }) {
  return (
    <section class="key-reveal" aria-labelledby="key-reveal-title">
      <h2 id="key-reveal-title">Your key</h2>
      <Notice kind="warning" title="This key is shown only once.">
        <p>Copy it now and keep it somewhere safe: the gateway stores only a hash and cannot show it again. If it is lost, rotate the key.</p>
      </Notice>
      <CopyField id="mcp-url" label="MCP URL" value={props.mcpUrl} />
      <CopyField id="api-key" label="API key" value={props.apiKey} secret />

      <h2>Set up your client</h2>
      <div class="tabs" data-tabs>
        <div role="tablist" aria-label="Client setup">
          {SNIPPET_CLIENTS.map((client, index) => (
            <button type="button" role="tab" id={`tab-${client}`} aria-controls={`panel-${client}`} aria-selected={index === 0 ? 'true' : 'false'} tabindex={index === 0 ? 0 : -1}>
              {props.snippets[client].title}
            </button>
          ))}
        </div>
        {SNIPPET_CLIENTS.map((client) => {
          const snippet = props.snippets[client];
          return (
            <div role="tabpanel" id={`panel-${client}`} aria-labelledby={`tab-${client}`} class="tab-panel" tabindex={0}>
              <h3 class="panel-title">{snippet.title}</h3>
              {snippet.file ? (
                <p class="hint">
                  Put this in <code>{snippet.file}</code>:
                </p>
              ) : null}
              <pre id={`snippet-${client}`} class="snippet">
                <code>{snippet.content}</code>
              </pre>
              <button type="button" class="button" data-copy={`snippet-${client}`} aria-describedby="copy-status">
                Copy
              </button>
            </div>
          );
        })}
      </div>
    </section>
  );
}
