import { isConnectionError, type HttpAnswer } from './http';

export interface Path {
  name: string;
  send(): Promise<HttpAnswer>;
  /** True when the answer is the expected success (status and body). */
  succeeded(answer: HttpAnswer): boolean;
  /** Called on a refused or reset connection (the Worker was reloaded); resolves once it can be tried again. */
  recover?(): Promise<void>;
}

export interface Tally {
  /** Latency of every successful call, in milliseconds. */
  samples: number[];
  failures: number;
  /** Calls lost to a reload of the Worker: not counted as samples nor failures. */
  lost: number;
  firstFailure: string | null;
}

export function newTally(): Tally {
  return { samples: [], failures: 0, lost: 0, firstFailure: null };
}

/**
 * Sends `count` calls on a path with `concurrency` of them in flight at all
 * times, and stops early at `deadline` (epoch ms). `onDone` sees every
 * completion in order, for figures that sample something per chunk of calls.
 */
export async function drive(
  path: Path,
  tally: Tally,
  { count, concurrency, deadline, onDone }: { count: number; concurrency: number; deadline: number; onDone?: () => void },
): Promise<void> {
  let started = 0;
  const lane = async () => {
    while (started < count && Date.now() < deadline) {
      started++;
      try {
        const answer = await path.send();
        if (path.succeeded(answer)) tally.samples.push(answer.ms);
        else {
          tally.failures++;
          tally.firstFailure ??= `${path.name}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
        }
      } catch (error) {
        if (path.recover && isConnectionError(error)) {
          tally.lost++;
          await path.recover();
        } else {
          tally.failures++;
          tally.firstFailure ??= `${path.name}: ${String(error)}`;
        }
      }
      onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}
