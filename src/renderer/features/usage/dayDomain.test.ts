import { describe, expect, it } from 'vitest';
import { dayDomain, daySeconds } from './dayDomain';

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
