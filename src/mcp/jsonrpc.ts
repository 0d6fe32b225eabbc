/** JSON-RPC error codes used on the wire (JSON-RPC 2.0 and MCP). */
export const JSONRPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Used by MCP's Streamable HTTP transport for an unknown or ended session. */
  SESSION_NOT_FOUND: -32001,
  SERVER_ERROR: -32000,
  /** 2026-07-28: MCP-Protocol-Version, Mcp-Method or Mcp-Name missing, malformed or not what the body says. */
  HEADER_MISMATCH: -32020,
  /** 2026-07-28: the request names a protocol revision this server does not serve. */
  UNSUPPORTED_PROTOCOL_VERSION: -32022,
} as const;

export function jsonRpcErrorResponse(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  extra: { id?: string | number | null; data?: unknown } = {},
): Response {
  const error = extra.data === undefined ? { code, message } : { code, message, data: extra.data };
  return new Response(JSON.stringify({ jsonrpc: '2.0', error, id: extra.id ?? null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}
