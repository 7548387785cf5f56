import { describe, expect, it } from 'vitest';
import { LogsError } from './errors.js';
import { type ImportLogNode } from './repository.js';
import { eachTestLogsDb, randomTree, type LogsTestDb } from './testing.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

describe('LogsRepository: delete and import', () => {
  it('deleteBySession removes nodes, chunks and index rows of that session only', async () => {
    const other = await t.newSession('other');
    const { nodes } = randomTree(300, 9);
    nodes[1]!.chunks = [{ text: 'x', atMs: 1 }];
    await t.logs.importNodes(sessionId, nodes);
    await t.logs.importNodes(other, randomTree(20, 1).nodes);
    expect(await t.logs.deleteBySession(sessionId)).toBe(300);
    expect(await t.logs.count(sessionId)).toBe(0);
    expect(await t.logs.count(other)).toBe(20);
    const left = await t.client.execute('SELECT count(*) AS c FROM log_chunks');
    expect(Number(left.rows[0]!.c)).toBe(0);
    await t.client.execute("INSERT INTO log_fts (log_fts) VALUES ('integrity-check')");
  });

  it('deleting the session cascades to its log, even for a deep tree', async () => {
    const nodes: ImportLogNode[] = Array.from({ length: 255 }, (_, i) => ({
      id: `d${i}`,
      parentId: i === 0 ? null : `d${i - 1}`,
      kind: 'assistant_message',
      content: `level ${i}`,
      startedAt: '2026-03-01T10:00:00.000Z',
    }));
    await t.logs.importNodes(sessionId, nodes);
    expect((await t.logs.tree(sessionId)).at(-1)!.depth).toBe(254);
    await t.repo.sessions.delete(sessionId);
    expect(await t.logs.count(sessionId)).toBe(0);
  });

  it('imports 8,000 nodes with chunks in one go: exact tree, counts, fresh ids, open nodes interrupted', async () => {
    const { nodes, preorder } = randomTree(8_000, 42);
    nodes[5]!.status = 'streaming';
    nodes[6]!.status = 'running';
    nodes[7]!.chunks = [
      { text: 'node 7 ', atMs: 0 },
      { text: 'text', atMs: 12 },
    ];
    const result = await t.logs.importNodes(sessionId, nodes);
    expect(result.imported).toBe(8_000);
    expect(new Set(result.idMap.values()).size).toBe(8_000);
    const tree = await t.logs.tree(sessionId);
    expect(tree.map((n) => n.id)).toEqual(preorder.map((id) => result.idMap.get(id)));
    const byId = new Map(tree.map((n) => [n.id, n]));
    for (const n of nodes) {
      const stored = byId.get(result.idMap.get(n.id)!)!;
      expect(stored.parentId).toBe(n.parentId ? result.idMap.get(n.parentId) : null);
      expect(stored.content).toBe(n.content);
    }
    expect(byId.get(result.idMap.get('n5')!)!.status).toBe('interrupted');
    expect(byId.get(result.idMap.get('n6')!)!.status).toBe('interrupted');
    expect((await t.logs.chunks(result.idMap.get('n7')!)).map((c) => c.text)).toEqual(['node 7 ', 'text']);
    // Importing the same export again works (fresh ids) and appends after the existing roots.
    const again = await t.logs.importNodes(sessionId, nodes);
    expect(await t.logs.count(sessionId)).toBe(16_000);
    const firstRootOfSecond = await t.logs.get(again.idMap.get('n0')!);
    const roots = await t.logs.children({ sessionId, parentId: null });
    expect(firstRootOfSecond!.seq).toBe(roots.length / 2);
  });

  it('rejects bad imports with typed errors and writes nothing', async () => {
    const at = '2026-03-01T10:00:00.000Z';
    const cases: [ImportLogNode[], RegExp][] = [
      [[{ id: 'a', parentId: 'zz', kind: 'system', startedAt: at }], /unknown parent/],
      [[{ id: 'a', kind: 'system', startedAt: at }, { id: 'a', kind: 'system', startedAt: at }], /Duplicate/],
      [
        [
          { id: 'a', parentId: 'b', kind: 'system', startedAt: at },
          { id: 'b', parentId: 'a', kind: 'system', startedAt: at },
        ],
        /cycle/,
      ],
      [[{ id: 'a', kind: 'bogus' as never, startedAt: at }], /kind/],
      [[{ id: 'a', kind: 'system', startedAt: 'yesterday-ish' }], /startedAt/],
      [[{ id: 'a', kind: 'system', startedAt: at, tokensIn: -3 }], /tokensIn/],
    ];
    for (const [nodes, message] of cases) {
      const err = await t.logs.importNodes(sessionId, nodes).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LogsError);
      expect((err as LogsError).code).toBe('INVALID_INPUT');
      expect((err as LogsError).message).toMatch(message);
    }
    await expect(t.logs.importNodes('no-such-session', [{ id: 'a', kind: 'system', startedAt: at }])).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(await t.logs.count(sessionId)).toBe(0);
  });

  it('the schema refuses a node whose place disagrees with its parent', async () => {
    await t.logs.importNodes(sessionId, [{ id: 'p', kind: 'system', startedAt: '2026-03-01T10:00:00.000Z' }], { newIds: false });
    const insert = (path: string, depth: number): Promise<unknown> =>
      t.client.execute({
        sql: `INSERT INTO log_nodes (id, session_id, parent_id, seq, depth, path, kind, status, started_at)
              VALUES ('c', ?, 'p', 0, ?, ?, 'system', 'complete', '2026-03-01T10:00:00.000Z')`,
        args: [sessionId, depth, path],
      });
    await expect(insert('00000000.00000001', 1)).rejects.toThrow(/place does not match/);
    await expect(insert('00000001.00000000', 1)).rejects.toThrow(/place does not match/);
    await expect(insert('00000000.00000000', 1)).resolves.toBeDefined();
    await expect(t.client.execute("UPDATE log_nodes SET seq = 5 WHERE id = 'c'")).rejects.toThrow(/cannot move/);
  });
});
