// A batch sent and not yet handled, and how its answer reaches the pipeline.

import type { ResultSet } from '@libsql/client';
import type { Buffer } from './buffer.js';
import type { Prepared } from './statements.js';

export interface InFlight {
  b: Buffer;
  prepared: Prepared;
  /** A failure before it put its buffer back: its answer is ignored. */
  aborted: boolean;
  /** Resolves (never rejects) once the connection answered and onCommitted/onFailed ran. */
  answered: Promise<void>;
  /** Resolves once committed and reported; rejects if it (or a batch before it) failed. */
  done: Promise<void>;
}

/** The entry of a sent batch; onCommitted or onFailed (which rethrows) handles its answer. */
export function trackBatch(
  b: Buffer,
  prepared: Prepared,
  result: Promise<ResultSet[]>,
  onCommitted: (entry: InFlight, results: ResultSet[]) => void,
  onFailed: (entry: InFlight, e: unknown) => never,
): InFlight {
  const entry: InFlight = { b, prepared, aborted: false, answered: Promise.resolve(), done: Promise.resolve() };
  entry.done = result.then(
    (results) => onCommitted(entry, results),
    (e: unknown) => onFailed(entry, e),
  );
  // Registered after `done`, so the entry is settled by the time a waiter sees it answered.
  entry.answered = result.then(
    () => undefined,
    () => undefined,
  );
  // Nobody may be waiting on a batch's outcome (a timer's flush): it is handled either way.
  entry.done.catch(() => undefined);
  return entry;
}
