// Streamed text stored once (0030_log_spans, 0100_log_timings): a node that ends keeps one timing row instead of its
// chunk rows, and chunks(), chunksOfSession() and sessionLog() still return exactly the deltas
// that were streamed, with their timing.

import { describe, expect, it } from 'vitest';
import type { LogChunk } from '../../shared/domain.js';
import { recoverInterrupted } from './recovery.js';
import { COMPACT_DELETE_SQL, COMPACT_INSERT_SQL, decodeTiming } from './spans.js';
import { eachTestLogsDb, type LogsTestDb } from './testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

async function count(table: 'log_chunks' | 'log_timings', nodeId: string): Promise<number> {
  const where = table === 'log_chunks' ? 'node_id = ?' : 'n = (SELECT n FROM log_nodes WHERE id = ?)';
  const rs = await t.client.execute({ sql: `SELECT count(*) AS c FROM ${table} WHERE ${where}`, args: [nodeId] });
  return Number(rs.rows[0]!.c);
}

/** What the deltas must read back as: seq, text, and an atMs that never goes down. */
function expectDeltas(chunks: LogChunk[], nodeId: string, texts: string[]): void {
  expect(chunks.map((c) => [c.nodeId, c.seq, c.text])).toEqual(texts.map((x, i) => [nodeId, i, x]));
  for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.atMs).toBeGreaterThanOrEqual(chunks[i - 1]!.atMs);
}

describe('spans: streamed text stored once', () => {
  it('a finished message keeps one span, no chunk rows, and reads back every delta exactly (multi-byte text too)', async () => {
    const w = await LogWriter.open({ url: t.url });
    const texts = ['Hé', 'llo ', '🙂', ' wörld', ' 日本語', '\n```js\nx\n```'];
    const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'pre: ' });
    for (const x of texts) {
      w.appendDelta(id, x);
      await w.flush(); // one chunk per flush: real timings, several transactions
    }
    const before = await t.logs.chunks(id);
    expectDeltas(before, id, texts);
    w.finishNode(id, { status: 'complete' });
    await w.close();

    expect(await count('log_chunks', id)).toBe(0);
    expect(await count('log_timings', id)).toBe(1);
    expect((await t.logs.get(id))!.content).toBe(`pre: ${texts.join('')}`);
    const after = await t.logs.chunks(id);
    expect(after).toEqual(before);
    expect(await t.logs.chunksOfSession(sessionId)).toEqual(before);
    expect((await t.logs.sessionLog(sessionId)).chunks).toEqual(before);
  });

  it('an action whose streamed arguments are compact JSON is folded; spaced JSON and replaced text keep their chunks', async () => {
    const w = await LogWriter.open({ url: t.url });
    const compact = w.startNode({ sessionId, kind: 'action', toolName: 'bash' });
    for (const x of ['{"cmd":', '"ls -la"', '}']) w.appendDelta(compact, x);
    const spaced = w.startNode({ sessionId, kind: 'action', toolName: 'bash' });
    for (const x of ['{ "cmd": ', '"pwd" }']) w.appendDelta(spaced, x);
    const replaced = w.startNode({ sessionId, kind: 'assistant_message' });
    for (const x of ['draft ', 'text']) w.appendDelta(replaced, x);
    await w.flush();
    w.updateToolStatus(compact, 'running');
    w.updateToolStatus(spaced, 'running');
    w.finishNode(replaced, { status: 'complete', content: 'final text' });
    await w.close();

    expect(await count('log_timings', compact)).toBe(1);
    expect(await count('log_chunks', compact)).toBe(0);
    expect(await count('log_timings', spaced)).toBe(0);
    expect(await count('log_timings', replaced)).toBe(0);
    expectDeltas(await t.logs.chunks(compact), compact, ['{"cmd":', '"ls -la"', '}']);
    expectDeltas(await t.logs.chunks(spaced), spaced, ['{ "cmd": ', '"pwd" }']);
    expectDeltas(await t.logs.chunks(replaced), replaced, ['draft ', 'text']);
    // Tree order across span and chunk-row nodes alike.
    const all = await t.logs.chunksOfSession(sessionId);
    expect(all.map((c) => c.nodeId)).toEqual([compact, compact, compact, spaced, spaced, replaced, replaced]);
    expect((await t.logs.sessionLog(sessionId)).chunks).toEqual(all);
  });

  it('a streaming node keeps its chunk rows until it ends; recovery folds a node interrupted mid-stream', async () => {
    const w = await LogWriter.open({ url: t.url });
    const id = w.startNode({ sessionId, kind: 'thought' });
    w.appendDelta(id, 'think');
    w.appendDelta(id, 'ing…');
    await w.flush();
    expect(await count('log_chunks', id)).toBe(2);
    expect(await count('log_timings', id)).toBe(0);
    // The process "dies": the writer goes away with the node still streaming.
    await w.close();
    const recovered = await recoverInterrupted(t.client);
    expect(recovered.nodes).toBe(1);
    expect(await count('log_chunks', id)).toBe(0);
    expect(await count('log_timings', id)).toBe(1);
    expect((await t.logs.get(id))!.content).toBe('thinking…');
    expectDeltas(await t.logs.chunks(id), id, ['think', 'ing…']);
  });

  it('deleting a session removes its spans', async () => {
    const w = await LogWriter.open({ url: t.url });
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'x');
    w.finishNode(id, { status: 'complete' });
    await w.close();
    expect(await count('log_timings', id)).toBe(1);
    const all = async () => Number((await t.client.execute('SELECT count(*) AS c FROM log_timings')).rows[0]!.c);
    expect(await all()).toBe(1);
    await t.logs.deleteBySession(sessionId);
    expect(await all()).toBe(0);
  });

  it('the fold packs every varint width exactly and leaves nodes whose times go back as rows', async () => {
    const at = '2026-02-01T10:00:00.000Z';
    const long = 'x'.repeat(200) + 'é'.repeat(100);
    const wide = [long, 'a', 'b', 'c', 'd', 'ef'];
    const atMs = [0, 0, 127, 255, 16_639, 1_099_511_644_415];
    await t.logs.importNodes(sessionId, [
      { id: 'wide', kind: 'thought', startedAt: at, content: `pre ${wide.join('')}`, chunks: wide.map((text, i) => ({ text, atMs: atMs[i]! })) },
      { id: 'back', kind: 'assistant_message', startedAt: at, content: 'ab', chunks: [{ text: 'a', atMs: 9 }, { text: 'b', atMs: 3 }] },
    ], { newIds: false });
    const before = { wide: await t.logs.chunks('wide'), back: await t.logs.chunks('back') };
    const ids = JSON.stringify(['wide', 'back']);
    await t.client.batch([{ sql: COMPACT_INSERT_SQL, args: [ids] }, { sql: COMPACT_DELETE_SQL, args: [ids] }], 'write');

    expect(await count('log_chunks', 'wide')).toBe(0);
    expect(await count('log_chunks', 'back')).toBe(2);
    const rs = await t.client.execute(`SELECT t.base, t.bytes, t.timing FROM log_timings t JOIN log_nodes n ON n.n = t.n WHERE n.id = 'wide'`);
    const row = rs.rows[0]!;
    expect([row.base, row.bytes]).toEqual([4, 406]);
    expect(decodeTiming(new Uint8Array(row.timing as ArrayBuffer))).toEqual([400, 0, 1, 0, 1, 127, 1, 128, 1, 16_384, 2, 2 ** 40]);
    expect(await t.logs.chunks('wide')).toEqual(before.wide);
    expect(await t.logs.chunks('back')).toEqual(before.back);
  });
});
