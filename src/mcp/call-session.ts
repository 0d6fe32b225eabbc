import type { ClientInfo } from '../connections/sessions';

/** Whom a request comes from: its 2025-era session, or none for a stateless 2026-07-28 request (client from `_meta`). */
export interface CallSession {
  id: string | null;
  client: ClientInfo;
}

export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
