// Text with half of a surrogate pair, as a model stream can send it, is stored as valid UTF-8:
// the driver aborts the process on reading back anything else (surrogates.ts).

import { describe, expect, it } from 'vitest';
import { eachTestLogsDb, type LogsTestDb } from '../testing.js';
import { LogWriter } from '../writer.js';
import { joinDelta } from './surrogates.js';

describe('joinDelta', () => {
  it('holds back a trailing high half and joins it to the next delta', () => {
    expect(joinDelta('', 'a\ud83d')).toEqual({ text: 'a', held: '\ud83d' });
    expect(joinDelta('\ud83d', '\ude00b')).toEqual({ text: '🙂'.replace('🙂', '\ud83d\ude00') + 'b', held: '' });
  });
  it('turns halves that stay alone into U+FFFD', () => {
    expect(joinDelta('', 'x\ude00y')).toEqual({ text: 'x\uFFFDy', held: '' });
    expect(joinDelta('\ud83d', 'z')).toEqual({ text: '\uFFFDz', held: '' });
    expect(joinDelta('', '\ud83d\ud83d')).toEqual({ text: '\uFFFD', held: '\ud83d' });
    expect(joinDelta('', 'ok 🙂')).toEqual({ text: 'ok 🙂', held: '' });
  });
});

describe('the writer with split and lone surrogate halves', () => {
  let t: LogsTestDb;
  let sessionId: string;
  eachTestLogsDb((db, id) => {
    t = db;
    sessionId = id;
  });

  const cases: Array<[string, string[], string]> = [
    ['a pair split across two deltas', ['a\ud83d', '\ude00b'], 'a\ud83d\ude00b'],
    ['a high half that ends the stream', ['end \ud83d'], 'end \uFFFD'],
    ['a low half alone', ['x\ude00', 'y'], 'x\uFFFDy'],
  ];
  for (const [name, deltas, text] of cases) {
    for (const commitFirst of [false, true]) {
      it(`${name}${commitFirst ? ', the first delta committed before the rest' : ''}: reads back as ${JSON.stringify(text)}`, async () => {
        const w = await LogWriter.open({ url: t.url });
        const id = w.startNode({ sessionId, kind: 'assistant_message', content: '' });
        w.appendDelta(id, deltas[0]!);
        if (commitFirst) await w.flush();
        for (const d of deltas.slice(1)) w.appendDelta(id, d);
        w.finishNode(id, { status: 'complete' });
        await w.close();
        const tree = await t.logs.tree(sessionId);
        expect(tree.map((n) => n.content)).toEqual([text]);
        expect((await t.logs.chunks(id)).map((c) => c.text).join('')).toBe(text);
      });
    }
  }

  it('content and a tool result given whole with a lone half read back with U+FFFD in its place', async () => {
    const w = await LogWriter.open({ url: t.url });
    const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'start \ud83d' });
    w.finishNode(id, { status: 'complete', content: 'final \ude00 text' });
    await w.close();
    expect((await t.logs.tree(sessionId)).map((n) => n.content)).toEqual(['final \uFFFD text']);
  });
});
