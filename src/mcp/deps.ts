import type { Server } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal';
import type { Decision, DenialReason } from '../policy/decision';
import type { ClientInfo } from '../connections/sessions';
import type { CallSession } from './call-session';

/** What the Streamable HTTP layer needs from the Worker, for both protocol eras. */
export interface McpHttpDeps {
  principal: Principal;
  buildServer: (session: CallSession) => Server;
  openSession: (session: { id: string; client: ClientInfo; protocolVersion: string }) => Promise<void>;
  closeSession: (sessionId: string) => Promise<boolean>;
  /** Validity, client IP and time window of the connection, now. */
  checkConnection: () => Decision;
  /** Takes one initialize, server/discover or tools/list from the connection's session budget. */
  consumeSessionBudget: () => Promise<Decision>;
  /** A request refused for the connection as a whole (not a tool call): audited, in the background. */
  onDenied?: (reason: DenialReason, method: string) => void;
  /** A tools/call whose params are malformed (answered -32602): audited as an invalid call, in the background. */
  onInvalidToolCall: (session: CallSession, params: unknown, problem: string) => void;
  /** A stateless client named itself differently from the connection's last client: recorded, in the background. */
  onClientNamed: (client: ClientInfo) => void;
  /** The request's JSON-RPC id, once its body is read: an unexpected failure after this point is answered with it (src/app.ts). */
  onRequestId: (id: string | number) => void;
}
