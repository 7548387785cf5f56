import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { openWorkerConnection, type WriterConnection } from './worker-connection.js';
import { flushEventually } from './worker-connection.testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;

beforeEach(async () => {
  t = await openLogsTestDb();
});

afterEach(async () => {
  await t.cleanup();
});

describe('LogWriter on a worker connection: soak', () => {
  it('streams through a database that another connection keeps locking: every failed batch is retried in order, nothing is lost or doubled', async () => {
    const sessions = [await t.newSession('soak a'), await t.newSession('soak b')];
    const connect = async (): Promise<WriterConnection> => openWorkerConnection(t.url, { busyTimeoutMs: 5 });
    const w = new LogWriter(await connect(), { ownsClient: true, reopen: connect, flushIntervalMs: 5 });
    const errors: string[] = [];
    // Whole messages, so a failure says what was refused and why.
    const rejections: string[] = [];
    w.on('error', (e) => {
      errors.push(e.code);
      if (e.code === 'WRITE_REJECTED') rejections.push(e.message);
    });

    // Another writer takes the write lock for 5–25 ms at a time, about half of the time.
    let streaming = true;
    const blocker = (async () => {
      let turn = 0;
      while (streaming) {
        const tx = await t.client.transaction('write');
        await sleep(5 + ((turn * 7) % 21));
        await tx.rollback();
        tx.close();
        await sleep(5 + ((turn * 11) % 16));
        turn++;
      }
    })();

    // Per session: a tree of 30 nodes (each under an earlier one or a root), 40 deltas each —
    // and more, until the lock got in the writer's way a few times (on a loaded machine the
    // stream can slip between the locks for a long while).
    const expected = new Map<string, { parent: string | null; text: string[] }>();
    const contended = () => errors.filter((e) => e === 'FLUSH_FAILED').length >= 3;
    try {
      for (let i = 0; i < 30 || (!contended() && i < 600); i++) {
        for (const [k, sessionId] of sessions.entries()) {
          const ids = [...expected.keys()].filter((id) => id.startsWith(`${k}:`)).map((id) => id.slice(2));
          const parent = i === 0 || i % 5 === 0 ? null : ids[(i * 7) % ids.length]!;
          const id = w.startNode({ sessionId, parentId: parent, kind: 'assistant_message' });
          const text: string[] = [];
          for (let d = 0; d < 40; d++) {
            const piece = `${k}.${i}.${d};`;
            text.push(piece);
            w.appendDelta(id, piece);
            if (d % 8 === 7) await new Promise((r) => setImmediate(r));
          }
          w.finishNode(id, { status: 'complete' });
          expected.set(`${k}:${id}`, { parent, text });
        }
        await sleep(25);
      }
    } finally {
      streaming = false;
      await blocker;
    }
    await flushEventually(w);
    await w.close();

    // The lock did get in the way, more than once.
    expect(errors.filter((e) => e === 'FLUSH_FAILED').length).toBeGreaterThan(1);
    expect(rejections).toEqual([]);
    for (const [k, sessionId] of sessions.entries()) {
      const tree = await t.logs.tree(sessionId);
      const mine = [...expected].filter(([key]) => key.startsWith(`${k}:`));
      expect(tree).toHaveLength(mine.length);
      const byId = new Map(tree.map((n) => [n.id, n]));
      for (const [key, want] of mine) {
        const id = key.slice(2);
        const node = byId.get(id)!;
        expect(node).toMatchObject({ parentId: want.parent, status: 'complete', content: want.text.join('') });
        expect((await t.logs.chunks(id)).map((c) => [c.seq, c.text])).toEqual(want.text.map((x, seq) => [seq, x]));
      }
    }
  }, 60_000);
});

describe('LogWriter: a database held by another program for long', () => {
  it('keeps what it holds bounded: a producer waits in whenRoom() and goes on, losing nothing, once the lock is gone', async () => {
    const sessionId = await t.newSession();
    const connect = async (): Promise<WriterConnection> => openWorkerConnection(t.url, { busyTimeoutMs: 20 });
    const w = new LogWriter(await connect(), { ownsClient: true, reopen: connect, maxHeldBytes: 4096 });
    const errors: string[] = [];
    w.on('error', (e) => errors.push(e.code));
    try {
      const node = w.startNode({ sessionId, kind: 'assistant_message' });
      await w.flush();
      const blocker = await t.client.transaction('write');
      const pieces: string[] = [];
      let waited = false;
      let released = false;
      for (let i = 0; i < 200; i++) {
        const room = w.whenRoom();
        let ready = false;
        void room.then(() => (ready = true));
        await Promise.resolve();
        await Promise.resolve();
        if (!ready && !released) {
          // Full: the writer holds ~4 KB it could not commit. It stays full while the lock is held.
          waited = true;
          expect(w.stats().bufferedBytes).toBeLessThan(4096 + 200);
          await sleep(100);
          expect(ready).toBe(false);
          await blocker.rollback();
          blocker.close();
          released = true;
        }
        await room;
        const piece = `${i.toString().padStart(3, '0')}:${'x'.repeat(60)};`;
        pieces.push(piece);
        w.appendDelta(node, piece);
      }
      if (!released) {
        await blocker.rollback();
        blocker.close();
      }
      expect(waited).toBe(true);
      w.finishNode(node, { status: 'complete' });
      await flushEventually(w);
      expect(errors).toContain('FLUSH_FAILED');
      const [stored] = await t.logs.tree(sessionId);
      expect(stored!.content).toBe(pieces.join(''));
    } finally {
      await w.close();
    }
  }, 30_000);
});
