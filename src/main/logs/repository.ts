// Reads of the session log tree, full-text search, deletion and bulk import. Live appends go
// through LogWriter (writer.ts); this class never holds a write buffer.

import type { Client, InStatement, InValue } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { LogChunk, LogKind, LogNode, LogStatus, Page } from '../../shared/domain.js';
import { SNIPPET_MATCH_START, SNIPPET_MATCH_END, type LogSearchHit } from '../../shared/ipc/channels/logs.js';
import { RawJson } from '../raw-json.js';
import { LogsError } from './errors.js';
import { NODE_OBJECT_JSON } from './node-json.js';
import { NODE_COLUMNS, NODE_JSON, childPath, chunksFromJson, nodesFromJson, rowToChunk, rowToNode } from './rows.js';
import {
  OPEN_LOG_STATUSES,
  costSchema,
  countSchema,
  idSchema,
  jsonTextSchema,
  jsonValueSchema,
  kindSchema,
  metadataSchema,
  metadataTextSchema,
  parseInput,
  roleSchema,
  statusSchema,
  timestampSchema,
} from './validation.js';

export const MAX_PAGE_SIZE = 1_000;
export const MAX_DEPTH = 255;

// The search hit shape and its snippet markers are part of the IPC contract; defined once there.
export { SNIPPET_MATCH_START, SNIPPET_MATCH_END, type LogSearchHit } from '../../shared/ipc/channels/logs.js';

export interface LogSearchQuery {
  /** Words (each matched as a prefix) and "quoted phrases"; all must match. */
  query: string;
  /** Search one session only. */
  sessionId?: string;
  limit?: number;
  /** 'relevance' (default) or 'tree' (tree order: "next match" navigation inside a session). */
  order?: 'relevance' | 'tree';
}

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

/** One node of a bulk import: LogNode's fields, ids local to the import. */
export const importLogNodeSchema = z.object({
  id: idSchema,
  parentId: idSchema.nullable().optional(),
  causeId: idSchema.nullable().optional(),
  /** Order among siblings; only used to sort them (seqs are renumbered 0..n-1). */
  seq: countSchema.optional(),
  kind: kindSchema,
  role: roleSchema.nullable().optional(),
  status: statusSchema.optional(),
  content: z.string().optional(),
  metadata: metadataSchema.optional(),
  model: z.string().nullable().optional(),
  provider: z.string().nullable().optional(),
  tokensIn: countSchema.optional(),
  tokensOut: countSchema.optional(),
  tokensReasoning: countSchema.optional(),
  costUsd: costSchema.optional(),
  startedAt: timestampSchema,
  endedAt: timestampSchema.nullable().optional(),
  toolName: z.string().nullable().optional(),
  toolArgs: jsonValueSchema.nullable().optional(),
  toolResult: jsonValueSchema.nullable().optional(),
  durationMs: countSchema.nullable().optional(),
  /** Streamed pieces with their timing, for replay; the node's content must already hold the full text. */
  chunks: z.array(z.object({ text: z.string(), atMs: countSchema })).optional(),
});
export type ImportLogNode = z.input<typeof importLogNodeSchema>;

/** What importNodes checks: importLogNodeSchema, with JSON fields turned into their row text. */
const importRowSchema = z.array(
  importLogNodeSchema.extend({
    metadata: metadataTextSchema.optional(),
    toolArgs: jsonTextSchema.nullable().optional(),
    toolResult: jsonTextSchema.nullable().optional(),
  }),
);
type ImportRow = z.output<typeof importRowSchema>[number];

export interface ImportOptions {
  /** Give every node a fresh UUIDv7 (default true), so importing the same file twice works. */
  newIds?: boolean;
}

export interface ImportResult {
  imported: number;
  /** Import id -> stored id. */
  idMap: Map<string, string>;
}

/** Every chunk of session `?` as one JSON array of [node_id, seq, text, at_ms], in tree order. */
const SESSION_CHUNKS_JSON = `(SELECT json_group_array(json_array(c.node_id, c.seq, c.text, c.at_ms) ORDER BY n.path, c.seq)
  FROM log_nodes n JOIN log_chunks c ON c.node_id = n.id WHERE n.session_id = ?)`;

/*
 * The JSON reads (treeJson, pageJson) aggregate without json_group_array(… ORDER BY): the sort
 * it adds cost ~25 % of the query. The ordered, LIMITed subquery is a co-routine walking the
 * (session_id, path) index, and the aggregate takes rows in the order it yields them;
 * repository.test.ts checks that order against tree() on a tree whose rowids are not in
 * tree order.
 */

/** A JSON text column, or `empty` when SQL gave nothing (no row at all). */
function jsonText(value: unknown, empty: string): string {
  return typeof value === 'string' && value.length > 0 ? value : empty;
}

const NODE_ROWS_PER_INSERT = 2_000;
const CHUNK_ROWS_PER_INSERT = 5_000;


const sessionIdSchema = idSchema;
const pageOptionsSchema = z.object({
  cursor: z.string().max(4_000).nullable().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
});
const searchSchema = z.object({
  query: z.string().max(1_000),
  sessionId: idSchema.optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  order: z.enum(['relevance', 'tree']).optional(),
});
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

/**
 * Turns a user's search text into an FTS5 query: bare words become prefix terms, "quoted text"
 * becomes a phrase, everything is ANDed. Only letters and digits reach FTS5 (the unicode61
 * tokenizer ignores the rest anyway), so no user input can form FTS5 syntax.
 */
export function toFtsQuery(text: string): string | null {
  const parts: string[] = [];
  const re = /"([^"]*)"|([^\s"]+)/g;
  for (const m of text.matchAll(re)) {
    const tokens = (m[1] ?? m[2] ?? '').match(/[\p{L}\p{N}\p{M}\p{Co}]+/gu) ?? [];
    if (tokens.length === 0) continue;
    if (m[1] !== undefined) parts.push(`"${tokens.join(' ')}"`);
    else for (const t of tokens) parts.push(`"${t}"*`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

export class LogsRepository {
  constructor(private readonly client: Client) {}

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
    return new RawJson(jsonText(rs.rows[0]?.j, '[]'));
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
    const count = Number(size.rows[0]?.count ?? 0);
    const bytes = size.rows[0]?.bytes;
    if (bytes === null || bytes === undefined || Number(bytes) > maxBytes) return new RawJson(`{"count":${count},"nodes":null}`);
    const tree = await this.treeJson(sid);
    return new RawJson(`{"count":${count},"nodes":${tree.json}}`);
  }

  /** page() as JSON text (see treeJson): `{"items":[…],"nextCursor":…}`. */
  async pageJson(sessionId: string, opts: LogPageOptions): Promise<RawJson<Page<LogNode>>> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const { cursor, limit } = parseInput(pageOptionsSchema, opts, 'page options');
    const { op, path: from } = cursor ? decodeCursor(cursor) : { op: '>', path: '' };
    // `more` probes the index for one node past the page instead of reading and rendering it.
    const rs = await this.client.execute({
      sql: `SELECT p.j, p.last, p.c = ?3 AND EXISTS (SELECT 1 FROM log_nodes o WHERE o.session_id = ?1 AND o.path > p.last) AS more
            FROM (SELECT json_group_array(${NODE_OBJECT_JSON}) AS j, max(n.path) AS last, count(*) AS c
              FROM (SELECT * FROM log_nodes n WHERE n.session_id = ?1 AND n.path ${op} ?2 ORDER BY n.path LIMIT ?3) n) p`,
      args: [sid, from, limit],
    });
    const r = rs.rows[0];
    const next = r && Number(r.more) === 1 ? JSON.stringify(encodeCursor('a', String(r.last))) : 'null';
    return new RawJson(`{"items":${jsonText(r?.j, '[]')},"nextCursor":${next}}`);
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
    const { cursor, limit } = parseInput(pageOptionsSchema, opts, 'page options');
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
    return { sessionId: String(r.session_id), index: Number(r.idx), cursor: encodeCursor('s', String(r.path)) };
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
    return nodesFromJson(rs.rows[0]?.j);
  }

  private async list(where: string, args: InValue[], orderBy: string, limit: number): Promise<LogNode[]> {
    return (await this.listWithPaths(where, args, orderBy, limit)).nodes;
  }

  async count(sessionId: string): Promise<number> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({ sql: 'SELECT count(*) AS c FROM log_nodes WHERE session_id = ?', args: [sid] });
    return Number(rs.rows[0]?.c ?? 0);
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
      sql: 'SELECT node_id, seq, text, at_ms FROM log_chunks WHERE node_id = ? ORDER BY seq',
      args: [id],
    });
    return rs.rows.map(rowToChunk);
  }

  /**
   * Every streamed chunk of a session in one query: nodes in tree order, each node's chunks in
   * seq order (the order session export writes them). Read as one JSON string like the node
   * lists: one execute per node cost ~7 s for a 100,000-node session, this costs a few hundred ms.
   */
  async chunksOfSession(sessionId: string): Promise<LogChunk[]> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({ sql: `SELECT ${SESSION_CHUNKS_JSON} AS j`, args: [sid] });
    return chunksFromJson(rs.rows[0]?.j);
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
              ${SESSION_CHUNKS_JSON.replaceAll('?', '?1')} AS chunks`,
      args: [sid],
    });
    return { nodes: nodesFromJson(rs.rows[0]?.nodes).nodes, chunks: chunksFromJson(rs.rows[0]?.chunks) };
  }

  /**
   * Full-text search over node text, tool names, arguments and results, in one session or all.
   * Covers nodes that have finished streaming (a streaming node's text is indexed when it ends).
   */
  async search(q: LogSearchQuery): Promise<LogSearchHit[]> {
    const { query, sessionId, limit = 50, order = 'relevance' } = parseInput(searchSchema, q, 'search');
    const match = toFtsQuery(query);
    if (match === null) return [];
    const rs = await this.client.execute({
      sql: `SELECT n.id, n.session_id, n.kind, n.status,
              snippet(log_fts, -1, ?, ?, '…', 24) AS snippet, bm25(log_fts) AS rank
            FROM log_fts JOIN log_nodes n ON n.n = log_fts.rowid
            WHERE log_fts MATCH ? ${sessionId ? 'AND n.session_id = ?' : ''}
            ORDER BY ${order === 'tree' ? 'n.session_id, n.path' : 'rank'}
            LIMIT ?`,
      args: [SNIPPET_MATCH_START, SNIPPET_MATCH_END, match, ...(sessionId ? [sessionId] : []), limit],
    });
    return rs.rows.map((r) => ({
      nodeId: String(r.id),
      sessionId: String(r.session_id),
      kind: String(r.kind) as LogKind,
      status: String(r.status) as LogStatus,
      snippet: String(r.snippet ?? ''),
      rank: Number(r.rank),
    }));
  }

  /** Deletes a session's whole log (nodes, chunks, index entries). Returns the node count. */
  async deleteBySession(sessionId: string): Promise<number> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const rs = await this.client.execute({ sql: 'DELETE FROM log_nodes WHERE session_id = ?', args: [sid] });
    return rs.rowsAffected;
  }

  /**
   * Bulk-inserts a whole tree (session import) in one write transaction with multi-row inserts.
   * Nodes may come in any order; parents must be among them. Nodes that were still open when
   * exported ('streaming', 'running', …) are stored as 'interrupted': nothing live backs them.
   * The tree is appended after the session's existing roots.
   */
  async importNodes(sessionId: string, nodes: readonly ImportLogNode[], opts: ImportOptions = {}): Promise<ImportResult> {
    const sid = parseInput(sessionIdSchema, sessionId, 'session id');
    const parsed = parseInput(importRowSchema, nodes, 'imported log nodes');
    const newIds = opts.newIds ?? true;

    const exists = await this.client.execute({
      sql: `SELECT (SELECT 1 FROM sessions WHERE id = ?) AS found,
              (SELECT max(seq) FROM log_nodes WHERE session_id = ? AND parent_id IS NULL) AS max_root`,
      args: [sid, sid],
    });
    if (exists.rows[0]?.found == null) throw new LogsError('SESSION_NOT_FOUND', `No session ${sid}`);
    const rootBase = exists.rows[0]?.max_root == null ? 0 : Number(exists.rows[0].max_root) + 1;

    const ordered = orderForImport(parsed, rootBase);
    const idMap = new Map<string, string>();
    for (const p of ordered) idMap.set(p.node.id, newIds ? uuidv7() : p.node.id);

    const nodeRows: unknown[][] = [];
    const chunkRows: unknown[][] = [];
    for (const { node, seq, depth, path } of ordered) {
      const id = idMap.get(node.id)!;
      const status: LogStatus = (OPEN_LOG_STATUSES as readonly string[]).includes(node.status ?? 'complete')
        ? 'interrupted'
        : (node.status ?? 'complete');
      const endedAt = node.endedAt ?? (status === 'interrupted' ? node.startedAt : null);
      nodeRows.push([
        id,
        sid,
        node.parentId ? idMap.get(node.parentId)! : null,
        node.causeId ? (idMap.get(node.causeId) ?? null) : null,
        seq,
        depth,
        path,
        node.kind,
        node.role ?? null,
        status,
        node.content ?? '',
        node.metadata ?? '{}',
        node.model ?? null,
        node.provider ?? null,
        node.tokensIn ?? 0,
        node.tokensOut ?? 0,
        node.tokensReasoning ?? 0,
        node.costUsd ?? 0,
        node.startedAt,
        endedAt !== null && endedAt < node.startedAt ? node.startedAt : endedAt,
        node.toolName ?? null,
        node.toolArgs ?? null,
        node.toolResult ?? null,
        node.durationMs ?? null,
      ]);
      node.chunks?.forEach((c, i) => chunkRows.push([id, i, c.text, c.atMs]));
    }

    const stmts: InStatement[] = [];
    // One JSON parameter per 2,000 nodes: the statement text stays constant and small (a VALUES
    // list of 500 rows x 24 parameters costs as much CPU to prepare as it saves), measured CPU
    // time was equal or better than multi-row VALUES for 100k nodes.
    for (let i = 0; i < nodeRows.length; i += NODE_ROWS_PER_INSERT) {
      stmts.push({
        sql: `INSERT INTO log_nodes (id, session_id, parent_id, cause_id, seq, depth, path, kind, role, status,
                content, metadata, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd,
                started_at, ended_at, tool_name, tool_args, tool_result, duration_ms)
              SELECT v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, v->>6, v->>7, v->>8, v->>9,
                v->>10, v->>11, v->>12, v->>13, v->>14, v->>15, v->>16, v->>17,
                v->>18, v->>19, v->>20, v->>21, v->>22, v->>23
              FROM (SELECT value AS v FROM json_each(?))`,
        args: [JSON.stringify(nodeRows.slice(i, i + NODE_ROWS_PER_INSERT))],
      });
    }
    for (let i = 0; i < chunkRows.length; i += CHUNK_ROWS_PER_INSERT) {
      stmts.push({
        sql: `INSERT INTO log_chunks (node_id, seq, text, at_ms)
              SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`,
        args: [JSON.stringify(chunkRows.slice(i, i + CHUNK_ROWS_PER_INSERT))],
      });
    }
    if (stmts.length > 0) await this.client.batch(stmts, 'write');
    return { imported: nodeRows.length, idMap };
  }
}

interface PlacedImport {
  node: ImportRow;
  seq: number;
  depth: number;
  path: string;
}

/**
 * Places imported nodes: checks ids and parents, sorts siblings by (seq, input order), numbers
 * them 0..n-1 and returns the nodes in tree (pre-)order, so every parent precedes its children
 * (the schema's place check and child_count trigger need that). Iterative: no recursion limit.
 */
function orderForImport(nodes: ImportRow[], rootBase: number): PlacedImport[] {
  const byId = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (byId.has(n.id)) throw new LogsError('INVALID_INPUT', `Duplicate node id ${n.id} in import`);
    byId.set(n.id, i);
  });
  const kids = new Map<string | null, number[]>();
  nodes.forEach((n, i) => {
    const p = n.parentId ?? null;
    if (p !== null && !byId.has(p)) throw new LogsError('INVALID_INPUT', `Node ${n.id} has unknown parent ${p}`);
    if (p === n.id) throw new LogsError('INVALID_INPUT', `Node ${n.id} is its own parent`);
    let list = kids.get(p);
    if (!list) kids.set(p, (list = []));
    list.push(i);
  });
  for (const list of kids.values()) list.sort((a, b) => (nodes[a]!.seq ?? a) - (nodes[b]!.seq ?? b) || a - b);

  const out: PlacedImport[] = [];
  // Stack of [node index, parent path, depth, seq], pushed in reverse so pops come in order.
  const stack: [number, string | null, number, number][] = [];
  const roots = kids.get(null) ?? [];
  for (let k = roots.length - 1; k >= 0; k--) stack.push([roots[k]!, null, 0, rootBase + k]);
  while (stack.length > 0) {
    const [i, parentPath, depth, seq] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new LogsError('INVALID_INPUT', `Log tree deeper than ${MAX_DEPTH} levels`);
    const node = nodes[i]!;
    const path = childPath(parentPath, seq);
    out.push({ node, seq, depth, path });
    const children = kids.get(node.id) ?? [];
    for (let k = children.length - 1; k >= 0; k--) stack.push([children[k]!, path, depth + 1, k]);
  }
  // Nodes never reached from a root sit on a parent cycle.
  if (out.length !== nodes.length) throw new LogsError('INVALID_INPUT', 'Imported log nodes contain a parent cycle');
  return out;
}
