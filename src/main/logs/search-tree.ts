// A session's search hits in tree order when the words are expanded to exact terms
// (search-terms.ts), so FTS5 can seek in each doclist and a rowid range costs what it holds:
//
// * Walk the session's (session_id, path) index in growing chunks; for each chunk, ask FTS5 for
//   the session's matches between the chunk's lowest and highest rowid only. A page of a common
//   word fills in the first chunk, whatever the history holds.
// * When the first chunk does not fill the page, a word with few matches in the session is
//   read whole (one MATCH with the session key, stopped at ALL_AT_ONCE rows) and the rest of
//   the page picked from those rows in tree order; a word with more goes on walking.
//
// Snippets are computed for the page's rows only (snippet() re-tokenises a node's text).

import type { InValue, Row } from '@libsql/client';
import { num, str } from '../db/rows.js';
import type { WriteHandle } from '../repositories/handles.js';

/**
 * A rowid bound as FTS5 needs it. The driver binds a JS number as REAL, and FTS5 takes a rowid
 * bound only when it is an INTEGER: a REAL one is silently ignored (SQLite then filters the rows
 * FTS5 returns), so the "range" read every match of the session, ~30 ms for a common word in a
 * 100,000-node session against ~0.2 ms with the bound applied.
 */
export const FTS_ROWID = 'CAST(? AS INTEGER)';

/** Matches read at once before the walk is preferred (a common word has more). */
export const ALL_AT_ONCE = 1_000;
const FIRST_CHUNK = 256;
const MAX_CHUNK = 16_384;

export interface TreeFilterSql {
  sql: string;
  args: InValue[];
}

/** The SQL of the tree walk's steps; exported for the query-plan tests. */
export const treeSql = {
  /** The session's matches, in rowid order, at most `limit`. */
  sessionMatches(match: string, key: string, limit: number): { sql: string; args: InValue[] } {
    return { sql: `SELECT rowid AS n FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ? LIMIT ?`, args: [match, key, limit] };
  },
  /** The session's matches with rowids in [lo, hi]: FTS5 seeks to lo and stops after hi. */
  rangeMatches(match: string, key: string, lo: number, hi: number): { sql: string; args: InValue[] } {
    return { sql: `SELECT rowid AS n FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ? AND rowid >= ${FTS_ROWID} AND rowid <= ${FTS_ROWID}`, args: [match, key, lo, hi] };
  },
  /** The next nodes of the session in tree order (n and path only). */
  chunk(sessionId: string, after: string, f: TreeFilterSql, size: number): { sql: string; args: InValue[] } {
    return {
      sql: `SELECT n.n, n.path FROM log_nodes n JOIN sessions s ON s.id = n.session_id
            WHERE n.session_id = ? AND n.path > ?${f.sql} ORDER BY n.path LIMIT ?`,
      args: [sessionId, after, ...f.args, size],
    };
  },
  /** Given rowids of the session (a JSON array), those after `after` that pass the filters, in tree order. */
  pick(ids: string, sessionId: string, after: string, f: TreeFilterSql, limit: number): { sql: string; args: InValue[] } {
    return {
      sql: `SELECT n.n, n.path FROM log_nodes n JOIN sessions s ON s.id = n.session_id
            WHERE n.n IN (SELECT value FROM json_each(?)) AND n.session_id = ? AND n.path > ?${f.sql} ORDER BY n.path LIMIT ?`,
      args: [ids, sessionId, after, ...f.args, limit],
    };
  },
  /** The page's hits with snippets: the session's matches in the page's rowid range, kept only if on the page. */
  hits(match: string, key: string, ids: readonly number[], start: string, end: string, snippet: string, rank: string): { sql: string; args: InValue[] } {
    return {
      sql: `SELECT n.id, n.session_id, n.kind, n.status, n.path, ${snippet} AS snippet, ${rank} AS rank
            FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid
            WHERE log_fts MATCH ? AND log_fts.session_key MATCH ? AND log_fts.rowid >= ${FTS_ROWID} AND log_fts.rowid <= ${FTS_ROWID}
              AND +log_fts.rowid IN (SELECT value FROM json_each(?))
            ORDER BY n.path`,
      args: [start, end, match, key, Math.min(...ids), Math.max(...ids), JSON.stringify(ids)],
    };
  },
};

/** One chunk of the walk: the chunk's rowids that match, in tree order, and where the next chunk starts. */
async function walkChunk(db: WriteHandle, match: string, key: string, sessionId: string, after: string, size: number, f: TreeFilterSql): Promise<{ hits: number[]; next: string | null }> {
  const chunk = (await db.execute(treeSql.chunk(sessionId, after, f, size))).rows;
  if (chunk.length === 0) return { hits: [], next: null };
  const ns = chunk.map((r) => num(r, 'n'));
  const matched = new Set((await db.execute(treeSql.rangeMatches(match, key, Math.min(...ns), Math.max(...ns)))).rows.map((r) => num(r, 'n')));
  return { hits: ns.filter((n) => matched.has(n)), next: chunk.length < size ? null : str(chunk[chunk.length - 1]!, 'path') };
}

/**
 * Rowids of the session's first `limit` hits after `after`, in tree order. The first chunk
 * comes first, since a common word fills its page there; only then are the session's matches
 * counted (up to ALL_AT_ONCE) to pick the rare word's plan or go on walking.
 */
async function pageRowids(db: WriteHandle, match: string, key: string, sessionId: string, after: string, limit: number, f: TreeFilterSql): Promise<number[]> {
  const first = await walkChunk(db, match, key, sessionId, after, FIRST_CHUNK, f);
  const out = first.hits.slice(0, limit);
  if (out.length >= limit || first.next === null) return out;
  let cursor = first.next;
  const all = await db.execute(treeSql.sessionMatches(match, key, ALL_AT_ONCE));
  if (all.rows.length < ALL_AT_ONCE) {
    if (all.rows.length === 0) return out;
    const rs = await db.execute(treeSql.pick(JSON.stringify(all.rows.map((r) => num(r, 'n'))), sessionId, cursor, f, limit - out.length));
    return [...out, ...rs.rows.map((r) => num(r, 'n'))];
  }
  for (let size = FIRST_CHUNK * 4; ; size = Math.min(size * 4, MAX_CHUNK)) {
    const step = await walkChunk(db, match, key, sessionId, cursor, size, f);
    for (const n of step.hits) {
      out.push(n);
      if (out.length >= limit) return out;
    }
    if (step.next === null) return out;
    cursor = step.next;
  }
}

/** The session's first `limit` hits after path `after`, in tree order, with snippets. */
export async function treeHits(
  db: WriteHandle, match: string, key: string, sessionId: string, after: string, limit: number, f: TreeFilterSql,
  snippetSql: { sql: string; start: string; end: string; rank: string },
): Promise<Row[]> {
  const ids = await pageRowids(db, match, key, sessionId, after, limit, f);
  if (ids.length === 0) return [];
  return (await db.execute(treeSql.hits(match, key, ids, snippetSql.start, snippetSql.end, snippetSql.sql, snippetSql.rank))).rows;
}
