// A run while another program holds the database's write lock for longer than the busy
// timeout: the stream goes on into the writer's buffer, and once the lock is gone the run
// completes with all its text and the right final status (it once stayed 'running' until a
// restart, its closing writes having failed with SQLITE_BUSY).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/harness';

let h: Harness | null = null;
let holder: ChildProcess | null = null;

afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = null;
  await h?.cleanup();
  h = null;
});

/** Another process that takes the write lock, says so, and lets go when told (a line on stdin). */
function holdWriteLock(dbPath: string): Promise<{ release: () => Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(driver)});
       const db = new Database(${JSON.stringify(dbPath)});
       db.exec('BEGIN IMMEDIATE');
       db.exec('CREATE TABLE IF NOT EXISTS other_program (x)');
       process.stdout.write('locked\\n');
       process.stdin.once('data', () => { db.exec('COMMIT'); process.stdout.write('released\\n'); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  holder = child;
  const line = (want: string) =>
    new Promise<void>((resolve, reject) => {
      let seen = '';
      const onData = (d: Buffer) => {
        seen += d.toString();
        if (seen.includes(want)) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before '${want}'`)));
    });
  return line('locked').then(() => ({
    release: async () => {
      const released = line('released');
      child.stdin!.write('go\n');
      await released;
    },
  }));
}

it('a run goes on through a write lock held longer than the busy timeout, and completes with all its text', async () => {
  h = await createHarness();
  const s = await h.newSession();
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(8);
  h.server.push({ parts: [{ type: 'text', text }], usage: { input: 10, output: 90 }, delayMs: 20, chunkSize: 6 });
  await h.runtime.start({ sessionId: s.id, message: 'Tell me about foxes.' });
  await h.waitForStatus(s.id, 'running');
  await h.server.waitForRequests(1);

  const lock = await holdWriteLock(h.repo.db.path);
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
