// Fixture test for 0030_log_spans: seed chunk rows at 0005 (the old layout: every delta's text
// stored again beside the node's content), migrate, check each node reads back exactly the same
// chunks while only the nodes whose text cannot be sliced back keep rows; roll back and get the
// very same log_chunks rows again.

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../repositories/index.js';
import { oldSchemaSessions, migrationFixture } from '../repositories/testing.js';
import { LogsRepository, type ImportLogNode } from './repository.js';

const { migrate } = migrationFixture('paddock-spans-mig-');

async function chunkRows(c: Client): Promise<unknown[]> {
  const rs = await c.execute('SELECT node_id, seq, text, at_ms FROM log_chunks ORDER BY node_id, seq');
  return rs.rows.map((r) => [r.node_id, r.seq, r.text, r.at_ms]);
}

const at = '2026-02-01T10:00:00.000Z';
const NODES: ImportLogNode[] = [
  { id: 'plain', kind: 'assistant_message', startedAt: at, content: 'Hello wörld 🙂!', chunks: [{ text: 'Hello', atMs: 0 }, { text: ' wörld', atMs: 40 }, { text: ' 🙂!', atMs: 95 }] },
  { id: 'prefixed', kind: 'thought', startedAt: at, content: 'Seen: 日本語', chunks: [{ text: '日本', atMs: 3 }, { text: '語', atMs: 3 }] },
  { id: 'args', kind: 'action', startedAt: at, toolName: 'bash', toolArgs: { cmd: 'ls' }, chunks: [{ text: '{"cmd":', atMs: 1 }, { text: '"ls"}', atMs: 7 }] },
  { id: 'replaced', kind: 'assistant_message', startedAt: at, content: 'final', chunks: [{ text: 'dra', atMs: 1 }, { text: 'ft', atMs: 2 }] },
  { id: 'spaced', kind: 'action', startedAt: at, toolName: 'bash', toolArgs: { a: 1 }, chunks: [{ text: '{ "a": 1 }', atMs: 1 }] },
  { id: 'nochunks', kind: 'user_message', startedAt: at, content: 'hi' },
];

describe('0030_log_spans', () => {
  it('folds the chunks of existing nodes into spans, reads back the same chunks, and rolls back to the same rows', async () => {
    let c = await migrate(5);
    const agent = await createRepositories(c).agents.create({ name: 'A' });
    const s = { id: await oldSchemaSessions.insert(c, { id: 'old-session', agentId: agent.id, name: 'old' }) };
    await new LogsRepository(c).importNodes(s.id, NODES, { newIds: false });
    const before = await chunkRows(c);
    expect(before).toHaveLength(10);

    c = await migrate(30);
    const spans = await c.execute('SELECT node_id, base, count, timing FROM log_spans ORDER BY node_id');
    expect(spans.rows.map((r) => [r.node_id, r.base, r.count, r.timing])).toEqual([
      ['args', 0, 2, '[7,1,5,6]'],
      ['plain', 0, 3, '[5,0,7,40,6,55]'],
      ['prefixed', 6, 2, '[6,3,3,0]'],
    ]);
    // Only the nodes whose text was replaced or normalised keep their rows.
    expect((await chunkRows(c)).map((r) => (r as unknown[])[0])).toEqual(['replaced', 'replaced', 'spaced']);
    // Read back through today's schema (0100 packs the spans' timing; timings-migration.test.ts).
    c = await migrate();
    const logs = new LogsRepository(c);
    const expected = (id: string) => before.filter((r) => (r as unknown[])[0] === id).map((r) => {
      const [nodeId, seq, text, atMs] = r as [string, number, string, number];
      return { nodeId, seq, text, atMs };
    });
    for (const n of NODES) expect(await logs.chunks(n.id)).toEqual(expected(n.id));
    const all = await logs.chunksOfSession(s.id);
    expect(all).toEqual(NODES.flatMap((n) => expected(n.id)));
    expect((await logs.sessionLog(s.id)).chunks).toEqual(all);

    c = await migrate(5, true);
    expect(await chunkRows(c)).toEqual(before);
    c = await migrate(30);
    expect((await c.execute('SELECT count(*) AS n FROM log_spans')).rows[0]!.n).toBe(3);
  });
});
