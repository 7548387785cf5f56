import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryPlan } from '../repositories/testing.js';
import { LogsError } from './errors.js';
import type { ImportLogNode } from './repository.js';
import { RECENT_WINDOW, TREE_WINDOW, searchSql, sessionKeyQuery, toFtsQuery } from './search.js';
import { needleTurns, openLogsTestDb, type LogsTestDb } from './testing.js';

let t: LogsTestDb;
let big: string;
let other: string;

/** `count` nodes: turns of a user message with three children; user messages say "needle", tool calls name a needle file. */
function turns(count: number, prefix: string, startMs: number): ImportLogNode[] {
  return needleTurns(count, prefix, startMs, (i) => `${i % 2 === 0 ? 'needle' : 'hay'} number ${i}`);
}

beforeEach(async () => {
  t = await openLogsTestDb();
  big = await t.newSession('big');
  other = await t.newSession('other');
  await t.logs.importNodes(big, turns(400, 'b', Date.parse('2026-03-01T00:00:00.000Z')), { newIds: false });
  await t.logs.importNodes(other, turns(40, 'o', Date.parse('2026-04-01T00:00:00.000Z')), { newIds: false });
});

afterEach(async () => {
  await t.cleanup();
});

const match = `{content tool_name tool_args tool_result} : (${toFtsQuery('needle')!})`;

describe('search query plans', () => {
  it('in one session: walks the session in tree order, the MATCH restricted to the session inside the index', async () => {
    const { sql, args } = searchSql.tree(match, big, '', 50);
    const plan = await queryPlan(t.client, sql, args);
    const text = plan.join('\n');
    // Never the slow plan of 0003: the whole MATCH run again for each node (rowid = ?), or every
    // match of every session joined to log_nodes and sorted.
    expect(text).not.toMatch(/VIRTUAL TABLE INDEX \d+:=/);
    expect(text).not.toMatch(/TEMP B-TREE FOR ORDER BY.*\n?.*SCAN log_fts/);
    // The hits: the (session_id, path) index in order, probing the session's matches (a list
    // built once from a MATCH that includes session_key, column 4).
    expect(plan).toContain('SEARCH n USING INDEX log_nodes_session_id_path (session_id=? AND path>?)');
    const ftsScans = plan.filter((d) => d.startsWith('SCAN log_fts VIRTUAL TABLE'));
    expect(ftsScans).toHaveLength(2);
    for (const scan of ftsScans) expect(scan).toMatch(/INDEX 0:M4M5$/);
    expect(plan.some((d) => /^LIST SUBQUERY/.test(d))).toBe(true);
    // No full scan of a real table.
    expect(plan.filter((d) => /^SCAN (n|s)\b/.test(d))).toEqual([]);
  });

  it('across sessions, newest first: the index yields rowids in order, so nothing is sorted and the first page stops early', async () => {
    for (const sessionId of [undefined, big]) {
      const { sql, args } = searchSql.recent(match, sessionId, 1_000, 50, { agentId: 'x', kinds: ['action'], from: '2026-01-01T00:00:00.000Z' });
      const plan = await queryPlan(t.client, sql, args);
      expect(plan[0]).toMatch(sessionId ? /^SCAN log_fts VIRTUAL TABLE INDEX \d+:M4M5/ : /^SCAN log_fts VIRTUAL TABLE INDEX \d+:M5/);
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(plan).toContain('SEARCH n USING INTEGER PRIMARY KEY (rowid=?)');
    }
  });

  it('relevance inside a session ranks only that session\'s matches', async () => {
    const { sql, args } = searchSql.relevance(match, big, 50);
    const plan = await queryPlan(t.client, sql, args);
    expect(plan[0]).toMatch(/^SCAN log_fts VIRTUAL TABLE INDEX \d+:M4M5/);
  });
});

describe('searchPage', () => {
  it('pages a session in tree order with snippets, then stops', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.logs.searchPage({ query: 'needle', sessionId: big, order: 'tree', limit: 70, cursor });
      for (const h of page.items) {
        expect(h.sessionId).toBe(big);
        expect(h.snippet).toContain('\u0002needle\u0003');
      }
      seen.push(...page.items.map((h) => h.nodeId));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = (await t.logs.tree(big)).filter((n) => n.content.includes('needle') || n.toolArgs !== null).map((n) => n.id);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(200);
    // The old call answers the same first hits.
    expect((await t.logs.search({ query: 'needle', sessionId: big, order: 'tree', limit: 10 })).map((h) => h.nodeId)).toEqual(expected.slice(0, 10));
  });

  it('answers the same hits from a window of the session as from the index, and falls back to the index past it', async () => {
    const long = await t.newSession('long');
    const nodes = turns(Math.max(TREE_WINDOW, RECENT_WINDOW) + 200, 'l', Date.parse('2026-05-01T00:00:00.000Z'));
    nodes[TREE_WINDOW + 101]!.content = 'a rare walrus'; // only past the first window
    await t.logs.importNodes(long, nodes, { newIds: false });
    const common = await t.logs.searchPage({ query: 'needle', sessionId: long, order: 'tree', limit: 60 });
    const viaIndex = await t.client.execute(searchSql.tree(match, long, '', 61));
    expect(common.items.map((h) => [h.nodeId, h.snippet])).toEqual(viaIndex.rows.slice(0, 60).map((r) => [r.id, r.snippet]));
    expect(common.nextCursor).not.toBeNull();
    const rare = await t.logs.searchPage({ query: 'walrus', sessionId: long, order: 'tree' });
    expect(rare.items.map((h) => h.nodeId)).toEqual([`l${TREE_WINDOW + 101}`]);
    // Across sessions: the newest nodes answer a common word; an old rare word comes from the index.
    const newest = await t.logs.searchPage({ query: 'needle', limit: 5 });
    expect(newest.items.map((h) => h.nodeId)).toEqual(nodes.filter((n) => (n.content ?? '').includes('needle') || n.toolArgs).slice(-5).reverse().map((n) => n.id));
    await t.client.execute("UPDATE log_nodes SET content = 'an ancient walrus' WHERE id = 'b1'");
    expect((await t.logs.searchPage({ query: 'ancient' })).items.map((h) => h.nodeId)).toEqual(['b1']);
    expect((await t.logs.searchPage({ query: 'walrus', limit: 1 })).nextCursor).not.toBeNull();
    // The window tables are dropped again.
    const left = await t.client.execute("SELECT count(*) AS n FROM sqlite_temp_schema WHERE name LIKE 'log_search_window%'");
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it('pages all sessions newest first without repeats, and filters by agent, kind and date', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.logs.searchPage({ query: 'needle', limit: 64, cursor });
      all.push(...page.items.map((h) => h.nodeId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(220);
    expect(new Set(all).size).toBe(220);
    expect(all.slice(0, 3)).toEqual(['o38', 'o36', 'o34']); // imported last, so newest first

    const actions = await t.logs.searchPage({ query: 'needle', kinds: ['action'], limit: 1_000 });
    expect(actions.items.every((h) => h.kind === 'action')).toBe(true);
    expect(actions.items).toHaveLength(110);

    const april = await t.logs.searchPage({ query: 'needle', from: '2026-04-01T00:00:00.000Z', to: '2026-04-01T00:00:10.000Z', limit: 1_000 });
    expect(april.items.map((h) => h.nodeId).sort()).toEqual(['o0', 'o2', 'o4', 'o6', 'o8']);

    const agentId = (await t.repo.sessions.get(big)).agentId;
    expect((await t.logs.searchPage({ query: 'needle', agentId, limit: 1_000 })).items).toHaveLength(220);
    const another = await t.repo.agents.create({ name: 'Nobody' });
    expect((await t.logs.searchPage({ query: 'needle', agentId: another.id })).items).toEqual([]);
  });

  it('leaves sessions in the trash out of the search across sessions', async () => {
    await t.repo.sessions.softDelete(other);
    const page = await t.logs.searchPage({ query: 'needle', limit: 1_000 });
    expect(page.items.some((h) => h.sessionId === other)).toBe(false);
    expect((await t.logs.searchPage({ query: 'needle', sessionId: other, limit: 1_000 })).items).toHaveLength(20);
  });

  it('keys a session by its whole id, whatever characters it has', () => {
    expect(sessionKeyQuery('a-b')).not.toBe(sessionKeyQuery('a_b'));
    expect(sessionKeyQuery('a-b')).toMatch(/^"[0-9a-f]+"$/);
  });

  it('refuses bad cursors and tree order without a session', async () => {
    await expect(t.logs.searchPage({ query: 'needle', cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(LogsError);
    await expect(t.logs.searchPage({ query: 'needle', order: 'tree' })).rejects.toBeInstanceOf(LogsError);
    const tree = await t.logs.searchPage({ query: 'needle', sessionId: big, order: 'tree', limit: 1 });
    await expect(t.logs.searchPage({ query: 'needle', cursor: tree.nextCursor })).rejects.toBeInstanceOf(LogsError);
    expect(await t.logs.searchPage({ query: '!!!' })).toEqual({ items: [], nextCursor: null });
  });
});
