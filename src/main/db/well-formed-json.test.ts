import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { wellFormedJson } from './well-formed-json.js';

describe('wellFormedJson', () => {
  it('replaces lone surrogate halves and keeps pairs, text that looks like an escape, and everything else', () => {
    expect(JSON.parse(wellFormedJson({ a: 'x\ud83dy', b: ['\ude00'], c: 'ok 🙂' }))).toEqual({ a: 'x\uFFFDy', b: ['\uFFFD'], c: 'ok 🙂' });
    expect(JSON.parse(wellFormedJson(['\\ud83d', '\\\ud83d', '\\\\ud83d']))).toEqual(['\\ud83d', '\\\uFFFD', '\\\\ud83d']);
    expect(wellFormedJson({ n: 1, s: 'plain' })).toBe('{"n":1,"s":"plain"}');
  });

  it('gives SQLite JSON that reads back through the driver (a lone half escaped by JSON.stringify aborts the process)', async () => {
    const db = createClient({ url: ':memory:' });
    const rs = await db.execute({ sql: 'SELECT value AS v FROM json_each(?)', args: [wellFormedJson(['a\ud83d', '\ude00b', '🙂'])] });
    expect(rs.rows.map((r) => r.v)).toEqual(['a\uFFFD', '\uFFFDb', '🙂']);
    db.close();
  });
});
