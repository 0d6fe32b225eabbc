import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/**
 * The revisions this endpoint serves. 2026-07-28 is stateless (every request
 * carries its version, capabilities and client in `_meta`); the older ones
 * open a session with `initialize`, as the SDK negotiates them.
 */
export const STATELESS_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];
export const SESSION_PROTOCOL_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
export const SERVED_PROTOCOL_VERSIONS: readonly string[] = [...STATELESS_PROTOCOL_VERSIONS, ...SESSION_PROTOCOL_VERSIONS];

/**
 * A 2026-07-28 request must name its revision in MCP-Protocol-Version (a
 * request without the header is refused before anything runs), so the header
 * alone tells the key lookup that no session is involved.
 */
export function namesStatelessRevision(protocolVersionHeader: string | null): boolean {
  return protocolVersionHeader !== null && STATELESS_PROTOCOL_VERSIONS.includes(protocolVersionHeader.trim());
}
