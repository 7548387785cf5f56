// Keeps the sessions list and the open session's header in step with usage as it is recorded:
// each model call's usage event refreshes that session's totals from main (the authoritative
// figures, never a client-side sum), at most once per interval per session, with a trailing
// refresh so the last call always shows.

export const REFRESH_EVERY_MS = 500;

export function throttledPerKey(run: (key: string) => void, everyMs = REFRESH_EVERY_MS): { push: (key: string) => void; stop: () => void } {
  const last = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const fire = (key: string) => {
    timers.delete(key);
    last.set(key, Date.now());
    run(key);
  };
  return {
    push: (key) => {
      if (timers.has(key)) return;
      const wait = Math.max(0, (last.get(key) ?? -Infinity) + everyMs - Date.now());
      if (wait === 0) fire(key);
      else timers.set(key, setTimeout(() => fire(key), wait));
    },
    stop: () => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
