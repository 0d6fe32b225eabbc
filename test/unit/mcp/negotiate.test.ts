import { describe, expect, it } from 'vitest';
import { isJsonContentType, negotiateResponseFormat } from '../../../src/mcp/negotiate';
import { MAX_BODY_BYTES, readBodyWithLimit } from '../../../src/http/body';

describe('negotiateResponseFormat', () => {
  it.each([
    [null, 'json'],
    ['application/json, text/event-stream', 'json'],
    ['text/event-stream, application/json', 'json'],
    ['application/json', 'json'],
    ['text/event-stream', 'sse'],
    ['application/json;q=0.5, text/event-stream', 'sse'],
    ['*/*', 'json'],
    ['text/*', 'sse'],
    ['text/html', null],
    ['application/json;q=0, text/html', null],
  ])('Accept %s -> %s', (accept, expected) => {
    expect(negotiateResponseFormat(accept)).toBe(expected);
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['APPLICATION/JSON', true],
    ['text/plain', false],
    ['application/jsonx', false],
    [null, false],
  ])('Content-Type %s is JSON: %s', (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });
});

describe('readBodyWithLimit', () => {
  it('reads a body under the limit', async () => {
    expect(await readBodyWithLimit(new Request('http://x/', { method: 'POST', body: '{"a":1}' }))).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('refuses a declared length over the limit without reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': String(MAX_BODY_BYTES + 1) } });
    expect(await readBodyWithLimit(request)).toEqual({ ok: false, problem: 'too_large' });
  });

  it('stops a streamed body at the limit', async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await readBodyWithLimit(request, 10 * 1024)).toEqual({ ok: false, problem: 'too_large' });
    expect(sent).toBeLessThan(20 * 1024);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const request = new Request('http://x/', { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0x00]) });
    expect(await readBodyWithLimit(request)).toEqual({ ok: false, problem: 'unreadable' });
  });
});
