// Fixture test for 0100_log_timings: nodes folded by 0030 into JSON spans (one with times that go
// back, as an imported log can have), migrate, and every node reads back exactly the deltas and
// timings it was given; the JSON spans become packed rows, the one that cannot be packed goes
// back to chunk rows. Rolling back restores 0030's very same JSON, and all the way down the very
// same chunk rows.

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../repositories/index.js';
import { oldSchemaSessions, migrationFixture } from '../repositories/testing.js';
import { LogsRepository, type ImportLogNode } from './repository.js';

const { migrate } = migrationFixture('paddock-timings-mig-');

async function rows(c: Client, sql: string): Promise<unknown[][]> {
  return (await c.execute(sql)).rows.map((r) => Object.values(r));
}

const at = '2026-02-01T10:00:00.000Z';
const long = 'x'.repeat(200) + 'é'.repeat(100); // 400 bytes: a two-byte varint length
const NODES: ImportLogNode[] = [
  { id: 'plain', kind: 'assistant_message', startedAt: at, content: 'Hello wörld 🙂!', chunks: [{ text: 'Hello', atMs: 0 }, { text: ' wörld', atMs: 40 }, { text: ' 🙂!', atMs: 95 }] },
  // Steps of 0, 127, 128, 16,384 and ~2^40 ms, and a delta over 127 bytes: every varint width in use.
  { id: 'wide', kind: 'thought', startedAt: at, content: `pre ${long}abcdef`, chunks: [
    { text: long, atMs: 0 }, { text: 'a', atMs: 0 }, { text: 'b', atMs: 127 }, { text: 'c', atMs: 255 },
    { text: 'd', atMs: 16_639 }, { text: 'ef', atMs: 1_099_511_644_415 },
  ] },
  { id: 'args', kind: 'action', startedAt: at, toolName: 'bash', toolArgs: { cmd: 'ls' }, chunks: [{ text: '{"cmd":', atMs: 1 }, { text: '"ls"}', atMs: 7 }] },
  // Times that go back: 0030 folded it, an unsigned varint cannot hold it.
  { id: 'backwards', kind: 'assistant_message', startedAt: at, content: 'late early', chunks: [{ text: 'late ', atMs: 50 }, { text: 'early', atMs: 10 }] },
  { id: 'replaced', kind: 'assistant_message', startedAt: at, content: 'final', chunks: [{ text: 'dra', atMs: 1 }, { text: 'ft', atMs: 2 }] },
  { id: 'nochunks', kind: 'user_message', startedAt: at, content: 'hi' },
];

describe('0100_log_timings', () => {
  it('packs 0030 spans, reads back the same deltas and timings, and rolls back to the same JSON and rows', async () => {
    let c = await migrate(5);
    const agent = await createRepositories(c).agents.create({ name: 'A' });
    const s = { id: await oldSchemaSessions.insert(c, { id: 'old-session', agentId: agent.id, name: 'old' }) };
    await new LogsRepository(c).importNodes(s.id, NODES, { newIds: false });
    const chunkSql = 'SELECT node_id, seq, text, at_ms FROM log_chunks ORDER BY node_id, seq';
    const before = await rows(c, chunkSql);
    expect(before).toHaveLength(15);

    c = await migrate(41);
    const spans41 = await rows(c, 'SELECT node_id, base, count, timing FROM log_spans ORDER BY node_id');
    expect(spans41.map((r) => r[0])).toEqual(['args', 'backwards', 'plain', 'wide']);

    c = await migrate(100);
    const packed = await rows(c, `SELECT n.id, t.base, t.count, t.bytes, hex(t.timing) FROM log_timings t JOIN log_nodes n ON n.n = t.n ORDER BY n.id`);
    expect(packed).toEqual([
      ['args', 0, 2, 12, '07010506'],
      ['plain', 0, 3, 18, '050007280637'],
      ['wide', 4, 6, 406, `9003${'00'}0100017F018001018080010280808080${'8020'}`],
    ]);
    // The nodes that keep chunk rows: text replaced at the end, and times that go back.
    expect((await rows(c, 'SELECT DISTINCT node_id FROM log_chunks ORDER BY node_id')).flat()).toEqual(['backwards', 'replaced']);
    const logs = new LogsRepository(c);
    const expected = (id: string) => before.filter((r) => r[0] === id).map(([nodeId, seq, text, atMs]) => ({ nodeId, seq, text, atMs }));
    for (const n of NODES) expect(await logs.chunks(n.id)).toEqual(expected(n.id));
    const all = await logs.chunksOfSession(s.id);
    expect(all).toEqual(NODES.flatMap((n) => expected(n.id)));
    expect((await logs.sessionLog(s.id)).chunks).toEqual(all);

    // Down to 0030's layout: the same JSON for every node 0100 packed.
    c = await migrate(41, true);
    expect(await rows(c, 'SELECT node_id, base, count, timing FROM log_spans ORDER BY node_id')).toEqual(spans41.filter((r) => r[0] !== 'backwards'));
    c = await migrate(5, true);
    expect(await rows(c, chunkSql)).toEqual(before);
    c = await migrate();
    expect((await rows(c, 'SELECT count(*) FROM log_timings'))[0]![0]).toBe(3);
  });
});
