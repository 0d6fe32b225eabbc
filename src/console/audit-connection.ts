/**
 * What a name typed in the audit page's connection filter stands for. Names
 * are not unique and the API filters by id, so the console picks the id only
 * when one connection fits; otherwise it says so and offers the candidates,
 * rather than listing every event or none without a word.
 */
export interface CandidateConnection {
  id: string;
  name: string;
  key_public_id: string | null;
  status: string;
}

export type ConnectionChoice =
  | { kind: 'none' }
  | { kind: 'found'; id: string; name: string; partial?: string }
  | { kind: 'ambiguous'; typed: string; exact: boolean; candidates: CandidateConnection[] }
  | { kind: 'not_found'; typed: string }
  | { kind: 'refused'; typed: string; message: string };

/** `matches` are the connections whose name contains `typed` (the API's name search). */
export function resolveConnectionChoice(typed: string, matches: CandidateConnection[]): ConnectionChoice {
  const wanted = typed.trim().toLowerCase();
  const exact = matches.filter((row) => row.name.trim().toLowerCase() === wanted);
  if (exact.length === 1) return { kind: 'found', id: exact[0]!.id, name: exact[0]!.name };
  if (exact.length > 1) return { kind: 'ambiguous', typed, exact: true, candidates: exact };
  if (matches.length === 1) return { kind: 'found', id: matches[0]!.id, name: matches[0]!.name, partial: typed };
  if (matches.length > 1) return { kind: 'ambiguous', typed, exact: false, candidates: matches };
  return { kind: 'not_found', typed };
}
