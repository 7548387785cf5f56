// Reads of the session log tree, full-text search, deletion and bulk import. Live appends go
// through LogWriter (writer.ts); this class never holds a write buffer.

import type { InValue, Row } from '@libsql/client';
import { z } from 'zod';
import type { LogChunk, LogNode, Page } from '../../shared/domain.js';
import { LOG_PAGE_BULK_MAX, type LogSearchHit } from '../../shared/ipc/channels/logs.js';
import { bool, num, numOrNull, scalar, str, strOrNull } from '../db/rows.js';
import { RawJson } from '../raw-json.js';
import type { WriteHandle } from '../repositories/handles.js';
import { LogsError } from './errors.js';
import { searchLogPage, searchLogs, type LogSearchPageQuery, type LogSearchQuery } from './search.js';
import { importLogNodes, type ImportLogNode, type ImportOptions, type ImportResult } from './import.js';
import { NODE_OBJECT_JSON } from './node-json.js';
import { NODE_COLUMNS, NODE_JSON, chunksFromJson, nodesFromJson, rowToNode } from './rows.js';
import { SPAN_JSON, mergeNodeChunks, mergeSessionChunks, type SpanTuple } from './spans.js';
import { countSchema, idSchema, parseInput } from './validation.js';

export { MAX_DEPTH, importLogNodeSchema, type ImportLogNode, type ImportOptions, type ImportResult } from './import.js';

export const MAX_PAGE_SIZE = 1_000;

// The search hit shape and its snippet markers are part of the IPC contract; defined once there.
export { SNIPPET_MATCH_START, SNIPPET_MATCH_END, type LogSearchHit } from '../../shared/ipc/channels/logs.js';
export { toFtsQuery, type LogSearchFilters, type LogSearchOrder, type LogSearchPageQuery, type LogSearchQuery } from './search.js';

export interface LogPageOptions {
  /** nextCursor of the previous page (or locate().cursor); omit for the first page. */
  cursor?: string | null;
  limit: number;
}

export interface LogLocation {
  sessionId: string;
  /** 0-based position of the node in its session's tree order. */
  index: number;
  /** A page() cursor whose page starts at this node. */
  cursor: string;
}

/** Every chunk row of session `?` as one JSON array of [node_id, seq, text, at_ms, path], in tree order. */
const SESSION_CHUNKS_JSON = `(SELECT json_group_array(json_array(c.node_id, c.seq, c.text, c.at_ms, n.path) ORDER BY n.path, c.seq)
  FROM log_nodes n JOIN log_chunks c ON c.node_id = n.id WHERE n.session_id = ?)`;
/** Every span of session `?` (chunks of nodes that finished streaming; see spans.ts), in tree order. */
const SESSION_SPANS_JSON = `(SELECT json_group_array(${SPAN_JSON} ORDER BY n.path)
  FROM log_nodes n JOIN log_timings s ON s.n = n.n WHERE n.session_id = ?)`;

/** Chunks of a session from SESSION_CHUNKS_JSON and SESSION_SPANS_JSON texts. */
function sessionChunks(rowsJson: unknown, spansJson: unknown): LogChunk[] {
  const tuples = JSON.parse(typeof rowsJson === 'string' && rowsJson.length > 0 ? rowsJson : '[]') as [string, number, string, number, string][];
  const rows = tuples.map((t) => ({ chunk: { nodeId: t[0], seq: t[1], text: t[2], atMs: t[3] }, path: t[4] }));
  return mergeSessionChunks(rows, spansJson);
}

/*
 * The JSON reads (treeJson, pageJson) aggregate without json_group_array(… ORDER BY): the sort
 * it adds cost ~25 % of the query. The ordered, LIMITed subquery is a co-routine walking the
 * (session_id, path) index, and the aggregate takes rows in the order it yields them;
 * repository.test.ts checks that order against tree() on a tree whose rowids are not in
 * tree order.
 */

/** A JSON text column, or `empty` when SQL gave nothing (no row, or NULL from an empty aggregate). */
function jsonText(row: Row | undefined, col: string, empty: string): string {
  const value = row ? strOrNull(row, col) : null;
  return value ? value : empty;
}

const sessionIdSchema = idSchema;
const pageOptionsSchema = z.object({
  cursor: z.string().max(4_000).nullable().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
});
/** page() and pageJson() serve the bulk load of a huge tree: larger pages, fewer round trips. */
const treePageOptionsSchema = pageOptionsSchema.extend({ limit: z.number().int().min(1).max(LOG_PAGE_BULK_MAX) });
const wholeLimitsSchema = z.object({
  maxNodes: z.number().int().min(1),
  maxBytes: z.number().int().min(1),
});
const PATH_RE = /^\d{8}(\.\d{8}){0,255}$/;

// Cursor = base64url("a:" + path) for "after this node" or ("s:" + path) for "starting at it".
function encodeCursor(mode: 'a' | 's', path: string): string {
  return Buffer.from(`${mode}:${path}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { op: '>' | '>='; path: string } {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const path = raw.slice(2);
  if ((raw.startsWith('a:') || raw.startsWith('s:')) && PATH_RE.test(path)) {
    return { op: raw.startsWith('a:') ? '>' : '>=', path };
  }
  throw new LogsError('INVALID_CURSOR', 'Invalid page cursor');
}

export class LogsRepository {
  constructor(private readonly client: WriteHandle) {}

  /** Every node of a session in tree order. For small sessions; page() for big ones. */
  async tree(sessionId: string): Promise<LogNode[]> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    return this.list(`n.session_id = ?`, [sid], 'n.path', -1);
  }

  /**
   * tree() as the contract's JSON text, built by SQLite and never parsed here: the browser host
   * sends it as it is (RawJson). Same nodes, same order, same values as tree().
   */
  async treeJson(sessionId: string): Promise<RawJson<LogNode[]>> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({
      sql: `SELECT json_group_array(${NODE_OBJECT_JSON}) AS j
            FROM (SELECT * FROM log_nodes n WHERE n.session_id = ? ORDER BY n.path LIMIT -1) n`,
      args: [sid],
    });
    return new RawJson(jsonText(rs.rows[0], 'j', '[]'));
  }

  /**
   * A session's node count and, when it has at most maxNodes nodes holding at most maxBytes of
   * text, every node in tree order: `{"count":N,"nodes":[…]|null}` as JSON text (see treeJson).
   * The size is read from the record headers (octet_length), so a session too big to send whole
   * is never rendered to JSON.
   */
  async wholeJson(sessionId: string, limits: { maxNodes: number; maxBytes: number }): Promise<RawJson<{ count: number; nodes: LogNode[] | null }>> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const { maxNodes, maxBytes } = parseInput(wholeLimitsSchema, limits, 'limits');
    const size = await this.client.execute({
      sql: `SELECT c.n AS count, CASE WHEN c.n <= ?2 THEN (
                SELECT coalesce(sum(octet_length(n.content) + octet_length(n.metadata)
                  + coalesce(octet_length(n.tool_args), 0) + coalesce(octet_length(n.tool_result), 0)), 0)
                FROM log_nodes n WHERE n.session_id = ?1) END AS bytes
            FROM (SELECT count(*) AS n FROM log_nodes WHERE session_id = ?1) c`,
      args: [sid, maxNodes],
    });
    const row = size.rows[0];
    const count = row ? num(row, 'count') : 0;
    const bytes = row ? numOrNull(row, 'bytes') : null;
    if (bytes === null || bytes > maxBytes) return new RawJson(`{"count":${count},"nodes":null}`);
    const tree = await this.treeJson(sid);
    return new RawJson(`{"count":${count},"nodes":${tree.json}}`);
  }

  /** page() as JSON text (see treeJson): `{"items":[…],"nextCursor":…}`. */
  async pageJson(sessionId: string, opts: LogPageOptions): Promise<RawJson<Page<LogNode>>> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const { cursor, limit } = parseInput(treePageOptionsSchema, opts, 'page options');
    const { op, path: from } = cursor ? decodeCursor(cursor) : { op: '>', path: '' };
    // `more` probes the index for one node past the page instead of reading and rendering it.
    const rs = await this.client.execute({
      sql: `SELECT p.j, p.last, p.c = ?3 AND EXISTS (SELECT 1 FROM log_nodes o WHERE o.session_id = ?1 AND o.path > p.last) AS more
            FROM (SELECT json_group_array(${NODE_OBJECT_JSON}) AS j, max(n.path) AS last, count(*) AS c
              FROM (SELECT * FROM log_nodes n WHERE n.session_id = ?1 AND n.path ${op} ?2 ORDER BY n.path LIMIT ?3) n) p`,
      args: [sid, from, limit],
    });
    const r = rs.rows[0];
    const next = r && bool(r, 'more') ? JSON.stringify(encodeCursor('a', str(r, 'last'))) : 'null';
    return new RawJson(`{"items":${jsonText(r, 'j', '[]')},"nextCursor":${next}}`);
  }

  /** Children of a node (or the roots of a session) in sibling order. */
  async children(
    parent: string | { sessionId: string; parentId: null },
    opts: { afterSeq?: number; limit?: number } = {},
  ): Promise<LogNode[]> {
    const after = opts.afterSeq === undefined ? -1 : parseInput(countSchema, opts.afterSeq, 'afterSeq');
    const limit = opts.limit === undefined ? -1 : parseInput(pageOptionsSchema.shape.limit, opts.limit, 'limit');
    if (typeof parent === 'string') {
      const id = parseInput(idSchema, parent, 'node id');
      return this.list('n.parent_id = ? AND n.seq > ?', [id, after], 'n.seq', limit);
    }
    const sid = parseInput(sessionIdSchema, parent?.sessionId, 'session id');
    return this.list('n.session_id = ? AND n.parent_id IS NULL AND n.seq > ?', [sid, after], 'n.seq', limit);
  }

  /** A page of a session in tree order (pre-order), keyset-paginated on the node's path. */
  async page(sessionId: string, opts: LogPageOptions): Promise<Page<LogNode>> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const { cursor, limit } = parseInput(treePageOptionsSchema, opts, 'page options');
    const { op, path: from } = cursor ? decodeCursor(cursor) : { op: '>', path: '' };
    const { nodes, paths } = await this.listWithPaths(`n.session_id = ? AND n.path ${op} ?`, [sid, from], 'n.path', limit + 1);
    const more = nodes.length > limit;
    return {
      items: more ? nodes.slice(0, limit) : nodes,
      nextCursor: more ? encodeCursor('a', paths[limit - 1]!) : null,
    };
  }

  /** Where a node sits in its session's tree order, with a cursor for page() starting there. */
  async locate(nodeId: string): Promise<LogLocation | null> {
    const id = parseInput(idSchema, nodeId, 'node id');
    const rs = await this.client.execute({
      sql: `SELECT n.session_id, n.path,
              (SELECT count(*) FROM log_nodes o WHERE o.session_id = n.session_id AND o.path < n.path) AS idx
            FROM log_nodes n WHERE n.id = ?`,
      args: [id],
    });
    const r = rs.rows[0];
    if (!r) return null;
    return { sessionId: str(r, 'session_id'), index: num(r, 'idx'), cursor: encodeCursor('s', str(r, 'path')) };
  }

  /** The n most recently started nodes of a session, oldest first. */
  async latest(sessionId: string, n: number): Promise<LogNode[]> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const limit = parseInput(pageOptionsSchema.shape.limit, n, 'count');
    return (await this.list('n.session_id = ?', [sid], 'n.started_at DESC, n.n DESC', limit)).reverse();
  }

  /**
   * Nodes matching `where` (a fixed SQL fragment over alias n, never user text) in `orderBy`
   * order, read as one JSON string (see NODE_JSON). limit -1 = all.
   */
  private async listWithPaths(where: string, args: InValue[], orderBy: string, limit: number): Promise<{ nodes: LogNode[]; paths: string[] }> {
    const rs = await this.client.execute({
      sql: `SELECT json_group_array(${NODE_JSON} ORDER BY ${orderBy}) AS j
            FROM (SELECT * FROM log_nodes n WHERE ${where} ORDER BY ${orderBy} LIMIT ?) n`,
      args: [...args, limit],
    });
    return nodesFromJson(jsonText(rs.rows[0], 'j', '[]'));
  }

  private async list(where: string, args: InValue[], orderBy: string, limit: number): Promise<LogNode[]> {
    return (await this.listWithPaths(where, args, orderBy, limit)).nodes;
  }

  async count(sessionId: string): Promise<number> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({ sql: 'SELECT count(*) AS c FROM log_nodes WHERE session_id = ?', args: [sid] });
    return scalar(rs, num, 'c', 0);
  }

  async get(nodeId: string): Promise<LogNode | null> {
    const id = parseInput(idSchema, nodeId, 'node id');
    const rs = await this.client.execute({ sql: `SELECT ${NODE_COLUMNS} FROM log_nodes n WHERE n.id = ?`, args: [id] });
    const r = rs.rows[0];
    return r ? rowToNode(r) : null;
  }

  /** A node's streamed pieces in order, each with its offset from the node's start (replay). */
  async chunks(nodeId: string): Promise<LogChunk[]> {
    const id = parseInput(idSchema, nodeId, 'node id');
    const rs = await this.client.execute({
      sql: `SELECT (SELECT json_group_array(json_array(node_id, seq, text, at_ms) ORDER BY seq) FROM log_chunks WHERE node_id = ?1) AS rows,
              (SELECT ${SPAN_JSON} FROM log_nodes n JOIN log_timings s ON s.n = n.n WHERE n.id = ?1) AS span`,
      args: [id],
    });
    const row = rs.rows[0];
    const span = row?.span;
    return mergeNodeChunks(typeof span === 'string' ? (JSON.parse(span) as SpanTuple) : undefined, chunksFromJson(jsonText(row, 'rows', '[]')));
  }

  /**
   * Every streamed chunk of a session in one query: nodes in tree order, each node's chunks in
   * seq order (the order session export writes them). Read as one JSON string like the node
   * lists: one execute per node cost ~7 s for a 100,000-node session, this costs a few hundred ms.
   */
  async chunksOfSession(sessionId: string): Promise<LogChunk[]> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({
      sql: `SELECT ${SESSION_CHUNKS_JSON.replaceAll('?', '?1')} AS j, ${SESSION_SPANS_JSON.replaceAll('?', '?1')} AS spans`,
      args: [sid],
    });
    return sessionChunks(jsonText(rs.rows[0], 'j', '[]'), jsonText(rs.rows[0], 'spans', '[]'));
  }

  /**
   * A whole session log, nodes in tree order and every chunk (as chunksOfSession), read by ONE
   * statement so both come from the same snapshot: a writer appending meanwhile can never leave
   * a chunk whose node is missing, or a streaming node's text out of step with its chunks.
   */
  async sessionLog(sessionId: string): Promise<{ nodes: LogNode[]; chunks: LogChunk[] }> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({
      sql: `SELECT (SELECT json_group_array(${NODE_JSON} ORDER BY n.path) FROM log_nodes n WHERE n.session_id = ?1) AS nodes,
              ${SESSION_CHUNKS_JSON.replaceAll('?', '?1')} AS chunks, ${SESSION_SPANS_JSON.replaceAll('?', '?1')} AS spans`,
      args: [sid],
    });
    const row = rs.rows[0];
    return { nodes: nodesFromJson(jsonText(row, 'nodes', '[]')).nodes, chunks: sessionChunks(jsonText(row, 'chunks', '[]'), jsonText(row, 'spans', '[]')) };
  }

  /**
   * Full-text search over node text, tool names, arguments and results, in one session or all
   * (search.ts). Covers nodes that have finished streaming (a streaming node's text is indexed
   * when it ends).
   */
  search(q: LogSearchQuery): Promise<LogSearchHit[]> {
    return searchLogs(this.client, q);
  }

  /** A page of search hits, newest first or in a session's tree order, with filters. */
  searchPage(q: LogSearchPageQuery): Promise<Page<LogSearchHit>> {
    return searchLogPage(this.client, q);
  }

  /** Deletes a session's whole log (nodes, chunks, index entries). Returns the node count. */
  async deleteBySession(sessionId: string): Promise<number> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({ sql: 'DELETE FROM log_nodes WHERE session_id = ?', args: [sid] });
    return rs.rowsAffected;
  }

  /**
   * Bulk-inserts a whole tree (session import) in one write transaction; see import.ts. The tree
   * is appended after the session's existing roots.
   */
  importNodes(sessionId: string, nodes: readonly ImportLogNode[], opts: ImportOptions = {}): Promise<ImportResult> {
    return importLogNodes(this.client, sessionId, nodes, opts);
  }
}
