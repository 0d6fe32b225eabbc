import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectClient } from '../support/gateway';
import { callTool, expectAllowed, expectRefused, setClock, useScopedGateway } from './scopes-helpers';

/** rate_limit, counted per connection by the RateLimiter Durable Object. */

const { connectWithScope } = useScopedGateway();

afterEach(() => {
  vi.useRealTimers();
});

const limited = { preset: 'read_only', rate_limit: { requests: 3, per_seconds: 60 } };
const startedAt = Date.parse('2026-03-04T10:00:00.000Z');

describe('rate_limit { requests: 3, per_seconds: 60 }', () => {
  it('refuses the 4th tools/call with rate_limited and when to retry, before Odoo', async () => {
    setClock(startedAt);
    const { client, odoo } = await connectWithScope(limited);
    for (let call = 1; call <= 3; call += 1) expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    const refusal = expectRefused(await callTool(client, 'count_records', { model: 'res.partner' }), 'rate_limited', 'rate limit of 3 requests per 60 s reached');
    expect(Number.isInteger(refusal.retry_after_seconds)).toBe(true);
    expect(refusal.retry_after_seconds).toBeGreaterThan(0);
    expect(refusal.message).toContain(`retry in ${refusal.retry_after_seconds} s`);
    expect(odoo.requests()).toHaveLength(3);
  });

  it('is honest about retry_after_seconds: refused a second before, allowed at that time', async () => {
    setClock(startedAt);
    const { client } = await connectWithScope(limited);
    for (let call = 1; call <= 3; call += 1) expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    const { retry_after_seconds: retryAfter } = expectRefused(await callTool(client, 'count_records', { model: 'res.partner' }), 'rate_limited');
    setClock(startedAt + (retryAfter! - 1) * 1000);
    expectRefused(await callTool(client, 'count_records', { model: 'res.partner' }), 'rate_limited');
    setClock(startedAt + retryAfter! * 1000);
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
  });

  it('counts per connection: another connection with the same limit is not affected', async () => {
    setClock(startedAt);
    const first = await connectWithScope(limited);
    const second = await connectWithScope(limited);
    for (let call = 1; call <= 3; call += 1) expectAllowed(await callTool(first.client, 'count_records', { model: 'res.partner' }));
    expectRefused(await callTool(first.client, 'count_records', { model: 'res.partner' }), 'rate_limited');
    for (let call = 1; call <= 3; call += 1) expectAllowed(await callTool(second.client, 'count_records', { model: 'res.partner' }));
  });

  it('counts every tools/call of the key across its sessions', async () => {
    setClock(startedAt);
    const { client, key } = await connectWithScope(limited);
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    const again = await connectClient(key);
    expectAllowed(await callTool(again, 'count_records', { model: 'res.partner' }));
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
    expectRefused(await callTool(again, 'count_records', { model: 'res.partner' }), 'rate_limited');
  });
});
