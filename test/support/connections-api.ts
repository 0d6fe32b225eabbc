import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { vi } from 'vitest';
import worker from '../../src/index';
import { adminRequest } from './gateway';

/* Helpers for the connection admin API and the cron, on top of gateway.ts. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function expectJson(response: Response, status: number): Promise<Json> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

export async function getConnection(id: string): Promise<Json> {
  return expectJson(await adminRequest(`/admin/api/connections/${id}`), 200);
}

export async function listConnectionsPage(params: Record<string, string | number> = {}): Promise<{ items: Json[]; next_cursor: string | null }> {
  const query = new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)]));
  return expectJson(await adminRequest(`/admin/api/connections?${query}`), 200);
}

/** Every page of a listing, following next_cursor to the end. */
export async function walkConnections(params: Record<string, string | number> = {}): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await listConnectionsPage(cursor ? { ...params, cursor } : params);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export async function connectionAction(id: string, action: string, json?: unknown): Promise<Response> {
  return adminRequest(`/admin/api/connections/${id}/${action}`, { method: 'POST', ...(json === undefined ? {} : { json }) });
}

/** Runs the Worker's scheduled handler as a cron tick at the given time, and waits for its background work. */
export async function runCron(at: number = Date.now()): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Admin audit events as the Worker sends them to the queue. */
export function watchAuditQueue(): { adminActions: () => Json[] } {
  const send = vi.spyOn(env.AUDIT_QUEUE, 'send');
  return {
    adminActions: () => send.mock.calls.map(([event]) => event as Json).filter((event) => event.kind === 'admin'),
  };
}

/** Waits until the background last-used write of a connection has landed in KV. */
export async function lastUsedLanded(connectionId: string, atLeast: number): Promise<void> {
  await vi.waitFor(async () => {
    const value = await env.LAST_USED.get(`last-used:${connectionId}`);
    if (value === null || Number(value) < atLeast) throw new Error('last-used not written yet');
  });
}
