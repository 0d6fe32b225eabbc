import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../../src/http/context';
import { assignRequestId, chooseRequestId, REQUEST_ID_HEADER } from '../../../src/http/request-id';
import { log } from '../../../src/log/log';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('chooseRequestId', () => {
  const generated = () => 'generated';
  it.each<[string, Record<string, string>, string]>([
    ['a Ray ID with its data center', { 'cf-ray': '8f1c2a3b4d5e6f70-AMS' }, '8f1c2a3b4d5e6f70-AMS'],
    ['a bare Ray ID', { 'cf-ray': '8f1c2a3b4d5e6f70' }, '8f1c2a3b4d5e6f70'],
    ['no cf-ray', {}, 'generated'],
    ['a cf-ray that is not a Ray ID', { 'cf-ray': 'x"},{"msg":"forged' }, 'generated'],
    ['a cf-ray too long', { 'cf-ray': `${'a'.repeat(64)}-AMS` }, 'generated'],
    ["the client's own X-Request-Id", { 'x-request-id': 'abc123' }, 'generated'],
  ])('%s', (_label, headers, expected) => {
    expect(chooseRequestId(new Headers(headers), generated)).toBe(expected);
  });

  it('generates a UUID by default', () => {
    expect(chooseRequestId(new Headers())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

function appLogging(respond: () => Response | Promise<Response>) {
  const app = new Hono<AppEnv>();
  app.use('*', contextStorage());
  app.use('*', assignRequestId);
  app.get('/', () => respond());
  return app;
}

describe('assignRequestId', () => {
  it('stamps the id on a response built by the handler', async () => {
    const response = await appLogging(() => new Response('ok')).request('/', { headers: { 'cf-ray': '8f1c2a3b4d5e6f70-AMS' } });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('8f1c2a3b4d5e6f70-AMS');
  });

  it('stamps a response whose headers are immutable (passed through from a fetch)', async () => {
    const frozen = Response.redirect('https://example.com/', 302);
    expect(() => frozen.headers.set('x', 'y')).toThrow();
    const response = await appLogging(() => Response.redirect('https://example.com/', 302)).request('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.com/');
    expect(response.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('log', () => {
  it('puts the id of the request it runs in after msg, also in work the request left running', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: string) => lines.push(line));
    let background: Promise<void> = Promise.resolve();
    const app = appLogging(() => {
      log.warn({ msg: 'in the handler', n: 1 });
      background = new Promise<void>((resolve) => setTimeout(resolve, 1)).then(() => log.warn({ msg: 'later' }));
      return new Response('ok');
    });
    const response = await app.request('/', { headers: { 'cf-ray': '8f1c2a3b4d5e6f70-AMS' } });
    await background;
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('8f1c2a3b4d5e6f70-AMS');
    expect(lines).toEqual(['{"msg":"in the handler","requestId":"8f1c2a3b4d5e6f70-AMS","n":1}', '{"msg":"later","requestId":"8f1c2a3b4d5e6f70-AMS"}']);
  });

  it('writes a line outside any request without an id', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    log.error({ msg: 'cron job failed', job: 'x' });
    expect(logged).toHaveBeenCalledWith('{"msg":"cron job failed","job":"x"}');
  });
});
