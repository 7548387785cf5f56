// A cron pattern's scheduled times in a time zone, from croner (which handles daylight-saving
// changes: a wall time that does not exist that day runs once, moved forward; one that happens
// twice runs once), and what the schedule policy does with the ones that were missed.
import { Cron } from 'croner';
import type { MissedPolicy } from '../../../shared/ipc/channels/schedules';

/** Enough for a per-second schedule closed for a day; beyond it the rest are only counted. */
const MAX_STEPS = 100_000;

function cronFor(pattern: string, timezone: string | null): Cron {
  return new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) });
}

/** The next `n` scheduled times after `from` (UTC ISO strings). Throws on a bad pattern or zone. */
export function nextRuns(pattern: string, timezone: string | null, from: Date, n: number): string[] {
  const cron = cronFor(pattern, timezone);
  const out: string[] = [];
  let at: Date | null = from;
  while (out.length < n && at) {
    at = cron.nextRun(at);
    if (at) out.push(at.toISOString());
  }
  cron.stop();
  return out;
}

export interface Occurrences {
  /** The newest scheduled times in (after, upTo], oldest first (at most `keep`). */
  times: string[];
  /** How many older ones there were besides. */
  dropped: number;
}

/** Scheduled times strictly after `after` and at or before `upTo`. */
export function occurrencesBetween(pattern: string, timezone: string | null, after: Date, upTo: Date, keep = 100): Occurrences {
  const cron = cronFor(pattern, timezone);
  const times: string[] = [];
  let dropped = 0;
  let at: Date | null = after;
  for (let step = 0; step < MAX_STEPS; step++) {
    at = cron.nextRun(at);
    if (!at || at.getTime() > upTo.getTime()) break;
    times.push(at.toISOString());
    if (times.length > keep) {
      times.shift();
      dropped++;
    }
  }
  cron.stop();
  return { times, dropped };
}

/** Which missed times run (oldest first) and which are only recorded as missed. */
export function planMissed(times: readonly string[], policy: MissedPolicy, catchupLimit: number): { run: string[]; missed: string[] } {
  const keep = policy === 'skip' ? 0 : policy === 'once' ? 1 : Math.max(1, catchupLimit);
  const cut = Math.max(0, times.length - keep);
  return { run: times.slice(cut), missed: times.slice(0, cut) };
}

/** The machine's own IANA time zone (what a schedule without one is read in). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
