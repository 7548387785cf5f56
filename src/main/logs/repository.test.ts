import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogNode } from '../../shared/domain.js';
import { queryPlan, recordStatements } from '../repositories/testing.js';
import { LogsError } from './errors.js';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, toFtsQuery, type ImportLogNode } from './repository.js';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let sessionId: string;

beforeEach(async () => {
  t = await openLogsTestDb();
  sessionId = await t.newSession();
});

afterEach(async () => {
  await t.cleanup();
});

/** Deterministic PRNG (mulberry32) so a failing tree can be reproduced. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random tree (node i's parent is an earlier node or none) and its expected pre-order. */
function randomTree(count: number, seed: number): { nodes: ImportLogNode[]; preorder: string[] } {
  const r = rng(seed);
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  const nodes: ImportLogNode[] = [];
  const kids = new Map<string | null, string[]>();
  for (let i = 0; i < count; i++) {
    const parentId = i === 0 || r() < 0.15 ? null : `n${Math.floor(r() * i)}`;
    const id = `n${i}`;
    nodes.push({
      id,
      parentId,
      kind: i % 7 === 3 ? 'action' : 'assistant_message',
      status: 'complete',
      content: `node ${i} text`,
      startedAt: new Date(base + i * 10).toISOString(),
      ...(i % 7 === 3 ? { toolName: 'bash', toolArgs: { cmd: `echo ${i}` } } : {}),
    });
    const list = kids.get(parentId) ?? [];
    list.push(id);
    kids.set(parentId, list);
  }
  const preorder: string[] = [];
  const visit = (id: string): void => {
    preorder.push(id);
    for (const c of kids.get(id) ?? []) visit(c);
  };
  for (const root of kids.get(null) ?? []) visit(root);
  return { nodes, preorder };
}

/** RawJson text re-serialised by V8: equal to JSON.stringify(x) iff same values, keys and key order. */
function canonical(raw: { json: string }): string {
  return JSON.stringify(JSON.parse(raw.json));
}

describe('LogsRepository: tree reads', () => {
  it('tree() returns every node in tree order and page() walks it with no gaps or duplicates', async () => {
    const { nodes, preorder } = randomTree(600, 7);
    await t.logs.importNodes(sessionId, nodes, { newIds: false });

    const tree = await t.logs.tree(sessionId);
    expect(tree.map((n) => n.id)).toEqual(preorder);

    for (const limit of [1, 7, 100, 600, 1000]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await t.logs.page(sessionId, { cursor, limit });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((n) => n.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(preorder);
      expect(pages).toBe(Math.max(1, Math.ceil(600 / limit)));
    }
  });

  it('treeJson() and pageJson() are the exact JSON of tree() and page(), also when rows were written out of tree order', async () => {
    const w = await LogWriter.open({ url: t.url });
    try {
      // Rowids interleave two roots' subtrees and a streaming node: tree order differs from insert order.
      const a = w.startNode({ sessionId, kind: 'user_message', content: 'quote " backslash \\ tab \t nl \n \u0001 é 😀' });
      const b = w.startNode({ sessionId, kind: 'assistant_message', content: 'B', metadata: { nested: { list: [1, 2.5, null, true] } } });
      const a1 = w.startNode({ sessionId, parentId: a, kind: 'action', toolName: 'bash', toolArgs: { cmd: 'ls', n: 12345678901 } });
      w.startNode({ sessionId, parentId: b, kind: 'assistant_message', content: 'S' });
      const a2 = w.startNode({ sessionId, parentId: a, kind: 'assistant_message', content: '' });
      w.startNode({ sessionId, parentId: a1, kind: 'thought', content: 'deep' });
      w.finishNode(a1, { status: 'complete', toolResult: ['r', { ok: 1 }], costUsd: 0.1 + 0.2, tokensIn: 3 });
      const streaming = w.startNode({ sessionId, parentId: a2, kind: 'assistant_message', content: 'x' });
      w.appendDelta(streaming, 'y');
      await w.flush();

      const tree = await t.logs.tree(sessionId);
      expect(tree).toHaveLength(7);
      expect(tree.map((n) => n.id).slice(0, 2)).toEqual([a, a1]);
      expect(tree.find((n) => n.id === streaming)?.content).toBe('xy');
      // Same values, keys and key order (SQLite may spell numbers differently: 0.0 for 0).
      expect(canonical(await t.logs.treeJson(sessionId))).toBe(JSON.stringify(tree));

      for (const limit of [1, 3, 6, 7, 8]) {
        let cursor: string | null = null;
        do {
          const page = await t.logs.page(sessionId, { cursor, limit });
          expect(canonical(await t.logs.pageJson(sessionId, { cursor, limit }))).toBe(JSON.stringify(page));
          cursor = page.nextCursor;
        } while (cursor);
      }
      const loc = await t.logs.locate(a2);
      expect(canonical(await t.logs.pageJson(sessionId, { cursor: loc!.cursor, limit: 2 }))).toBe(
        JSON.stringify(await t.logs.page(sessionId, { cursor: loc!.cursor, limit: 2 })),
      );
    } finally {
      await w.close();
    }
  });

  it('treeJson() and pageJson() of an empty or unknown session, and their input errors', async () => {
    const empty = await t.newSession('empty');
    expect((await t.logs.treeJson(empty)).json).toBe('[]');
    expect((await t.logs.pageJson(empty, { limit: 10 })).json).toBe('{"items":[],"nextCursor":null}');
    expect((await t.logs.treeJson('01900000-0000-7000-8000-00000000dead')).json).toBe('[]');
    await expect(t.logs.pageJson(sessionId, { cursor: 'garbage', limit: 10 })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(t.logs.pageJson(sessionId, { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.logs.treeJson('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('wholeJson() answers the whole tree only within its node and byte limits, else just the count', async () => {
    const { nodes } = randomTree(40, 7);
    await t.logs.importNodes(sessionId, nodes);
    const tree = await t.logs.tree(sessionId);
    const bytes = tree.reduce(
      (n, x) => n + Buffer.byteLength(x.content) + Buffer.byteLength(JSON.stringify(x.metadata)) + (x.toolArgs === null ? 0 : Buffer.byteLength(JSON.stringify(x.toolArgs))),
      0,
    );
    const whole = (maxNodes: number, maxBytes: number) => t.logs.wholeJson(sessionId, { maxNodes, maxBytes }).then((r) => JSON.parse(r.json));
    expect(canonical(await t.logs.wholeJson(sessionId, { maxNodes: 40, maxBytes: bytes + 100 }))).toBe(JSON.stringify({ count: 40, nodes: tree }));
    expect(await whole(39, 10_000_000)).toEqual({ count: 40, nodes: null });
    // The byte estimate is the stored text's UTF-8 size (JSON columns as stored, so close to it).
    expect(await whole(40, Math.floor(bytes / 2))).toEqual({ count: 40, nodes: null });
    const empty = await t.newSession('empty');
    expect(await t.logs.wholeJson(empty, { maxNodes: 10, maxBytes: 10 }).then((r) => JSON.parse(r.json))).toEqual({ count: 0, nodes: [] });
    await expect(t.logs.wholeJson(sessionId, { maxNodes: 0, maxBytes: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('treeJson() and pageJson() read the (session_id, path) index without sorting', async () => {
    const { nodes } = randomTree(50, 5);
    await t.logs.importNodes(sessionId, nodes, { newIds: false });
    const rec = recordStatements(t.client);
    try {
      const first = JSON.parse((await t.logs.pageJson(sessionId, { limit: 20 })).json) as { items: LogNode[]; nextCursor: string | null };
      expect(first.items).toHaveLength(20);
      expect(first.nextCursor).not.toBeNull();
      await t.logs.pageJson(sessionId, { cursor: first.nextCursor, limit: 20 });
      await t.logs.treeJson(sessionId);
    } finally {
      rec.stop();
    }
    expect(rec.statements).toHaveLength(3);
    for (const { sql, args } of rec.statements) {
      const plan = (await queryPlan(t.client, sql, args)).join(' | ');
      expect(plan).toMatch(/SEARCH n USING INDEX log_nodes_session_id_path \(session_id=\?/);
      // No sort of the rendered rows (json_group_array(… ORDER BY) would show a temp B-tree).
      expect(plan).not.toMatch(/TEMP B-TREE FOR json_group_array/);
    }
  });

  it('locate() gives a node its tree position and a cursor whose page starts at it', async () => {
    const { nodes, preorder } = randomTree(200, 11);
    await t.logs.importNodes(sessionId, nodes, { newIds: false });
    for (const id of ['n0', 'n57', preorder[199]!]) {
      const loc = await t.logs.locate(id);
      expect(loc).toMatchObject({ sessionId, index: preorder.indexOf(id) });
      const page = await t.logs.page(sessionId, { cursor: loc!.cursor, limit: 3 });
      expect(page.items.map((n) => n.id)).toEqual(preorder.slice(preorder.indexOf(id), preorder.indexOf(id) + 3));
    }
    expect(await t.logs.locate('missing')).toBeNull();
  });

  it('rejects a forged cursor with a typed error', async () => {
    for (const cursor of ['garbage', Buffer.from("a:1' OR 1=1").toString('base64url')]) {
      await expect(t.logs.page(sessionId, { cursor, limit: 5 })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    }
    await expect(t.logs.page(sessionId, { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('children() lists a node’s children and a session’s roots in order, with paging', async () => {
    const { nodes } = randomTree(300, 3);
    await t.logs.importNodes(sessionId, nodes, { newIds: false });
    const tree = await t.logs.tree(sessionId);
    const byParent = new Map<string | null, LogNode[]>();
    for (const n of tree) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);

    const roots = await t.logs.children({ sessionId, parentId: null });
    expect(roots.map((n) => n.id)).toEqual(byParent.get(null)!.map((n) => n.id));
    expect(roots.map((n) => n.seq)).toEqual(roots.map((_, i) => i));
    const busiest = [...byParent.entries()].filter(([k]) => k !== null).sort((a, b) => b[1].length - a[1].length)[0]!;
    const parent = tree.find((n) => n.id === busiest[0])!;
    const kids = await t.logs.children(parent.id);
    expect(kids.map((n) => n.id)).toEqual(busiest[1].map((n) => n.id));
    // child_count is maintained by the schema.
    expect(parent.childCount).toBe(kids.length);
    for (const n of tree) expect(n.childCount).toBe(byParent.get(n.id)?.length ?? 0);
    // Paging through children.
    const firstTwo = await t.logs.children(parent.id, { limit: 2 });
    const rest = await t.logs.children(parent.id, { afterSeq: firstTwo[1]!.seq });
    expect([...firstTwo, ...rest].map((n) => n.id)).toEqual(kids.map((n) => n.id));
  });

  it('latest(), count(), get() and chunks()', async () => {
    const { nodes } = randomTree(50, 5);
    nodes[10]!.chunks = [
      { text: 'node 10 ', atMs: 0 },
      { text: 'text', atMs: 35 },
    ];
    nodes[10]!.content = 'node 10 text';
    await t.logs.importNodes(sessionId, nodes, { newIds: false });
    expect(await t.logs.count(sessionId)).toBe(50);
    expect((await t.logs.latest(sessionId, 3)).map((n) => n.id)).toEqual(['n47', 'n48', 'n49']);
    expect(await t.logs.get('n3')).toMatchObject({ id: 'n3', kind: 'action', toolName: 'bash', toolArgs: { cmd: 'echo 3' }, sessionId });
    expect(await t.logs.get('nope')).toBeNull();
    expect(await t.logs.chunks('n10')).toEqual([
      { nodeId: 'n10', seq: 0, text: 'node 10 ', atMs: 0 },
      { nodeId: 'n10', seq: 1, text: 'text', atMs: 35 },
    ]);
    expect(await t.logs.count(await t.newSession('empty'))).toBe(0);
  });

  it('chunksOfSession() and sessionLog() read a whole session: nodes and chunks in tree order', async () => {
    const { nodes, preorder } = randomTree(300, 11);
    // Chunks on nodes whose tree order differs from their input order, several per node.
    const withChunks = [preorder[250]!, preorder[3]!, preorder[120]!];
    for (const id of withChunks) {
      const n = nodes.find((x) => x.id === id)!;
      n.chunks = [0, 1, 2].map((i) => ({ text: `${id}/${i} `, atMs: i * 10 }));
      n.content = n.chunks.map((c) => c.text).join('');
    }
    await t.logs.importNodes(sessionId, nodes, { newIds: false });
    const other = await t.newSession('other');
    await t.logs.importNodes(other, [{ id: 'x1', kind: 'system', startedAt: '2026-03-01T10:00:00.000Z', chunks: [{ text: 'not mine', atMs: 0 }] }], { newIds: false });

    const expected = [...withChunks]
      .sort((a, b) => preorder.indexOf(a) - preorder.indexOf(b))
      .flatMap((id) => [0, 1, 2].map((i) => ({ nodeId: id, seq: i, text: `${id}/${i} `, atMs: i * 10 })));
    expect(await t.logs.chunksOfSession(sessionId)).toEqual(expected);
    const log = await t.logs.sessionLog(sessionId);
    expect(log.chunks).toEqual(expected);
    expect(log.nodes).toEqual(await t.logs.tree(sessionId));
    expect(log.nodes.map((n) => n.id)).toEqual(preorder);

    const empty = await t.newSession('empty');
    expect(await t.logs.chunksOfSession(empty)).toEqual([]);
    expect(await t.logs.sessionLog(empty)).toEqual({ nodes: [], chunks: [] });
    await expect(t.logs.chunksOfSession('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('sessionLog() of a streaming session holds text and chunks from one snapshot', async () => {
    const w = await LogWriter.open({ url: t.url });
    try {
      const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'A' });
      w.appendDelta(id, 'B');
      w.appendDelta(id, 'C');
      await w.flush();
      const log = await t.logs.sessionLog(sessionId);
      expect(log.nodes.map((n) => n.content)).toEqual(['ABC']);
      expect(log.chunks.map((c) => [c.nodeId, c.text])).toEqual([[id, 'B'], [id, 'C']]);
    } finally {
      await w.close();
    }
  });

  it('reads a streaming node with its text so far in every list read', async () => {
    const w = await LogWriter.open({ url: t.url });
    try {
      const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'A' });
      w.appendDelta(id, 'B');
      w.appendDelta(id, 'C');
      await w.flush();
      for (const list of [await t.logs.tree(sessionId), (await t.logs.page(sessionId, { limit: 5 })).items, await t.logs.latest(sessionId, 5), await t.logs.children({ sessionId, parentId: null })]) {
        expect(list.map((n) => n.content)).toEqual(['ABC']);
      }
    } finally {
      await w.close();
    }
  });
});

describe('LogsRepository: search', () => {
  beforeEach(async () => {
    const other = await t.newSession('other');
    const base = { status: 'complete' as const, startedAt: '2026-03-01T10:00:00.000Z' };
    await t.logs.importNodes(
      sessionId,
      [
        { id: 'a', kind: 'user_message', content: 'Please refactor the parser module', ...base },
        { id: 'b', parentId: 'a', kind: 'action', toolName: 'read_file', toolArgs: { path: 'src/tokenizer.ts' }, ...base },
        { id: 'c', parentId: 'a', kind: 'observation', causeId: 'b', toolResult: { text: 'export function tokenize(input) {}' }, ...base },
        { id: 'd', parentId: 'a', kind: 'assistant_message', content: 'Crème brûlée is done; the parser now streams.', ...base },
      ],
      { newIds: false },
    );
    await t.logs.importNodes(other, [{ id: 'e', kind: 'assistant_message', content: 'another parser, elsewhere', ...base }], { newIds: false });
  });

  it('finds text in content, tool arguments and results, with a marked snippet', async () => {
    const hits = await t.logs.search({ query: 'parser', sessionId });
    expect(hits.map((h) => h.nodeId).sort()).toEqual(['a', 'd']);
    expect(hits[0]!.snippet).toContain(`${SNIPPET_MATCH_START}parser${SNIPPET_MATCH_END}`);
    expect((await t.logs.search({ query: 'tokenizer' }))[0]).toMatchObject({ nodeId: 'b', sessionId, kind: 'action' });
    expect((await t.logs.search({ query: 'tokeniz' })).map((h) => h.nodeId).sort()).toEqual(['b', 'c']); // prefix
    expect((await t.logs.search({ query: 'creme brulee' }))[0]?.nodeId).toBe('d'); // diacritics folded
  });

  it('searches one session or all of them, in relevance or tree order', async () => {
    expect((await t.logs.search({ query: 'parser' })).map((h) => h.nodeId).sort()).toEqual(['a', 'd', 'e']);
    expect((await t.logs.search({ query: 'parser', sessionId, order: 'tree' })).map((h) => h.nodeId)).toEqual(['a', 'd']);
    expect(await t.logs.search({ query: 'parser', limit: 1 })).toHaveLength(1);
  });

  it('treats phrases, AND and hostile input safely', async () => {
    expect((await t.logs.search({ query: '"parser now"' })).map((h) => h.nodeId)).toEqual(['d']);
    expect((await t.logs.search({ query: 'parser refactor' })).map((h) => h.nodeId)).toEqual(['a']);
    for (const q of ['"', 'AND OR NOT', 'parser*) OR (', "'; DROP TABLE log_nodes; --", 'NEAR(a b)', '^col:x', '']) {
      await expect(t.logs.search({ query: q })).resolves.toBeInstanceOf(Array);
    }
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('foo "bar baz" x-y')).toBe('"foo"* AND "bar baz" AND "x"* AND "y"*');
  });

  it('keeps the index in sync when a node finishes and when a session is deleted', async () => {
    const w = await LogWriter.open({ url: t.url });
    try {
      const id = w.startNode({ sessionId, kind: 'assistant_message' });
      w.appendDelta(id, 'zebra ');
      w.appendDelta(id, 'crossing');
      await w.flush();
      expect(await t.logs.search({ query: 'zebra' })).toEqual([]); // indexed when it ends
      w.finishNode(id, { status: 'complete' });
      await w.flush();
      expect((await t.logs.search({ query: 'zebra' })).map((h) => h.nodeId)).toEqual([id]);
    } finally {
      await w.close();
    }
    expect(await t.logs.deleteBySession(sessionId)).toBe(5);
    expect(await t.logs.search({ query: 'zebra' })).toEqual([]);
    expect(await t.logs.search({ query: 'parser', sessionId })).toEqual([]);
    expect((await t.logs.search({ query: 'parser' })).map((h) => h.nodeId)).toEqual(['e']);
    await t.client.execute("INSERT INTO log_fts (log_fts) VALUES ('integrity-check')");
  });
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

describe('query plans of the hot log queries', () => {
  it('use their indexes', async () => {
    const plan = async (sql: string, args: unknown[]): Promise<string> => (await queryPlan(t.client, sql, args)).join(' | ');
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? AND n.path > ? ORDER BY n.path LIMIT 10', ['s', ''])).toMatch(
      /SEARCH n USING INDEX log_nodes_session_id_path \(session_id=\? AND path>\?\)/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.parent_id = ? AND n.seq > ? ORDER BY n.seq', ['p', -1])).toMatch(
      /USING INDEX log_nodes_parent_id_seq \(parent_id=\? AND seq>\?\)/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? AND n.parent_id IS NULL AND n.seq > ? ORDER BY n.seq', ['s', -1])).toMatch(
      /USING INDEX log_nodes_roots/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? ORDER BY n.started_at DESC, n.n DESC LIMIT 5', ['s'])).toMatch(
      /USING INDEX log_nodes_session_id_started_at/,
    );
    expect(await plan('SELECT count(*) FROM log_nodes WHERE session_id = ?', ['s'])).toMatch(/USING COVERING INDEX/);
    expect(await plan("SELECT id FROM log_nodes WHERE status IN ('streaming', 'running', 'pending_approval', 'approved')", [])).toMatch(
      /USING INDEX log_nodes_open/,
    );
    expect(await plan('SELECT * FROM log_chunks WHERE node_id = ? ORDER BY seq', ['x'])).toMatch(/SEARCH log_chunks USING PRIMARY KEY \(node_id=\?\)/);
    expect(await plan('SELECT * FROM log_nodes WHERE cause_id = ?', ['x'])).toMatch(/USING INDEX log_nodes_cause_id/);
    // chunksOfSession / sessionLog: the session's nodes by index, each node's chunks by key (no scan).
    const sessionChunks = await plan(
      `SELECT json_group_array(json_array(c.node_id, c.seq, c.text, c.at_ms) ORDER BY n.path, c.seq)
       FROM log_nodes n JOIN log_chunks c ON c.node_id = n.id WHERE n.session_id = ?`,
      ['s'],
    );
    expect(sessionChunks).toMatch(/SEARCH n USING (COVERING )?INDEX log_nodes_session_id_\w+ \(session_id=\?\)/);
    expect(sessionChunks).toMatch(/SEARCH c USING PRIMARY KEY \(node_id=\?\)/);
  });
});
