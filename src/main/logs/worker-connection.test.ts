import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogsTestDb, type LogsTestDb } from './test-support.js';
import { openWorkerConnection, type WriterConnection } from './worker-connection.js';
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

/** Lets pending microtasks run, but never a macrotask (a message from the worker is one). */
async function microtasks(n = 30): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('worker connection', () => {
  it('runs execute and batch on the database, with rows keyed by column name', async () => {
    conn = openWorkerConnection(t.url);
    const rs = await conn.execute({ sql: 'SELECT ? AS a, ? AS b', args: [1, 'x'] });
    expect(rs.columns).toEqual(['a', 'b']);
    expect(rs.rows[0]).toMatchObject({ a: 1, b: 'x' });
    const sessionId = await t.newSession();
    const results = await conn.batch(
      [
        { sql: "INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, started_at) VALUES ('a', ?, 0, 0, '00000000', 'system', 'complete', '2026-03-01T10:00:00.000Z')", args: [sessionId] },
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
    const insert = (id: string) => ({
      sql: "INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, started_at) VALUES (?, ?, ?, 0, printf('%08d', ?), 'system', 'complete', '2026-03-01T10:00:00.000Z')",
      args: [id, sessionId, id === 'a' ? 0 : 1, id === 'a' ? 0 : 1],
    });
    const error = await conn.batch([insert('a'), insert('a')], 'write').catch((e: unknown) => e);
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

  it('makes a producer that filled a flush wait for the running commit (backpressure)', async () => {
    const sessionId = await t.newSession();
    const w = await LogWriter.open({ url: t.url });
    try {
      const node = w.startNode({ sessionId, kind: 'assistant_message' });
      await w.flush();
      const flushesBefore = w.stats().flushes;
      const big = 'x'.repeat(70 * 1024);
      w.appendDelta(node, big); // over 64 KB: a flush starts on the next turn
      await new Promise((r) => setImmediate(r)); // ...and is now running on the worker
      w.appendDelta(node, big); // over 64 KB again while it runs: waits for it here
      await microtasks();
      // The running commit was answered inside appendDelta: its bookkeeping needed no event-loop turn.
      expect(w.stats().flushes).toBe(flushesBefore + 1);
      await w.flush();
      expect((await t.logs.chunks(node)).map((c) => c.text.length)).toEqual([big.length, big.length]);
    } finally {
      await w.close();
    }
  });
});
