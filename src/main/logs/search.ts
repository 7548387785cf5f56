// Full-text search over session logs (index: migrations 0003 and 0040). Every query is shaped so
// its cost follows what it returns, not the size of the whole history:
//
// * Words are expanded to the exact terms they stand for (search-terms.ts: a term dictionary
//   kept beside the index) before FTS5 runs, so FTS5 seeks in each term's doclist instead of
//   merging every doclist of a prefix across the whole history. With them, tree order walks the
//   session by rowid ranges (search-tree.ts) and 'recent' reads the index newest first, with no
//   window. Until the dictionary is complete, the prefix query and the windows below answer.
// * In one session, the session is part of the MATCH (`log_fts.session_key MATCH`): FTS5
//   intersects the words' doclists with the session's inside the index, so no match of another
//   session is joined, sorted or re-matched.
// * Tree order first indexes a window of the session's next nodes in tree order (a temporary
//   FTS5 table with the same tokenizer, so the same matches) and answers from it when the
//   window holds a full page: a common word costs a window, whatever the history holds. FTS5
//   expands a prefix term ("word"*) by reading every doclist of every term with that prefix in
//   the whole index, so the index path below costs about the word's matches in the history.
// * Otherwise (a rarer word) tree order walks the session's (session_id, path) index and probes
//   the set of the session's matching rowids (built once, an IN subquery), so a page stops
//   after `limit` hits. Its snippets come from a second pass that computes snippet() for those
//   hits only: snippet() re-tokenises a node's text and must never run once per match.
// * 'recent' (newest first) across sessions answers from a window of the newest nodes the
//   same way; otherwise FTS5 returns rowids in descending order (the ORDER BY is consumed by
//   the index: no sort), so a page reads `limit` hits plus what the filters skip, after the
//   prefix expansion. Further pages continue below the last rowid (keyset).
// * 'relevance' ranks every match by bm25 (a sort of the whole match set): bounded by the
//   session's matches inside a session, by the whole history's across sessions.
//
// search.test.ts checks these plans with EXPLAIN QUERY PLAN.

import type { InValue, Row } from '@libsql/client';
import { z } from 'zod';
import { LOG_KINDS, type LogKind, type LogStatus, type Page } from '../../shared/domain.js';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, type LogSearchHit } from '../../shared/ipc/channels/logs.js';
import { decodeRow, num, str, strOrNull, type ColumnReader, type RowSchema } from '../db/rows.js';
import type { WriteHandle } from '../repositories/handles.js';
import { LogsError } from './errors.js';
import { expandQuery, ftsQueryOf, parseSearchText } from './search-terms.js';
import { FTS_ROWID, treeHits } from './search-tree.js';
import { idSchema, parseInput } from './validation.js';

export const MAX_SEARCH_PAGE = 1_000;

export type LogSearchOrder = 'relevance' | 'tree' | 'recent';

export interface LogSearchQuery {
  /** Words (each matched as a prefix) and "quoted phrases"; all must match. */
  query: string;
  /** Search one session only. */
  sessionId?: string;
  limit?: number;
  /** 'relevance' (default), 'tree' (tree order inside a session) or 'recent' (newest first). */
  order?: LogSearchOrder;
}

export interface LogSearchFilters {
  /** Only sessions of this agent. */
  agentId?: string;
  /** Only these node kinds. */
  kinds?: readonly LogKind[];
  /** Only nodes started at or after this ISO time… */
  from?: string;
  /** …and before this one. */
  to?: string;
}

export interface LogSearchPageQuery extends LogSearchFilters {
  query: string;
  sessionId?: string;
  /** 'recent' (default) or 'tree' (needs sessionId). */
  order?: 'recent' | 'tree';
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string | null;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isoSchema = z.string().regex(ISO_RE, 'must be an ISO-8601 UTC time');

const searchSchema = z.object({
  query: z.string().max(1_000),
  sessionId: idSchema.optional(),
  limit: z.number().int().min(1).max(MAX_SEARCH_PAGE).optional(),
  order: z.enum(['relevance', 'tree', 'recent']).optional(),
});

const pageSchema = z.object({
  query: z.string().max(1_000),
  sessionId: idSchema.optional(),
  order: z.enum(['recent', 'tree']).optional(),
  limit: z.number().int().min(1).max(MAX_SEARCH_PAGE).optional(),
  cursor: z.string().max(4_000).nullable().optional(),
  agentId: idSchema.optional(),
  kinds: z.array(z.enum(LOG_KINDS)).max(LOG_KINDS.length).optional(),
  from: isoSchema.optional(),
  to: isoSchema.optional(),
});

const HIT_ROW = {
  nodeId: ['id', str],
  sessionId: ['session_id', str],
  kind: str as ColumnReader<LogKind>,
  status: str as ColumnReader<LogStatus>,
  snippet: ['snippet', (r, c) => strOrNull(r, c) ?? ''],
  rank: num,
} as const satisfies RowSchema;

const SNIPPET = `snippet(log_fts, -1, ?, ?, '…', 24)`;
/** session_key weighs nothing: it is a filter, not a relevance signal. */
const RANK = 'bm25(log_fts, 1.0, 1.0, 1.0, 1.0, 0.0)';
/**
 * Pages in newest-first or tree order carry no score: bm25() counts each word's matches in the
 * whole index (its doclists, once per query) to weigh it, ~0.6 s for a common word on 3 M nodes,
 * for a number these orders never use.
 */
export const PAGE_RANK = '0.0';
const PATH_RE = /^\d{8}(\.\d{8}){0,255}$/;

/**
 * Turns a user's search text into an FTS5 query: bare words become prefix terms, "quoted text"
 * becomes a phrase, everything is ANDed. Only letters and digits reach FTS5 (the unicode61
 * tokenizer ignores the rest anyway), so no user input can form FTS5 syntax.
 */
export function toFtsQuery(text: string): string | null {
  return ftsQueryOf(parseSearchText(text));
}

/** The session_key MATCH for a session: its id in hex, as the index's triggers store it. */
export function sessionKeyQuery(sessionId: string): string {
  return `"${Buffer.from(sessionId, 'utf8').toString('hex')}"`;
}

function encodeCursor(kind: 'k' | 'p', value: string | number): string {
  return Buffer.from(`${kind}:${value}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, kind: 'k' | 'p'): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const value = raw.slice(2);
  const ok = raw.startsWith(`${kind}:`) && (kind === 'k' ? /^\d{1,19}$/.test(value) : PATH_RE.test(value));
  if (!ok) throw new LogsError('INVALID_CURSOR', 'Invalid search cursor');
  return value;
}

/** WHERE terms over log_nodes n and sessions s for the filters; fixed SQL, values bound. */
function filterTerms(f: LogSearchFilters): { sql: string; args: InValue[] } {
  const terms: string[] = [];
  const args: InValue[] = [];
  if (f.agentId !== undefined) {
    terms.push('s.agent_id = ?');
    args.push(f.agentId);
  }
  if (f.kinds !== undefined && f.kinds.length > 0) {
    terms.push(`n.kind IN (${f.kinds.map(() => '?').join(', ')})`);
    args.push(...f.kinds);
  }
  if (f.from !== undefined) {
    terms.push('n.started_at >= ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    terms.push('n.started_at < ?');
    args.push(f.to);
  }
  return { sql: terms.map((t) => ` AND ${t}`).join(''), args };
}

/** The SQL and arguments of each search shape; exported for the query-plan tests. */
export const searchSql = {
  /**
   * A session's hits in tree order after `path`, with snippets (two passes; see the top). In the
   * second pass each of the session's matches is first checked against the page's rowids (a
   * list built once; `+` keeps FTS5 from taking it as a rowid lookup, which would re-run the
   * MATCH per value); only the page's rows reach the join and snippet().
   */
  tree(match: string, sessionId: string, after: string, limit: number, f: LogSearchFilters = {}): { sql: string; args: InValue[] } {
    const filters = filterTerms(f);
    const key = sessionKeyQuery(sessionId);
    return {
      sql: `WITH hits AS MATERIALIZED (
              SELECT n.n, n.id, n.session_id, n.kind, n.status, n.path FROM log_nodes n JOIN sessions s ON s.id = n.session_id
              WHERE n.session_id = ? AND n.path > ?${filters.sql}
                AND n.n IN (SELECT rowid FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ?)
              ORDER BY n.path LIMIT ?)
            SELECT h.id, h.session_id, h.kind, h.status, h.path, ${SNIPPET} AS snippet, ${RANK} AS rank
            FROM log_fts CROSS JOIN hits h ON h.n = log_fts.rowid
            WHERE log_fts MATCH ? AND log_fts.session_key MATCH ? AND +log_fts.rowid IN (SELECT n FROM hits)
            ORDER BY h.path`,
      args: [sessionId, after, ...filters.args, match, key, limit, SNIPPET_MATCH_START, SNIPPET_MATCH_END, match, key],
    };
  },

  /** Newest first below rowid `before`, in one session or in all sessions outside the trash. */
  recent(match: string, sessionId: string | undefined, before: number | null, limit: number, f: LogSearchFilters = {}): { sql: string; args: InValue[] } {
    const filters = filterTerms(f);
    return {
      sql: `SELECT n.id, n.session_id, n.kind, n.status, log_fts.rowid AS k, ${SNIPPET} AS snippet, ${PAGE_RANK} AS rank
            FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid
              CROSS JOIN sessions s ON s.id = n.session_id CROSS JOIN agents a ON a.id = s.agent_id
            WHERE log_fts MATCH ?${sessionId === undefined ? '' : ' AND log_fts.session_key MATCH ?'}${before === null ? '' : ` AND log_fts.rowid < ${FTS_ROWID}`}
${sessionId === undefined ? ' AND s.deleted_at IS NULL AND a.deleted_at IS NULL' : ''}${filters.sql}
            ORDER BY log_fts.rowid DESC LIMIT ?`,
      args: [
        SNIPPET_MATCH_START, SNIPPET_MATCH_END, match,
        ...(sessionId === undefined ? [] : [sessionKeyQuery(sessionId)]),
        ...(before === null ? [] : [before]),
        ...filters.args, limit,
      ],
    };
  },

  /** Best bm25 first; every match is ranked, so bounded only inside a session. */
  relevance(match: string, sessionId: string | undefined, limit: number): { sql: string; args: InValue[] } {
    return {
      sql: `SELECT n.id, n.session_id, n.kind, n.status, ${SNIPPET} AS snippet, ${RANK} AS rank
            FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid
            WHERE log_fts MATCH ?${sessionId === undefined ? '' : ' AND log_fts.session_key MATCH ? AND n.session_id = ?'}
            ORDER BY rank LIMIT ?`,
      args: [SNIPPET_MATCH_START, SNIPPET_MATCH_END, match, ...(sessionId === undefined ? [] : [sessionKeyQuery(sessionId), sessionId]), limit],
    };
  },
};

/** Nodes a window indexes: enough for a page of a common word, small enough to index at once. */
export const TREE_WINDOW = 1_000;
/** The newest nodes a "recent" window looks at (those passing the filters are indexed). */
export const RECENT_WINDOW = 1_000;
let windowSeq = 0;

/** Where a window's rows come from: a SELECT of the window columns, and its order in the window. */
interface WindowSource {
  select: string;
  args: InValue[];
  /** Rows the source can yield at most: fewer means it reached the end. */
  size: number;
  order: 'path' | 'rowid DESC';
}

const WINDOW_COLUMNS = 'n.n, n.content, n.tool_name, n.tool_args, n.tool_result, n.path, n.id, n.session_id, n.kind, n.status';

/**
 * A session's first `limit` hits after `after` in tree order: from a window of the next
 * TREE_WINDOW nodes when it holds them all (or reaches the session's end), else from the index.
 */
async function treePage(client: WriteHandle, match: string, expanded: boolean, sessionId: string, after: string, limit: number, f: LogSearchFilters): Promise<{ rows: Row[] }> {
  const filters = filterTerms(f);
  if (expanded) {
    const snippet = { sql: SNIPPET, start: SNIPPET_MATCH_START, end: SNIPPET_MATCH_END, rank: PAGE_RANK };
    return { rows: await treeHits(client, match, sessionKeyQuery(sessionId), sessionId, after, limit, filters, snippet) };
  }
  const source: WindowSource = {
    select: `SELECT ${WINDOW_COLUMNS} FROM log_nodes n JOIN sessions s ON s.id = n.session_id
             WHERE n.session_id = ? AND n.path > ?${filters.sql} ORDER BY n.path LIMIT ${TREE_WINDOW}`,
    args: [sessionId, after, ...filters.args],
    size: TREE_WINDOW,
    order: 'path',
  };
  const fromWindow = await searchWindow(client, match, source, limit).catch(() => null);
  return fromWindow ?? (await client.execute(searchSql.tree(match, sessionId, after, limit, f)));
}

/**
 * The newest `limit` hits across sessions below rowid `before`: from a window of the newest
 * RECENT_WINDOW nodes when it holds them all (or reaches the oldest node), else from the index.
 */
async function recentPage(client: WriteHandle, match: string, expanded: boolean, before: number | null, limit: number, f: LogSearchFilters): Promise<{ rows: Row[] }> {
  // Exact terms: FTS5 yields the newest matches first without reading the rest, no window needed.
  if (expanded) return client.execute(searchSql.recent(match, undefined, before, limit, f));
  const filters = filterTerms(f);
  const bound = before ?? Number.MAX_SAFE_INTEGER;
  const source: WindowSource = {
    select: `SELECT ${WINDOW_COLUMNS}
             FROM (SELECT n FROM log_nodes WHERE n < ? ORDER BY n DESC LIMIT ${RECENT_WINDOW}) r
               CROSS JOIN log_nodes n ON n.n = r.n CROSS JOIN sessions s ON s.id = n.session_id CROSS JOIN agents a ON a.id = s.agent_id
             WHERE s.deleted_at IS NULL AND a.deleted_at IS NULL${filters.sql}`,
    args: [bound, ...filters.args],
    size: RECENT_WINDOW,
    order: 'rowid DESC',
  };
  const scanned = await client.execute({ sql: `SELECT count(*) AS c FROM (SELECT n FROM log_nodes WHERE n < ? ORDER BY n DESC LIMIT ${RECENT_WINDOW})`, args: [bound] });
  const fromWindow = await searchWindow(client, match, source, limit, num(scanned.rows[0]!, 'c') < RECENT_WINDOW).catch(() => null);
  return fromWindow ?? (await client.execute(searchSql.recent(match, undefined, before, limit, f)));
}

/**
 * Indexes the source's rows in a temporary FTS5 table (the index's own tokenizer, so the same
 * matches) and answers from it; null when it cannot: fewer than `limit` hits and more rows
 * beyond the window.
 */
async function searchWindow(client: WriteHandle, match: string, source: WindowSource, limit: number, reachedEnd?: boolean): Promise<{ rows: Row[] } | null> {
  // A name of its own per call: calls on one connection may interleave between statements.
  const name = `log_search_window_${++windowSeq}`;
  await client.execute(`CREATE VIRTUAL TABLE temp.${name} USING fts5 (content, tool_name, tool_args, tool_result, path UNINDEXED,
    id UNINDEXED, session_id UNINDEXED, kind UNINDEXED, status UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')`);
  try {
    const filled = await client.execute({
      sql: `INSERT INTO temp.${name} (rowid, content, tool_name, tool_args, tool_result, path, id, session_id, kind, status) ${source.select}`,
      args: source.args,
    });
    const rs = await client.execute({
      sql: `SELECT id, session_id, kind, status, path, rowid AS k, snippet(${name}, -1, ?, ?, '…', 24) AS snippet, bm25(${name}) AS rank
            FROM temp.${name} WHERE ${name} MATCH ? ORDER BY ${source.order} LIMIT ?`,
      args: [SNIPPET_MATCH_START, SNIPPET_MATCH_END, match, limit],
    });
    const ended = reachedEnd ?? filled.rowsAffected < source.size;
    return rs.rows.length >= limit || ended ? { rows: rs.rows } : null;
  } finally {
    await client.execute(`DROP TABLE temp.${name}`);
  }
}

/** logs.search: one list of hits (no paging). */
export async function searchLogs(client: WriteHandle, q: LogSearchQuery): Promise<LogSearchHit[]> {
  const { query, sessionId, limit = 50, order = 'relevance' } = parseInput(searchSchema, q, 'search');
  const expanded = await expandQuery(client, query);
  if (expanded === null) return [];
  const { match } = expanded;
  if (order === 'tree' && sessionId !== undefined) {
    return (await treePage(client, match, expanded.expanded, sessionId, '', limit, {})).rows.map((r) => decodeRow(r, HIT_ROW));
  }
  if (order === 'tree') {
    // Tree order across sessions: every match, sorted by session and path (old behaviour).
    const rs = await client.execute({
      sql: `SELECT n.id, n.session_id, n.kind, n.status, ${SNIPPET} AS snippet, ${RANK} AS rank
            FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid WHERE log_fts MATCH ? ORDER BY n.session_id, n.path LIMIT ?`,
      args: [SNIPPET_MATCH_START, SNIPPET_MATCH_END, match, limit],
    });
    return rs.rows.map((r) => decodeRow(r, HIT_ROW));
  }
  const stmt = order === 'recent' ? searchSql.recent(match, sessionId, null, limit) : searchSql.relevance(match, sessionId, limit);
  const rs = await client.execute(stmt);
  return rs.rows.map((r) => decodeRow(r, HIT_ROW));
}

/** logs.searchPage: a page of hits in 'recent' or 'tree' order, with filters and a cursor. */
export async function searchLogPage(client: WriteHandle, q: LogSearchPageQuery): Promise<Page<LogSearchHit>> {
  const input = parseInput(pageSchema, q, 'search');
  const { query, sessionId, order = 'recent', limit = 50, cursor } = input;
  const filters: LogSearchFilters = {
    ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
    ...(input.kinds === undefined ? {} : { kinds: input.kinds }),
    ...(input.from === undefined ? {} : { from: input.from }),
    ...(input.to === undefined ? {} : { to: input.to }),
  };
  const expanded = await expandQuery(client, query);
  if (expanded === null) return { items: [], nextCursor: null };
  const { match } = expanded;
  if (order === 'tree') {
    if (sessionId === undefined) throw new LogsError('INVALID_INPUT', 'Tree order needs a session');
    const after = cursor ? decodeCursor(cursor, 'p') : '';
    const rs = await treePage(client, match, expanded.expanded, sessionId, after, limit + 1, filters);
    const more = rs.rows.length > limit;
    const rows = more ? rs.rows.slice(0, limit) : rs.rows;
    return { items: rows.map((r) => decodeRow(r, HIT_ROW)), nextCursor: more ? encodeCursor('p', str(rows[rows.length - 1]!, 'path')) : null };
  }
  const before = cursor ? Number(decodeCursor(cursor, 'k')) : null;
  const rs = sessionId === undefined ? await recentPage(client, match, expanded.expanded, before, limit + 1, filters) : await client.execute(searchSql.recent(match, sessionId, before, limit + 1, filters));
  const more = rs.rows.length > limit;
  const rows = more ? rs.rows.slice(0, limit) : rs.rows;
  return { items: rows.map((r) => decodeRow(r, HIT_ROW)), nextCursor: more ? encodeCursor('k', num(rows[rows.length - 1]!, 'k')) : null };
}
