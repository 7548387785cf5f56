// Calls that main answers BUSY (another program holds the database; nothing was changed) are
// tried again here, with growing pauses, while the UI says the database is busy. Main already
// waited its busy timeout before answering, so a short lock never reaches the user at all, and
// a long one shows a banner instead of a pile of error toasts.
import type { PaddockTransport } from '../../shared/ipc';

export interface BusyRetryOptions {
  /** Pauses between attempts (ms); the last one repeats until `giveUpAfterMs`. */
  delaysMs?: readonly number[];
  /** After this long, the BUSY answer goes to the caller (its message explains it). */
  giveUpAfterMs?: number;
  /** Told whether any call is waiting for the database right now. */
  onBusyChange?: (busy: boolean) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_DELAYS = [250, 500, 1000, 2000];
const DEFAULT_GIVE_UP_MS = 60_000;

export function withBusyRetry(transport: PaddockTransport, options: BusyRetryOptions = {}): PaddockTransport {
  const delays = options.delaysMs ?? DEFAULT_DELAYS;
  const giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_MS;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waiting = 0;
  const setWaiting = (delta: number) => {
    const before = waiting > 0;
    waiting += delta;
    if (before !== waiting > 0) options.onBusyChange?.(waiting > 0);
  };

  return {
    subscribe: (listener) => transport.subscribe(listener),
    async invoke(channel, payload) {
      let envelope = await transport.invoke(channel, payload);
      if (envelope.ok || envelope.error.code !== 'BUSY') return envelope;
      const started = now();
      setWaiting(1);
      try {
        for (let attempt = 0; ; attempt++) {
          if (now() - started >= giveUpAfterMs) return envelope;
          await sleep(delays[Math.min(attempt, delays.length - 1)] ?? 1000);
          envelope = await transport.invoke(channel, payload);
          if (envelope.ok || envelope.error.code !== 'BUSY') return envelope;
        }
      } finally {
        setWaiting(-1);
      }
    },
  };
}
