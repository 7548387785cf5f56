import { describe, expect, it } from 'vitest';
import { fail, ok, type Envelope, type PaddockTransport } from '../../shared/ipc';
import { withBusyRetry } from './busy-retry';

/** A transport that answers from a script, one envelope per call. */
function scripted(answers: Envelope[]): PaddockTransport & { calls: number } {
  const t = {
    calls: 0,
    invoke: async () => {
      const a = answers[Math.min(t.calls, answers.length - 1)]!;
      t.calls++;
      return a;
    },
    subscribe: () => () => {},
  };
  return t;
}

describe('withBusyRetry', () => {
  it('tries a BUSY call again until it goes through, and says busy only meanwhile', async () => {
    const inner = scripted([fail('BUSY', 'busy'), fail('BUSY', 'busy'), ok(42)]);
    const states: boolean[] = [];
    const t = withBusyRetry(inner, { delaysMs: [1], onBusyChange: (b) => states.push(b), sleep: async () => {} });
    expect(await t.invoke('agents.list', {})).toEqual(ok(42));
    expect(inner.calls).toBe(3);
    expect(states).toEqual([true, false]);
  });

  it('hands other failures over at once, untouched', async () => {
    const inner = scripted([fail('CONFLICT', 'no')]);
    const t = withBusyRetry(inner, { sleep: async () => {} });
    expect(await t.invoke('agents.list', {})).toEqual(fail('CONFLICT', 'no'));
    expect(inner.calls).toBe(1);
  });

  it('gives the BUSY answer to the caller after the give-up time', async () => {
    let clock = 0;
    const inner = scripted([fail('BUSY', 'still busy')]);
    const t = withBusyRetry(inner, { delaysMs: [1000], giveUpAfterMs: 5000, now: () => clock, sleep: async (ms) => void (clock += ms) });
    expect(await t.invoke('agents.list', {})).toEqual(fail('BUSY', 'still busy'));
    expect(inner.calls).toBe(6);
  });
});
