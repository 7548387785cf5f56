// A run while another program holds the database's write lock for longer than the busy
// timeout: the stream goes on into the writer's buffer, and once the lock is gone the run
// completes with all its text and the right final status (it once stayed 'running' until a
// restart, its closing writes having failed with SQLITE_BUSY).
import { afterEach, expect, it } from 'vitest';
import { holdWriteLock, type WriteLockHolder } from '../db/testing';
import { createHarness, type Harness } from './testing/harness';

let h: Harness | null = null;
let holder: WriteLockHolder | null = null;

afterEach(async () => {
  holder?.kill();
  holder = null;
  await h?.cleanup();
  h = null;
});

it('a run goes on through a write lock held longer than the busy timeout, and completes with all its text', async () => {
  h = await createHarness();
  const s = await h.newSession();
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(8);
  h.server.push({ parts: [{ type: 'text', text }], usage: { input: 10, output: 90 }, delayMs: 20, chunkSize: 6 });
  await h.runtime.start({ sessionId: s.id, message: 'Tell me about foxes.' });
  await h.waitForStatus(s.id, 'running');
  await h.server.waitForRequests(1);

  const lock = (holder = await holdWriteLock(h.repo.db.path));
  // Longer than every connection's 5 s busy timeout: the writer's flushes and the run's closing
  // writes really fail with SQLITE_BUSY meanwhile.
  await new Promise((r) => setTimeout(r, 6_500));
  expect((await h.repo.sessions.get(s.id)).status).toBe('running');
  await lock.release();

  const done = await h.waitForStatus(s.id, 'completed', 'failed', 'stopped');
  expect(done.status).toBe('completed');
  const tree = await h.tree(s.id);
  const answer = tree.find((n) => n.kind === 'assistant_message');
  expect(answer?.content).toBe(text);
  expect(answer?.status).toBe('complete');
  expect(tree.some((n) => n.kind === 'error')).toBe(false);
}, 60_000);
