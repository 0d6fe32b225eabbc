export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; problem: 'too_large' | 'unreadable' };

/**
 * Whether the request announces a body over the limit. Checked from the header
 * alone, before authentication and before a byte of the body is awaited, so a
 * client that declares 2 MiB and then stalls is answered at once.
 */
export function declaresBodyOver(request: Request, limit = MAX_BODY_BYTES): boolean {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  return Number.isFinite(declared) && declared > limit;
}

/**
 * workerd holds a response back until the request's body has been read or
 * cancelled, so a refusal sent without reading (403, 401, 413) would wait for
 * a stalled client's body. Cancelling what was not read sends it at once.
 */
export function discardUnreadBody(request: Request): void {
  if (request.body && !request.body.locked) request.body.cancel().catch(() => {});
}

/**
 * Reads a body but stops at the limit, whether or not Content-Length was
 * sent, so an oversized or endless body never fills memory.
 */
export async function readBodyWithLimit(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  if (declaresBodyOver(request, limit)) return { ok: false, problem: 'too_large' };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return { ok: false, problem: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}
