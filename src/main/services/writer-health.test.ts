// A disk that stays full for a while: the writer keeps retrying, Paddock's log says so once, in
// words (no stack trace per retry), and says when saving works again; nothing is lost.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openLogsTestDb, type LogsTestDb } from '../logs/testing';
import type { WriterConnection } from '../logs/worker-connection';
import { LogWriter } from '../logs/writer';
import { watchWriterHealth } from './writer-health';

let t: LogsTestDb;
beforeEach(async () => {
  t = await openLogsTestDb();
});
afterEach(async () => {
  await t.cleanup();
});

it('says a full disk once, in words, and says when logs are saved again; nothing is lost', async () => {
  const sessionId = await t.newSession();
  // The database's own answer to a full disk, as @libsql/client reports it.
  let diskFull = true;
  const full = () => Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL', rawCode: 13 });
  const conn: WriterConnection = {
    execute: ((stmt: Parameters<WriterConnection['execute']>[0]) => t.client.execute(stmt)) as WriterConnection['execute'],
    batch: (stmts, mode) => (diskFull ? Promise.reject(full()) : t.client.batch(stmts, mode)),
    close: () => undefined,
  };
  const writer = new LogWriter(conn, { flushIntervalMs: 5 });
  const said: Array<{ message: string; error: unknown }> = [];
  const problems: Array<string | null> = [];
  const stop = watchWriterHealth(writer, { warn: (message, error) => said.push({ message, error }) }, (p) => problems.push(p));
  try {
    const node = writer.startNode({ sessionId, kind: 'assistant_message' });
    for (let i = 0; i < 4; i++) {
      writer.appendDelta(node, `part ${i};`);
      await writer.flush().catch(() => undefined);
    }
    expect(writer.stats().failedFlushes).toBeGreaterThan(2);
    expect(said.map((s) => s.message)).toEqual([
      'session logs cannot be saved right now: the disk is full. They are kept in memory and saved as soon as it is possible again.',
    ]);
    expect(said.every((s) => s.error === undefined)).toBe(true);

    diskFull = false;
    writer.finishNode(node, { status: 'complete' });
    await writer.flush();
    expect(said.at(-1)?.message).toMatch(/^session logs are being saved again \(after \d+ failed attempts\)\.$/);
    // The UI is told too: once when it starts, once when it is over.
    expect(problems).toEqual([
      'Session logs cannot be saved right now: the disk is full. They are kept in memory and saved as soon as it is possible again.',
      null,
    ]);
    const [stored] = await t.logs.tree(sessionId);
    expect(stored!.content).toBe('part 0;part 1;part 2;part 3;');
  } finally {
    stop();
    await writer.close();
  }
});
