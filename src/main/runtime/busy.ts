// A run must not end in the wrong state because another program held the database for a while:
// the writes that close a run (its last log flush, its final status) wait for the database
// instead of failing the run or leaving it 'running' until a restart.
import { isBusyError } from '../db/errors';

/** Longest a run's closing writes wait for a busy database before giving up (and saying so). */
export const RUN_BUSY_WAIT_MS = 5 * 60_000;

export interface BusyWaitOptions {
  maxWaitMs?: number;
  /** Pauses between attempts grow from 100 ms to this. */
  maxDelayMs?: number;
  /** Called once, when the first attempt found the database busy. */
  onWait?: (error: unknown) => void;
}

/** Runs `write` until it succeeds or fails for another reason than a busy database. */
export async function retryWhileBusy<T>(write: () => Promise<T>, opts: BusyWaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.maxWaitMs ?? RUN_BUSY_WAIT_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      if (attempt === 0) opts.onWait?.(error);
      const delay = Math.min(opts.maxDelayMs ?? 2_000, 100 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
