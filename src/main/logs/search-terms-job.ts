// Keeps the search term dictionary (search-terms.ts) complete in the background, after the app
// is usable: lists an existing history's terms once (resumable), then folds the terms of newly
// written nodes as they queue up. Each step is one short batch, so the log writer and the UI's
// queries get the database between steps.

import type { WriteHandle } from '../repositories/handles.js';
import { buildStep, foldPending, restartIfBacklogged } from './search-terms.js';

export interface SearchTermsJobOptions {
  /** Pause when there is nothing to do. */
  idleMs?: number;
  /** Pause between two busy steps, so other writers get their turn. */
  busyMs?: number;
  onError?: (error: unknown) => void;
}

/** One step of work; false when there was nothing to do. Exported for tests and the bench. */
export async function searchTermsStep(db: WriteHandle): Promise<boolean> {
  await restartIfBacklogged(db);
  const built = await buildStep(db);
  if (!built) return true;
  return (await foldPending(db)) > 0;
}

export class SearchTermsJob {
  readonly #db: WriteHandle;
  readonly #idleMs: number;
  readonly #busyMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  constructor(db: WriteHandle, opts: SearchTermsJobOptions = {}) {
    this.#db = db;
    this.#idleMs = opts.idleMs ?? 2_000;
    this.#busyMs = opts.busyMs ?? 20;
    this.#onError = opts.onError ?? (() => {});
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    // The first step waits a pause too, so it never competes with the launch's own queries.
    this.#schedule(this.#idleMs);
  }

  /** Stops after the step in progress, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = searchTermsStep(this.#db).then(
        (busy) => this.#schedule(busy ? this.#busyMs : this.#idleMs),
        (error: unknown) => {
          this.#onError(error);
          this.#schedule(this.#idleMs);
        },
      ).finally(() => {
        this.#running = null;
      });
    }, ms);
    this.#timer.unref?.();
  }
}
