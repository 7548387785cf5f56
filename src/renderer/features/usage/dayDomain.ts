// The time axis of the usage chart. uPlot widens a single-point time scale by 86,400 / ms
// units, which with second timestamps (its default, ms = 1e-3) is 86,400,000 s: one day of data
// drew an axis running almost three years ahead. The chart therefore sets the x range itself.

const DAY_S = 86_400;

/** Seconds since epoch of the start (UTC) of each day key (YYYY-MM-DD). */
export function daySeconds(keys: readonly string[]): number[] {
  return keys.map((key) => Date.parse(`${key}T00:00:00.000Z`) / 1000);
}

/** The x range for days at `xs` (seconds, ascending): half a day of margin either side, so a
 *  day's bar is whole, and never less than that around a single day. */
export function dayDomain(xs: readonly number[]): [number, number] {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) {
    const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
    return [today - DAY_S / 2, today + DAY_S / 2];
  }
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return [min - DAY_S / 2, max + DAY_S / 2];
}

/** Tick positions for the axis: day starts inside the domain, every `step` days so that at
 *  most `maxTicks` are drawn (a bar per day, so hours between them would mean nothing). */
export function dayTicks([min, max]: readonly [number, number], maxTicks: number): number[] {
  const first = Math.ceil(min / DAY_S) * DAY_S;
  const days = Math.max(0, Math.floor((max - first) / DAY_S) + 1);
  const step = Math.max(1, Math.ceil(days / Math.max(1, maxTicks)));
  const out: number[] = [];
  for (let t = first; t <= max; t += step * DAY_S) out.push(t);
  return out;
}

/** A tick's label: the day, as the tables write it. */
export function dayLabel(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
