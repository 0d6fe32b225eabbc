import type { JSONRPCMessage, JSONRPCRequest, Server, Transport } from '@modelcontextprotocol/server';

/**
 * Each HTTP request gets a fresh MCP server (it closes over that request's
 * principal), so the transport only ever carries one request and its answer.
 * Used for the 2025-era session flow, which the gateway keeps itself (sessions
 * live in D1, not in an isolate); the SDK's stateless 2025 fallback would drop
 * them. 2026-07-28 requests go through the SDK's own per-request handler (stateless.ts).
 */
class SingleExchangeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private answer?: (message: JSONRPCMessage) => void;

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && ('result' in message || 'error' in message)) this.answer?.(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  exchange(request: JSONRPCRequest): Promise<JSONRPCMessage> {
    return new Promise((resolve) => {
      this.answer = resolve;
      this.onmessage?.(request);
    });
  }
}

/**
 * The server is not closed afterwards: once it has answered it holds no timer,
 * no pending request and no handler in flight, and both objects become garbage
 * with the request. Closing would only build a "Connection closed" error (with
 * its stack trace) that nothing reads; not closing took the Worker's own CPU
 * per call from 1.08 to about 0.8 ms (npm run bench, figure 2).
 */
export async function exchangeOnce(server: Server, request: JSONRPCRequest): Promise<JSONRPCMessage> {
  const transport = new SingleExchangeTransport();
  await server.connect(transport);
  return transport.exchange(request);
}
