// The writer's fold (fold.ts, timing.ts): deltas of a node that ends in the same batch are never
// written as chunk rows, yet every node reads back exactly the deltas it was streamed, whether
// it folded or the check refused it, and whatever part of it was committed before its end.

import { describe, expect, it } from 'vitest';
import type { LogChunk } from '../../../shared/domain.js';
import { decodeTiming } from '../spans.js';
import { eachTestLogsDb, type LogsTestDb } from '../testing.js';
import { LogWriter } from '../writer.js';
import { TimingPacker } from './timing.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

async function rows(nodeId: string): Promise<{ chunks: number; timings: number }> {
  const rs = await t.client.execute({
    sql: `SELECT (SELECT count(*) FROM log_chunks WHERE node_id = ?1) AS c,
            (SELECT count(*) FROM log_timings WHERE n = (SELECT n FROM log_nodes WHERE id = ?1)) AS s`,
    args: [nodeId],
  });
  return { chunks: Number(rs.rows[0]!.c), timings: Number(rs.rows[0]!.s) };
}

function expectDeltas(chunks: LogChunk[], nodeId: string, texts: string[]): void {
  expect(chunks.map((c) => [c.nodeId, c.seq, c.text])).toEqual(texts.map((x, i) => [nodeId, i, x]));
  for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.atMs).toBeGreaterThanOrEqual(chunks[i - 1]!.atMs);
}

interface Case {
  kind: 'assistant_message' | 'action';
  texts: string[];
  /** finishNode's explicit content, if any. */
  content?: string;
  folds: boolean;
  text: string;
}

const CASES: Record<string, Case> = {
  message: { kind: 'assistant_message', texts: ['Hé', 'llo ', '🙂', ' wörld'], folds: true, text: 'pre Héllo 🙂 wörld' },
  compactArgs: { kind: 'action', texts: ['{"cmd":', '"ls -la"', '}'], folds: true, text: '{"cmd":"ls -la"}' },
  spacedArgs: { kind: 'action', texts: ['{ "cmd": ', '"pwd" }'], folds: false, text: '{"cmd":"pwd"}' },
  replaced: { kind: 'assistant_message', texts: ['draft ', 'text'], content: 'final text', folds: false, text: 'final text' },
  sameTail: { kind: 'assistant_message', texts: ['my', ' text'], content: 'all my text', folds: true, text: 'all my text' },
};

/** Streams every case, committing the first `committedFirst` deltas of each before the rest and the end go in one batch. */
async function streamAll(committedFirst: number): Promise<Record<string, string>> {
  const w = await LogWriter.open({ url: t.url });
  const ids: Record<string, string> = {};
  for (const [name, c] of Object.entries(CASES)) {
    ids[name] = w.startNode({ sessionId, kind: c.kind, content: c.kind === 'action' ? '' : 'pre ', ...(c.kind === 'action' ? { toolName: 'bash' } : {}) });
  }
  for (const [name, c] of Object.entries(CASES)) c.texts.slice(0, committedFirst).forEach((x) => w.appendDelta(ids[name]!, x));
  if (committedFirst > 0) await w.flush();
  for (const [name, c] of Object.entries(CASES)) {
    c.texts.slice(committedFirst).forEach((x) => w.appendDelta(ids[name]!, x));
    w.finishNode(ids[name]!, { status: 'complete', ...(c.content !== undefined ? { content: c.content } : {}) });
  }
  await w.close();
  return ids;
}

describe('the writer folds the nodes a batch ends', () => {
  for (const committedFirst of [0, 1, 2]) {
    it(`reads back every delta exactly, folded or not (${committedFirst} deltas committed before the end)`, async () => {
      const ids = await streamAll(committedFirst);
      for (const [name, c] of Object.entries(CASES)) {
        const id = ids[name]!;
        const node = (await t.logs.get(id))!;
        expect(c.kind === 'action' ? JSON.stringify(node.toolArgs) : node.content, name).toBe(c.text);
        expect(await rows(id), name).toEqual(c.folds ? { chunks: 0, timings: 1 } : { chunks: c.texts.length, timings: 0 });
        expectDeltas(await t.logs.chunks(id), id, c.texts);
      }
      const all = await t.logs.chunksOfSession(sessionId);
      expect(all.map((c) => c.text)).toEqual(Object.values(CASES).flatMap((c) => c.texts));
      expect((await t.logs.sessionLog(sessionId)).chunks).toEqual(all);
    });
  }

  it('a node that ends with no deltas writes neither rows nor timing', async () => {
    const w = await LogWriter.open({ url: t.url });
    const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'whole' });
    w.finishNode(id, { status: 'complete' });
    await w.close();
    expect(await rows(id)).toEqual({ chunks: 0, timings: 0 });
    expect((await t.logs.get(id))!.content).toBe('whole');
  });
});

describe('TimingPacker', () => {
  it('packs lengths in UTF-8 bytes and time steps as the varints decodeTiming reads, every width', () => {
    const p = new TimingPacker();
    const deltas: [string, number][] = [['x'.repeat(200) + 'é'.repeat(100), 0], ['a', 0], ['b', 127], ['c', 255], ['d', 16_639], ['ef', 1_099_511_644_415]];
    for (const [text, at] of deltas) expect(p.push(text, at)).toBe(true);
    const r = p.result()!;
    expect([r.count, r.bytes]).toEqual([6, 406]);
    expect(decodeTiming(Buffer.from(r.hex, 'hex'))).toEqual([400, 0, 1, 0, 1, 127, 1, 128, 1, 16_384, 2, 2 ** 40]);
  });

  it('refuses a time step back and text that is not well-formed; has nothing to fold before a delta', () => {
    expect(new TimingPacker().result()).toBeNull();
    const back = new TimingPacker();
    expect(back.push('a', 9)).toBe(true);
    expect(back.push('b', 3)).toBe(false);
    expect(new TimingPacker().push('\ud800', 0)).toBe(false);
  });
});
