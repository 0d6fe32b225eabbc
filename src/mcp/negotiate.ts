export type ResponseFormat = 'json' | 'sse';

/**
 * Picks the answer format from Accept. Clients that follow the spec list
 * both types; we then answer with plain JSON, which needs no stream. A client
 * that accepts only one of them gets that one, and a wildcard means JSON.
 */
export function negotiateResponseFormat(accept: string | null): ResponseFormat | null {
  if (!accept) return 'json';
  const accepted = accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type!.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.q > 0);
  const weight = (type: string) =>
    Math.max(0, ...accepted.filter((entry) => entry.type === type).map((entry) => entry.q));
  const json = Math.max(weight('application/json'), weight('application/*'), weight('*/*'));
  const sse = Math.max(weight('text/event-stream'), weight('text/*'));
  if (json === 0 && sse === 0) return null;
  return json >= sse ? 'json' : 'sse';
}

export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
