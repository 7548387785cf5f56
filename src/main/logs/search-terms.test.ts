import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryPlan, recordStatements } from '../repositories/testing.js';
import type { ImportLogNode, LogSearchPageQuery } from './repository.js';
import { SearchTermsJob, searchTermsStep } from './search-terms-job.js';
import { buildStep, expandQuery, foldPending, MAX_EXPANSION, QUERY_FOLD_LIMIT, restartIfBacklogged, termsProgress } from './search-terms.js';
import { ALL_AT_ONCE, treeSql } from './search-tree.js';
import { sessionKeyQuery } from './search.js';
import { needleTurns, openLogsTestDb, type LogsTestDb } from './testing.js';

let t: LogsTestDb;
let big: string;
let small: string;

/** Turns of four nodes; user messages say "needle", answers "needlework" or "hay", tool calls name a file. */
function turns(count: number, prefix: string, startMs: number): ImportLogNode[] {
  return needleTurns(count, prefix, startMs, (i) => (i % 4 === 0 ? `needle number ${i}` : `${i % 8 === 1 ? 'needlework' : 'hay'} Ünïcode ${i}`));
}

async function foldAll(): Promise<void> {
  while ((await foldPending(t.client)) > 0);
}

/** Every page of a search, as (node, snippet) pairs. */
async function allPages(q: LogSearchPageQuery): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await t.logs.searchPage({ ...q, cursor });
    out.push(...page.items.map((h) => [h.nodeId, h.snippet]));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The same search with the dictionary (words expanded) and without it (prefix queries). */
async function bothWays(q: LogSearchPageQuery): Promise<{ expanded: string[][]; plain: string[][] }> {
  await foldAll();
  const expanded = await allPages(q);
  await t.client.execute('UPDATE log_terms_state SET built = 0');
  const plain = await allPages(q);
  await t.client.execute('UPDATE log_terms_state SET built = 1');
  return { expanded, plain };
}

beforeEach(async () => {
  t = await openLogsTestDb();
  big = await t.newSession('big');
  small = await t.newSession('small');
  // More matches of "needle" in one session than ALL_AT_ONCE: the tree walk goes by chunks.
  await t.logs.importNodes(big, turns(ALL_AT_ONCE + 1_400, 'b', Date.parse('2026-03-01T00:00:00.000Z')), { newIds: false });
  await t.logs.importNodes(small, turns(40, 's', Date.parse('2026-04-01T00:00:00.000Z')), { newIds: false });
});

afterEach(async () => {
  await t.cleanup();
});

describe('search term dictionary', () => {
  it('expands a word to the exact terms it stands for once the dictionary is complete', async () => {
    // Nodes written since the last fold: more than a search folds itself, so the prefix query stays.
    expect((await termsProgress(t.client)).pending).toBeGreaterThan(QUERY_FOLD_LIMIT);
    expect(await expandQuery(t.client, 'Needle')).toEqual({ match: '{content tool_name tool_args tool_result} : ("Needle"*)', expanded: false });
    await foldAll();
    expect(await expandQuery(t.client, 'Needle "hay Ünïcode" ünï')).toEqual({
      match: '{content tool_name tool_args tool_result} : (("needle" OR "needlework") AND "hay Ünïcode" AND "ünï"*)',
      expanded: true,
    });
    // A word with no term: matches nothing, like its prefix query.
    expect((await expandQuery(t.client, 'walrus'))!.match).toContain('("walrus")');
    // Session keys (hex) are not search terms.
    expect((await t.client.execute("SELECT count(*) AS c FROM log_terms WHERE term GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*'")).rows[0]!.c).toBe(0);
  });

  it('keeps the prefix query for a word with too many terms', async () => {
    const s = await t.newSession('numbers');
    const nodes = turns(4 * (MAX_EXPANSION + 2), 'x', Date.parse('2026-05-01T00:00:00.000Z')).map((n, i) => ({ ...n, content: `zz${i}` }));
    await t.logs.importNodes(s, nodes, { newIds: false });
    await foldAll();
    expect((await expandQuery(t.client, 'zz'))!.expanded).toBe(false);
    expect((await expandQuery(t.client, 'zz12'))!.expanded).toBe(true);
    expect((await t.logs.searchPage({ query: 'zz', sessionId: s, order: 'tree', limit: 1_000 })).items).toHaveLength(nodes.length);
  });

  it('answers the same hits, snippets and pages as the prefix query', async () => {
    const queries: LogSearchPageQuery[] = [
      { query: 'needle', sessionId: big, order: 'tree', limit: 70 },
      { query: 'needlew', sessionId: big, order: 'tree', limit: 33 },
      { query: 'nee', sessionId: small, order: 'tree', limit: 7 },
      { query: 'needle', sessionId: big, order: 'tree', limit: 50, kinds: ['action'] },
      { query: 'needle', limit: 300 },
      { query: 'needle', sessionId: small, limit: 5 },
      { query: 'hay', limit: 500, from: '2026-03-01T00:10:00.000Z', to: '2026-04-01T00:00:10.000Z' },
      { query: 'read file', kinds: ['action'], limit: 400 },
    ];
    for (const q of queries) {
      const { expanded, plain } = await bothWays(q);
      expect(expanded.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(expanded, JSON.stringify(q)).toEqual(plain);
    }
    const needleInBig = await bothWays({ query: 'needle', sessionId: big, order: 'tree', limit: 1_000 });
    expect(needleInBig.expanded).toHaveLength(1_200 + 300); // user messages, needlework answers, tool calls
  });

  it('sends FTS5 no prefix term once expanded, and walks the session by rowid ranges', async () => {
    await foldAll();
    const rec = recordStatements(t.client);
    try {
      await t.logs.searchPage({ query: 'needle', sessionId: big, order: 'tree', limit: 50 });
      const page = await t.logs.searchPage({ query: 'needle', limit: 50 });
      await t.logs.searchPage({ query: 'needle', limit: 50, cursor: page.nextCursor });
      // A rare word past the first chunk: the session's matches read whole, then picked.
      await t.logs.searchPage({ query: 'needlew', sessionId: big, order: 'tree', limit: 40 });
    } finally {
      rec.stop();
    }
    const matches = rec.statements.filter((s) => /MATCH/.test(s.sql)).flatMap((s) => s.args.filter((a): a is string => typeof a === 'string' && a.startsWith('{')));
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) expect(m).not.toContain('*');
    // No bm25() either: it would count every match of each word in the whole index.
    expect(rec.statements.filter((s) => s.sql.includes('bm25(log_fts'))).toEqual([]);
    // The walk's range query: FTS5 takes the session key, the words and both rowid bounds.
    const match = (await expandQuery(t.client, 'needle'))!.match;
    const plan = await queryPlan(t.client, treeSql.rangeMatches(match, sessionKeyQuery(big), 1, 100).sql, [match, sessionKeyQuery(big), 1, 100]);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatch(/^SCAN log_fts VIRTUAL TABLE INDEX 0:M4M5(>=?<=?|<=?>=?)$/);
    expect(rec.statements.some((s) => s.sql === treeSql.rangeMatches(match, '', 0, 0).sql)).toBe(true);
    // FTS5 applies a rowid bound only when it is an INTEGER, and the driver binds a JS number as
    // REAL: a bare `rowid < ?` reads every match past the bound (same rows, the whole cost).
    const bounded = rec.statements.filter((s) => /log_fts/.test(s.sql) && /rowid\s*[<>=]/.test(s.sql));
    expect(bounded.length).toBeGreaterThanOrEqual(3);
    for (const s of bounded) expect(s.sql).not.toMatch(/rowid\s*[<>=]+\s*\?/);
    expect(rec.statements.some((s) => s.sql === treeSql.sessionMatches(match, '', 0).sql)).toBe(true);
  });

  it('lists an existing history from the index, resumably, then folds new nodes', async () => {
    await foldAll();
    const expected = (await t.client.execute('SELECT term FROM log_terms ORDER BY term')).rows.map((r) => r.term);
    // As after migrating a database that already had logs.
    await t.client.execute('DELETE FROM log_terms');
    await t.client.execute("UPDATE log_terms_state SET built = 0, cursor = ''");
    expect((await expandQuery(t.client, 'needle'))!.expanded).toBe(false);
    let steps = 0;
    while (!(await buildStep(t.client, 5))) {
      steps++;
      if (steps === 3) {
        // A restart resumes from the stored position.
        expect((await termsProgress(t.client)).cursor).not.toBe('');
      }
    }
    expect(steps).toBeGreaterThan(3);
    expect((await t.client.execute('SELECT term FROM log_terms ORDER BY term')).rows.map((r) => r.term)).toEqual(expected);
    await t.logs.importNodes(small, [{ id: 'late', parentId: null, kind: 'user_message', content: 'needlefish', status: 'complete', startedAt: '2026-06-01T00:00:00.000Z' }], { newIds: false });
    expect((await expandQuery(t.client, 'needle'))!.match).toContain('"needlefish"');
  });

  it('lists the index again instead of folding a big backlog', async () => {
    expect(await restartIfBacklogged(t.client, 100)).toBe(true);
    expect(await termsProgress(t.client)).toEqual({ built: false, cursor: '', pending: 0 });
    while (!(await buildStep(t.client)));
    expect((await expandQuery(t.client, 'needle'))!.match).toContain('"needlework"');
    expect(await restartIfBacklogged(t.client, 100)).toBe(false);
  });

  it('runs in the background until the dictionary is complete, and stops', async () => {
    await t.client.execute("UPDATE log_terms_state SET built = 0, cursor = ''");
    const job = new SearchTermsJob(t.client, { idleMs: 10, busyMs: 0 });
    job.start();
    await vi.waitFor(async () => expect(await termsProgress(t.client)).toMatchObject({ built: true, pending: 0 }), { timeout: 60_000, interval: 50 });
    await job.stop();
    expect(await searchTermsStep(t.client)).toBe(false);
    expect((await expandQuery(t.client, 'needle'))!.expanded).toBe(true);
  });
});
