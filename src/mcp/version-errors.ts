import { JSONRPC, jsonRpcErrorResponse } from './jsonrpc';
import { SERVED_PROTOCOL_VERSIONS } from './versions';

/**
 * The 2026-07-28 UnsupportedProtocolVersionError, answered in both eras: a
 * stateless request whose `_meta` names an unknown revision, and a session
 * request whose MCP-Protocol-Version header does. Its `supported` list names
 * every revision served here, the stateless one first, so a client of either
 * era can pick one and retry.
 */
export function unsupportedVersionResponse(requested: string, id: string | number | null): Response {
  const supported = [...SERVED_PROTOCOL_VERSIONS];
  return jsonRpcErrorResponse(
    400,
    JSONRPC.UNSUPPORTED_PROTOCOL_VERSION,
    `Unsupported protocol version '${requested.slice(0, 100)}'; supported: ${supported.join(', ')}`,
    {},
    { id, data: { supported, requested: requested.slice(0, 100) } },
  );
}
