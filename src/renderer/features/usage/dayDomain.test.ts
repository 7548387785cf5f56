import { describe, expect, it } from 'vitest';
import { dayDomain, dayLabel, daySeconds, dayTicks } from './dayDomain';

const DAY = 86_400;

describe('usage chart time axis', () => {
  it('spans one day around a single day of data, not years', () => {
    const [x] = daySeconds(['2026-12-03']);
    const [min, max] = dayDomain([x!]);
    expect(min).toBe(x! - DAY / 2);
    expect(max).toBe(x! + DAY / 2);
    expect(new Date(max * 1000).toISOString().slice(0, 10)).toBe('2026-12-03');
  });

  it('covers the first to the last day with half a day either side', () => {
    const xs = daySeconds(['2026-11-01', '2026-11-02', '2026-11-30']);
    expect(dayDomain(xs)).toEqual([xs[0]! - DAY / 2, xs[2]! + DAY / 2]);
  });

  it('ignores unparsable keys and still gives a one-day range without data', () => {
    const xs = daySeconds(['not-a-day', '2026-01-05']);
    expect(dayDomain(xs)).toEqual([xs[1]! - DAY / 2, xs[1]! + DAY / 2]);
    const [min, max] = dayDomain([]);
    expect(max - min).toBe(DAY);
  });
});

describe('usage chart day ticks', () => {
  it('puts one tick on a single day, labelled with its date', () => {
    const [x] = daySeconds(['2026-12-03']);
    expect(dayTicks(dayDomain([x!]), 8)).toEqual([x]);
    expect(dayLabel(x!)).toBe('2026-12-03');
  });

  it('thins the ticks of a long range to at most the given count, on day starts', () => {
    const xs = daySeconds(['2026-01-01', '2026-03-31']);
    const ticks = dayTicks(dayDomain(xs), 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0]).toBe(xs[0]);
    expect(ticks.every((t) => t % DAY === 0)).toBe(true);
  });
});
