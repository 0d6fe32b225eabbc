/** `*` matches any run of characters (dots included), so `sale.*` covers `sale.order.line`. */
export function matchesModelPattern(pattern: string, model: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === model;
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  if (model.length < first.length + last.length || !model.startsWith(first) || !model.endsWith(last)) return false;
  let cursor = first.length;
  const end = model.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = model.indexOf(piece, cursor);
    if (found === -1 || found + piece.length > end) return false;
    cursor = found + piece.length;
  }
  return true;
}

export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * The most specific wildcard pattern matching the model: most literal
 * characters first, then fewest `*`, then alphabetical so the choice never
 * depends on the order of keys in stored JSON. The bare `*` is left to the caller.
 */
export function mostSpecificWildcard(patterns: Iterable<string>, model: string): string | undefined {
  let best: string | undefined;
  for (const pattern of patterns) {
    if (pattern === '*' || !isWildcardPattern(pattern) || !matchesModelPattern(pattern, model)) continue;
    if (best === undefined || compareSpecificity(pattern, best) < 0) best = pattern;
  }
  return best;
}

function compareSpecificity(a: string, b: string): number {
  const literalsA = a.replaceAll('*', '').length;
  const literalsB = b.replaceAll('*', '').length;
  if (literalsA !== literalsB) return literalsB - literalsA;
  const starsA = a.length - literalsA;
  const starsB = b.length - literalsB;
  if (starsA !== starsB) return starsA - starsB;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function firstMatchingPattern(patterns: readonly string[], model: string): string | undefined {
  return patterns.find((pattern) => matchesModelPattern(pattern, model));
}
