import { beforeEach, describe, expect, it } from 'vitest';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, toFtsQuery } from './repository.js';
import { eachTestLogsDb, type LogsTestDb } from './testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
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
