import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../shared/domain.js';
import { queryPlan, recordStatements } from '../repositories/testing.js';
import { eachTestLogsDb, randomTree, type LogsTestDb } from './testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

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
