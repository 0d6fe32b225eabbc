import { and, eq, isNotNull, lt } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../crypto/secretbox';
import type { Database } from '../db/client';
import { consoleSubmissions } from '../db/schema';

/**
 * Post/Redirect/Get for the create wizard, so a reload, Back or a double
 * click never makes a second connection: each rendered form carries a random
 * submission id; its POST claims a row first (the primary key decides between
 * concurrent submits), creates, and redirects to a page that shows the new
 * key once. The key waits sealed under CREDENTIALS_KEY, bound to the console
 * session and the form, and is erased when shown.
 */

const SUBMISSION = /^[A-Za-z0-9_-]{22,64}$/;
const KEEP_MS = 24 * 60 * 60 * 1000;

export function newSubmissionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function isSubmissionId(value: string): boolean {
  return SUBMISSION.test(value);
}

const rowId = (sessionId: string, submission: string) => `${sessionId}:${submission}`;

export type Claim = { claimed: true } | { claimed: false; connectionId: string | null };

/** Takes the form's row, or says which connection this form already made (null while its first submit runs). */
export async function claimSubmission(db: Database, sessionId: string, submission: string, now: number): Promise<Claim> {
  await db.delete(consoleSubmissions).where(lt(consoleSubmissions.createdAt, now - KEEP_MS));
  const inserted = await db
    .insert(consoleSubmissions)
    .values({ id: rowId(sessionId, submission), createdAt: now })
    .onConflictDoNothing()
    .returning({ id: consoleSubmissions.id });
  if (inserted.length) return { claimed: true };
  const [row] = await db
    .select({ connectionId: consoleSubmissions.connectionId })
    .from(consoleSubmissions)
    .where(eq(consoleSubmissions.id, rowId(sessionId, submission)));
  return { claimed: false, connectionId: row?.connectionId ?? null };
}

/** The create failed: the same form may be corrected and sent again. */
export async function releaseSubmission(db: Database, sessionId: string, submission: string): Promise<void> {
  await db.delete(consoleSubmissions).where(eq(consoleSubmissions.id, rowId(sessionId, submission)));
}

export async function completeSubmission(
  db: Database,
  key: CryptoKey,
  sessionId: string,
  submission: string,
  connectionId: string,
  created: unknown,
): Promise<void> {
  const id = rowId(sessionId, submission);
  const sealed = await encryptSecret(key, JSON.stringify(created), `console-submission:${id}`);
  await db.update(consoleSubmissions).set({ connectionId, sealedCreated: sealed }).where(eq(consoleSubmissions.id, id));
}

/**
 * The created connection with its key, once. One transaction deletes the row
 * that holds the sealed value (returning it) and puts back a row without it,
 * so two loads of the page cannot both get the key, and the form stays
 * marked as used. Null when it was shown already or is not this session's.
 */
export async function takeCreated<T>(
  db: Database,
  key: CryptoKey,
  sessionId: string,
  submission: string,
  connectionId: string,
  now: number,
): Promise<T | null> {
  if (!isSubmissionId(submission)) return null;
  const id = rowId(sessionId, submission);
  const [taken] = await db.batch([
    db
      .delete(consoleSubmissions)
      .where(and(eq(consoleSubmissions.id, id), eq(consoleSubmissions.connectionId, connectionId), isNotNull(consoleSubmissions.sealedCreated)))
      .returning({ sealed: consoleSubmissions.sealedCreated }),
    db.insert(consoleSubmissions).values({ id, connectionId, createdAt: now }).onConflictDoNothing(),
  ]);
  const sealed = taken[0]?.sealed;
  if (!sealed) return null;
  return JSON.parse(await decryptSecret(key, sealed, `console-submission:${id}`)) as T;
}
