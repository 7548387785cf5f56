import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { PIPELINE_CANCELLED, openWorkerConnection, type WriterConnection } from './worker-connection.js';
import { insertRoot, microtasks } from './worker-connection.testing.js';
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

describe('worker connection', () => {
  it('runs execute and batch on the database, with rows keyed by column name', async () => {
    conn = openWorkerConnection(t.url);
    const rs = await conn.execute({ sql: 'SELECT ? AS a, ? AS b', args: [1, 'x'] });
    expect(rs.columns).toEqual(['a', 'b']);
    expect(rs.rows[0]).toMatchObject({ a: 1, b: 'x' });
    const sessionId = await t.newSession();
    const results = await conn.batch(
      [
        insertRoot(sessionId, 'a'),
        { sql: 'SELECT count(*) AS c FROM log_nodes WHERE session_id = ?', args: [sessionId] },
      ],
      'write',
    );
    expect(results[0]!.rowsAffected).toBe(1);
    expect(results[1]!.rows[0]).toMatchObject({ c: 1 });
    expect(await t.logs.count(sessionId)).toBe(1);
  });

  it('rolls a failed batch back and reports the driver error code', async () => {
    conn = openWorkerConnection(t.url);
    const sessionId = await t.newSession();
    const error = await conn.batch([insertRoot(sessionId, 'a', 0), insertRoot(sessionId, 'a', 1)], 'write').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as { code?: string }).code)).toMatch(/^SQLITE_CONSTRAINT/);
    expect(await t.logs.count(sessionId)).toBe(0);
    // The connection is still usable.
    expect((await conn.execute('SELECT 1 AS one')).rows[0]).toMatchObject({ one: 1 });
  });

  it('waitIdle() blocks until every request is answered and settles it without a turn of the event loop', async () => {
    conn = openWorkerConnection(t.url);
    expect(conn.waitIdle!(1_000)).toBe(true);
    let answered = false;
    const p = conn.execute("SELECT 'late' AS v").then((rs) => {
      answered = rs.rows[0]?.v === 'late';
    });
    expect(conn.waitIdle!(10_000)).toBe(true);
    await microtasks();
    expect(answered).toBe(true);
    await p;
  });

  it('checks every argument: a boolean is stored as 1/0; undefined or an object is an error, never a crash', async () => {
    conn = openWorkerConnection(t.url);
    expect((await conn.execute({ sql: 'SELECT ? AS t, ? AS f, ? AS n', args: [true, false, null] })).rows[0]).toMatchObject({ t: 1, f: 0, n: null });
    const bad = [undefined, { a: 1 }, Number.NaN, () => 1] as unknown[];
    for (const value of bad) {
      const error = await conn.execute({ sql: 'SELECT ? AS v', args: [value] as never[] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ARGUMENT_INVALID' });
    }
    // A bad value inside a batch rolls it back like any other failure; the worker lives on.
    const sessionId = await t.newSession();
    await expect(conn.batch([insertRoot(sessionId, 'n1'), { sql: 'SELECT ?', args: [{} as never] }], 'write')).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
    expect(await t.logs.count(sessionId)).toBe(0);
    expect((await conn.execute('SELECT 1 AS one')).rows[0]).toMatchObject({ one: 1 });
  });

  it('runs a batchAfterPrevious only if the batch before it succeeded', async () => {
    conn = openWorkerConnection(t.url);
    const sessionId = await t.newSession();
    const insert = (id: string, seq: number) => insertRoot(sessionId, id, seq);
    const failing = conn.batch([insert('a', 0), insert('a', 1)], 'write');
    const behind = conn.batchAfterPrevious!([insert('b', 2)], 'write');
    await expect(failing).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
    await expect(behind).rejects.toMatchObject({ code: PIPELINE_CANCELLED });
    expect(await t.logs.count(sessionId)).toBe(0);
    // A plain batch starts afresh; one behind a success runs.
    await conn.batch([insert('c', 3)], 'write');
    await conn.batchAfterPrevious!([insert('d', 4)], 'write');
    expect(await t.logs.count(sessionId)).toBe(2);
  });

  it('refuses requests after close()', async () => {
    conn = openWorkerConnection(t.url);
    await conn.execute('SELECT 1');
    conn.close();
    await expect(conn.execute('SELECT 1')).rejects.toThrow(/exited|closed/);
    conn = null;
  });
});

describe('LogWriter on a worker connection', () => {
  it('writes the same log as on the main thread', async () => {
    const stream = async (w: LogWriter, sessionId: string) => {
      const a = w.startNode({ sessionId, kind: 'assistant_message', role: 'assistant' });
      for (let i = 0; i < 200; i++) w.appendDelta(a, `d${i} `);
      const tool = w.startNode({ sessionId, parentId: a, kind: 'action', toolName: 'bash' });
      w.appendDelta(tool, '{"cmd":');
      w.appendDelta(tool, '"ls"}');
      w.updateToolStatus(tool, 'running');
      w.finishNode(tool, { status: 'complete', toolResult: { out: 'x' } });
      w.finishNode(a, { status: 'complete', tokensOut: 7 });
      await w.close();
    };
    const shape = async (sessionId: string) =>
      (await t.logs.tree(sessionId)).map(({ id: _i, sessionId: _s, parentId: _p, startedAt: _a, endedAt: _e, durationMs: _d, ...rest }) => rest);
    const onWorker = await t.newSession('worker');
    const onMain = await t.newSession('main');
    await stream(await LogWriter.open({ url: t.url }), onWorker);
    await stream(await LogWriter.open({ url: t.url }, { worker: false }), onMain);
    expect(await shape(onWorker)).toEqual(await shape(onMain));
    expect((await t.logs.tree(onWorker))[0]!.content).toBe(Array.from({ length: 200 }, (_, i) => `d${i} `).join(''));
  });

  it('lets a producer send one batch ahead of the database, and holds it once the pipeline is full (backpressure)', async () => {
    const sessionId = await t.newSession();
    conn = openWorkerConnection(t.url);
    const w = new LogWriter(conn);
    try {
      const node = w.startNode({ sessionId, kind: 'assistant_message' });
      await w.flush();
      const flushesBefore = w.stats().flushes;
      const big = 'x'.repeat(70 * 1024);
      w.appendDelta(node, big); // over 64 KB: a flush starts on the next turn
      await new Promise((r) => setImmediate(r)); // ...and its batch is now on the worker
      w.appendDelta(node, big); // over 64 KB again: room for a second batch, so no wait here
      expect(w.stats().flushes).toBe(flushesBefore);
      await new Promise((r) => setImmediate(r)); // the second batch is sent behind the first
      w.appendDelta(node, big); // the pipeline is full: waits until at most one batch is in flight
      expect(conn.waitIdle!(0, 1)).toBe(true);
      await w.flush();
      expect((await t.logs.chunks(node)).map((c) => c.text.length)).toEqual([big.length, big.length, big.length]);
    } finally {
      await w.close();
    }
  });

  it('a busy database fails a batch with another queued behind it: both are retried in order and nothing is lost', async () => {
    const sessionId = await t.newSession();
    // A short busy timeout, so a held write lock fails the batch fast.
    const connect = async (): Promise<WriterConnection> => openWorkerConnection(t.url, { busyTimeoutMs: 30 });
    const w = new LogWriter(await connect(), { ownsClient: true, reopen: connect });
    const errors: string[] = [];
    let firstFailure: () => void = () => {};
    const failed = new Promise<void>((resolve) => (firstFailure = resolve));
    w.on('error', (e) => {
      errors.push(e.code);
      if (e.code === 'FLUSH_FAILED') firstFailure();
    });
    // Which nodes each commit brought, in commit order.
    const commits: string[][] = [];
    w.on('commit', (c) => commits.push(c.inserted.map((n) => n.id)));
    try {
      const root = w.startNode({ sessionId, kind: 'assistant_message' });
      await w.flush();
      // The lock is held until A fails on it, and let go right then: B, queued behind A, could
      // then commit on its own if the connection ran it (it must not).
      const blocker = await t.client.transaction('write');
      const released = failed.then(async () => {
        await blocker.rollback();
        blocker.close();
      });
      // Batch A: a new node under root, and root's first deltas; a node end sends it at once.
      const a = w.startNode({ sessionId, parentId: root, kind: 'thought', status: 'complete', content: 'a' });
      w.appendDelta(root, 'one,');
      await new Promise((r) => setImmediate(r)); // A is on the worker, waiting for the lock
      // Batch B, sent behind A: root's second child (its seq counts on A's) and more deltas.
      const sibling = w.startNode({ sessionId, parentId: root, kind: 'system', status: 'complete', content: 'b' });
      w.appendDelta(root, 'two,');
      await new Promise((r) => setImmediate(r));
      await released;
      expect(errors).toContain('FLUSH_FAILED');
      w.appendDelta(root, 'three');
      w.finishNode(root, { status: 'complete' });
      await w.flush();
      const tree = await t.logs.tree(sessionId);
      expect(tree.map((n) => [n.id, n.kind, n.depth, n.seq, n.content])).toEqual([
        [root, 'assistant_message', 0, 0, 'one,two,three'],
        [a, 'thought', 1, 0, 'a'],
        [sibling, 'system', 1, 1, 'b'],
      ]);
      expect(errors).not.toContain('WRITE_REJECTED');
      // Nothing of B reached the database without A: A came in the same commit or an earlier one.
      const commitOf = (id: string) => commits.findIndex((ids) => ids.includes(id));
      expect(commitOf(a)).toBeGreaterThanOrEqual(0);
      expect(commitOf(a)).toBeLessThanOrEqual(commitOf(sibling));
      expect((await t.logs.chunks(root)).map((c) => [c.seq, c.text])).toEqual([
        [0, 'one,'],
        [1, 'two,'],
        [2, 'three'],
      ]);
    } finally {
      await w.close();
    }
  });

  it('a batch queued behind one the database refuses is not run, so the per-session retry keeps the other session whole', async () => {
    const doomed = await t.newSession('deleted mid-stream');
    const kept = await t.newSession('kept');
    const w = await LogWriter.open({ url: t.url });
    const errors: { code: string; sessionId?: unknown }[] = [];
    w.on('error', (e) => errors.push({ code: e.code, sessionId: (e.details as { sessionId?: unknown } | undefined)?.sessionId }));
    try {
      const x = w.startNode({ sessionId: doomed, kind: 'assistant_message' });
      const r = w.startNode({ sessionId: kept, kind: 'assistant_message' });
      await w.flush();
      await t.repo.sessions.delete(doomed);
      // Batch A: megabytes of deltas for the kept session (so it runs a while), then one for the
      // deleted session, which makes the database refuse the whole batch.
      const big = 'y'.repeat(256 * 1024);
      for (let i = 0; i < 16; i++) w.appendDelta(r, big);
      w.appendDelta(x, 'lost');
      w.finishNode(x, { status: 'complete' });
      await new Promise((res) => setImmediate(res)); // A is committing on the worker
      // Batch B, sent behind A: the kept session's next delta and a finished node. On its own it
      // would commit, and the retry of A's kept-session part (with B's) would then collide with it.
      w.appendDelta(r, 'tail');
      const note = w.startNode({ sessionId: kept, kind: 'system', status: 'complete', content: 'note' });
      await new Promise((res) => setImmediate(res));
      w.finishNode(r, { status: 'complete' });
      await w.flush();
      expect(await t.logs.get(x)).toBeNull();
      expect((await t.logs.get(note))?.content).toBe('note');
      const root = await t.logs.get(r);
      expect(root?.status).toBe('complete');
      expect(root?.content).toBe(big.repeat(16) + 'tail');
      expect(errors.filter((e) => e.code === 'WRITE_REJECTED').map((e) => e.sessionId)).toEqual([doomed]);
    } finally {
      await w.close();
    }
  });
});
