import type { OdooAccount } from '../odoo/types';
import type { Scope } from '../policy/scope';

/**
 * What every layer after authentication works with. A Bearer key and an OAuth
 * access token both resolve to a principal, so nothing downstream knows
 * or cares how the caller proved who it is.
 */
export interface Principal {
  connection: {
    id: string;
    name: string;
    /** How the caller proved itself; nothing after authentication branches on it but bookkeeping. */
    auth: 'key' | 'oauth';
    scope: Scope;
    notBefore: number | null;
    expiresAt: number | null;
    logPayloads: boolean;
    /** The MCP client that last named itself (initialize, or a stateless request's `_meta`). */
    lastClient: { name: string | null; version: string | null };
  };
  /** The key's public id, or the OAuth connection's own public id: names the credential in audit and last-used marks. */
  keyPublicId: string;
  odoo: OdooAccount & { userName: string | null };
  /** The MCP session named by the request, when it belongs to this connection and is still open. */
  session: { id: string; clientName: string | null; clientVersion: string | null; protocolVersion: string } | null;
}

export type AuthFailure =
  | 'missing_header'
  | 'wrong_scheme'
  | 'malformed_key'
  | 'bad_checksum'
  | 'unknown_key'
  | 'hash_mismatch'
  | 'revoked'
  | 'expired'
  | 'no_key'
  | 'unknown_token';

/**
 * A failure names the key and its connection when the public id matched a
 * stored connection (revoked, expired, wrong secret): those attempts are
 * audited against the connection. The caller still sees only the one 401.
 */
export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; failure: AuthFailure; keyPublicId?: string; connection?: { id: string; name: string } };
