import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledPerKey } from './liveUsage';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('live usage refresh', () => {
  it('refreshes a session at once, then at most once per interval, always ending with a refresh after the last event', () => {
    const calls: string[] = [];
    const t = throttledPerKey((k) => calls.push(k), 500);
    t.push('a');
    expect(calls).toEqual(['a']);
    t.push('a');
    t.push('a');
    t.push('b');
    expect(calls).toEqual(['a', 'b']);
    vi.advanceTimersByTime(499);
    expect(calls).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['a', 'b', 'a']);
    t.stop();
  });
});
