import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';

/**
 * Each HTTP request gets a fresh MCP server (it closes over that request's
 * principal), so the transport only ever carries one request and its answer.
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

export async function exchangeOnce(server: Server, request: JSONRPCRequest): Promise<JSONRPCMessage> {
  const transport = new SingleExchangeTransport();
  await server.connect(transport);
  try {
    return await transport.exchange(request);
  } finally {
    await server.close();
  }
}
