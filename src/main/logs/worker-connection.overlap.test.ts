import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { openWorkerConnection, type WriterConnection } from './worker-connection.js';
import { flushEventually, gatedConnection, insertRoot } from './worker-connection.testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let conn: WriterConnection | null = null;

beforeEach(async () => {
  t = await openLogsTestDb();
});

afterEach(async () => {
  conn?.close();
  conn = null;
  await t.cleanup();
});

describe('LogWriter: placing a batch while the one before it fails', () => {
  it('a session the writer knew is never taken for a deleted one because its cache was cleared mid-placement', async () => {
    const sessionId = await t.newSession();
    const real = openWorkerConnection(t.url);
    conn = real;
    const { conn: gated, gate, failHeldBatch } = gatedConnection(real);
    const w = new LogWriter(gated, { reopen: async () => gated });
    const errors: { code: string; message: string }[] = [];
    w.on('error', (e) => errors.push({ code: e.code, message: e.message }));
    try {
      const root = w.startNode({ sessionId, kind: 'assistant_message' });
      await w.flush(); // the writer now knows the session (its next root seq) and root's place
      // A node another writer stored: placing a child under it needs a read.
      await t.client.execute(insertRoot(sessionId, 'other-writers-node', 1));

      gate.holding = true;
      const a = w.startNode({ sessionId, parentId: root, kind: 'thought', status: 'complete', content: 'a' });
      await gate.batchCalled.promise; // batch 1 (a) is in flight
      const b = w.startNode({ sessionId, parentId: 'other-writers-node', kind: 'system', status: 'complete', content: 'b' });
      await gate.readCalled.promise; // batch 2 (b) is being placed, waiting for its read
      // Batch 1 fails for a transient reason: the writer forgets every place it cached.
      failHeldBatch(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
      await new Promise((r) => setImmediate(r));
      gate.holding = false;
      gate.readGate.resolve();

      await flushEventually(w);
      expect(errors.filter((e) => e.code === 'WRITE_REJECTED')).toEqual([]);
      const tree = await t.logs.tree(sessionId);
      expect(tree.map((n) => [n.id, n.parentId, n.content]).sort()).toEqual(
        [
          [root, null, ''],
          [a, root, 'a'],
          ['other-writers-node', null, ''],
          [b, 'other-writers-node', 'b'],
        ].sort(),
      );
    } finally {
      await w.close();
    }
  });
});

describe('LogWriter: placing a batch while the one before it commits', () => {
  it('a parent evicted from the place cache while a placement reads is read back, not taken for unknown', async () => {
    const sessionId = await t.newSession();
    const real = openWorkerConnection(t.url);
    conn = real;
    const { conn: gated, gate, runHeldBatch } = gatedConnection(real);
    // A tiny place cache: the next commit evicts the oldest finished nodes' places.
    const w = new LogWriter(gated, { reopen: async () => gated, placeCacheSize: 2 });
    const rejections: string[] = [];
    w.on('error', (e) => {
      if (e.code === 'WRITE_REJECTED') rejections.push(e.message);
    });
    try {
      await t.client.execute(insertRoot(sessionId, 'other-writers-node', 0));
      const q = w.startNode({ sessionId, kind: 'user_message', status: 'complete', content: 'q' });
      await w.flush();

      gate.holding = true;
      const roots = [1, 2, 3].map((i) => w.startNode({ sessionId, kind: 'system', status: 'complete', content: `r${i}` }));
      await gate.batchCalled.promise; // batch 1 is in flight; q's place is still cached
      const b = w.startNode({ sessionId, parentId: q, kind: 'thought', status: 'complete', content: 'b' });
      const c = w.startNode({ sessionId, parentId: 'other-writers-node', kind: 'thought', status: 'complete', content: 'c' });
      await gate.readCalled.promise; // batch 2 is being placed, waiting for its read of other-writers-node
      gate.holding = false;
      const committed = new Promise((r) => w.once('commit', r));
      runHeldBatch(); // batch 1 commits; its commit evicts q's place
      await committed;
      gate.readGate.resolve();
      await w.flush();

      expect(rejections).toEqual([]);
      const tree = await t.logs.tree(sessionId);
      const parentOf = new Map(tree.map((n) => [n.id, n.parentId]));
      expect(parentOf.get(b)).toBe(q);
      expect(parentOf.get(c)).toBe('other-writers-node');
      for (const r of roots) expect(parentOf.get(r)).toBeNull();
    } finally {
      await w.close();
    }
  });
});
