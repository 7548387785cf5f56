// "Try, report, refresh" for store actions: the action holds only the happy path (call main,
// update the store, maybe a success toast); a failure becomes one error toast worded
// "<failure>: <why>" and the action answers `fallback`, so no store repeats try/catch/toast.
import { errorMessage } from '../lib/errors';
import { toast } from './ui';

export interface RunActionOptions<F> {
  /** What the action answers when it fails (undefined if not given). */
  fallback?: F;
  /** How long the error toast stays (the toast's default if not given). */
  timeoutMs?: number;
  /** Report, then throw on: for a caller that also shows the error in place (a form). */
  rethrow?: boolean;
}

export async function runAction<T, F = undefined>(failure: string, action: () => Promise<T>, options: RunActionOptions<F> = {}): Promise<T | F> {
  try {
    return await action();
  } catch (error) {
    toast(`${failure}: ${errorMessage(error)}`, { tone: 'error', ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
    if (options.rethrow) throw error;
    return options.fallback as F;
  }
}
