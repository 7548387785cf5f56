// When the next flush starts: the first buffered op arms the interval timer; urgent ops (a
// node's end, a tool status, a full buffer) flush on the next macrotask, so calls in the same
// tick share it; a failed flush waits out a growing retry delay, during which nothing else
// starts one (flush() and close() still may: they force).

const MAX_RETRY_DELAY_MS = 2_000;

export class FlushTimers {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly intervalMs: number,
    /** Starts a flush (the timers are cleared first). */
    private readonly kick: () => void,
    private readonly isClosed: () => boolean,
  ) {}

  schedule(now: boolean): void {
    if (this.isClosed() || this.retryTimer) return; // close() flushes itself; a retry is pending
    if (now) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.fire();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.fire();
      }, this.intervalMs);
    }
  }

  /** A failed flush waits out its retry delay before the next one starts on its own. */
  get retryPending(): boolean {
    return this.retryTimer !== null;
  }

  /** A flush failed: the next starts after a delay that doubles with each failure in a row. */
  retry(): void {
    this.failures++;
    if (this.isClosed()) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = null;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      this.fire();
    }, retryDelay(this.failures));
  }

  succeeded(): void {
    this.failures = 0;
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.immediate = this.retryTimer = null;
  }

  private fire(): void {
    this.clear();
    this.kick();
  }
}

/** 100 ms after the first failure, doubling up to 2 s. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 50 * 2 ** failures);
}
