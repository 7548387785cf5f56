// Closing the runtime must not leave a timer behind: its 10 s "wait for runs to wind down" timer
// once outlived close(), so a host that had nothing left to do still took 10 s to exit.
import { afterEach, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

it('close() leaves no timer running', async () => {
  h = await createHarness();
  const before = timers();
  await h.runtime.close();
  expect(timers()).toBeLessThanOrEqual(before);
});
