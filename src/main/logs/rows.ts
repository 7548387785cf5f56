// How a log_nodes row becomes a LogNode. Shared by the repository (reads) and the writer (rows
// returned by its UPDATE … RETURNING), so both hand out exactly the same shape.

import type { Row } from '@libsql/client';
import type { JsonValue, LogChunk, LogKind, LogNode, LogStatus } from '../../shared/domain.js';
import { decodeRow, json, jsonOrNull, num, numOrNull, str, strOrNull, type ColumnReader, type RowSchema } from '../db/rows.js';

/** Width of one path segment: seq zero-padded to 8 digits (the schema caps seq below 1e8). */
export const PATH_SEGMENT_WIDTH = 8;

export function pathSegment(seq: number): string {
  return String(seq).padStart(PATH_SEGMENT_WIDTH, '0');
}

export function childPath(parentPath: string | null, seq: number): string {
  return parentPath === null ? pathSegment(seq) : `${parentPath}.${pathSegment(seq)}`;
}

/** SQL: a node's chunks concatenated in order ('' when it has none). `nodeId` is an SQL expression. */
export function assembledChunksSql(nodeId: string): string {
  return `coalesce((SELECT group_concat(c.text, '' ORDER BY c.seq) FROM log_chunks c WHERE c.node_id = ${nodeId}), '')`;
}

/**
 * SET clauses that fold a node's chunks into its row as it leaves 'streaming' (a finish, a tool
 * status change, or recovery at open). `t` is the alias of the log_nodes row being updated and
 * `t.status` its status before the update. Text kinds append the chunks to content; an action's
 * chunks are its streamed tool-call arguments and become tool_args (as JSON when they parse,
 * otherwise kept as a JSON string so nothing is lost). `explicitContent` / `explicitToolArgs`
 * are SQL expressions that win when not NULL; `tail` (SQL, NULL for none) is streamed text that
 * follows the chunk rows without having been written as rows (the writer's fold, writer/fold.ts).
 */
export function assembleOnLeaveStreamingSql(explicitContent: string, explicitToolArgs: string, newStatus = 'NULL', tail = 'NULL'): string {
  // An update that keeps the node streaming (usage noted mid-stream) leaves its chunks where they are.
  const leaves = `t.status = 'streaming' AND coalesce(${newStatus}, '') <> 'streaming'`;
  const streamed = `${assembledChunksSql('t.id')} || coalesce(${tail}, '')`;
  return `content = CASE
      WHEN ${explicitContent} IS NOT NULL THEN ${explicitContent}
      WHEN ${leaves} AND t.kind <> 'action' THEN t.content || ${streamed}
      ELSE t.content END,
    tool_args = CASE
      WHEN ${explicitToolArgs} IS NOT NULL THEN ${explicitToolArgs}
      WHEN ${leaves} AND t.kind = 'action' AND (${tail} IS NOT NULL OR EXISTS (SELECT 1 FROM log_chunks c WHERE c.node_id = t.id))
        THEN (SELECT CASE WHEN json_valid(a.v) THEN json(a.v) ELSE json_quote(a.v) END FROM (SELECT ${streamed} AS v) a)
      ELSE t.tool_args END`;
}

/**
 * The text of a node as readers should see it: a streaming node's text lives in its chunks until
 * the node ends (content holds only what it started with), so it is concatenated on read. The
 * CASE keeps the correlated subquery off every finished node.
 */
const LIVE_CONTENT = `CASE WHEN n.status = 'streaming' THEN n.content || ${assembledChunksSql('n.id')} ELSE n.content END`;

/** SELECT list for `FROM log_nodes n`, in the order rowToNode reads. */
export const NODE_COLUMNS = `n.id, n.session_id, n.parent_id, n.cause_id, n.seq, n.depth, n.kind, n.role, n.status,
  ${LIVE_CONTENT} AS content, n.metadata, n.model, n.provider, n.tokens_in, n.tokens_out, n.tokens_reasoning,
  n.cost_usd, n.started_at, n.ended_at, n.tool_name, n.tool_args, n.tool_result, n.duration_ms, n.child_count`;

/**
 * One node as a JSON array, for list reads: `SELECT json_group_array(NODE_JSON) …` returns the
 * whole list as one string. @libsql/client builds a JS object per row with a property per column,
 * which costs ~10-30 µs a row for 24 columns; one JSON string and JSON.parse is several times
 * faster (a 2,000-node session must restore in a few ms). Element 24 is the tree path (cursors).
 */
export const NODE_JSON = `json_array(n.id, n.session_id, n.parent_id, n.cause_id, n.seq, n.depth, n.kind, n.role,
  n.status, ${LIVE_CONTENT}, json(n.metadata), n.model, n.provider, n.tokens_in, n.tokens_out, n.tokens_reasoning,
  n.cost_usd, n.started_at, n.ended_at, n.tool_name, json(n.tool_args), json(n.tool_result), n.duration_ms,
  n.child_count, n.path)`;

type NodeTuple = [
  string, string, string | null, string | null, number, number, LogKind, string | null,
  LogStatus, string, Record<string, JsonValue>, string | null, string | null, number, number, number,
  number, string, string | null, string | null, JsonValue | null, JsonValue | null, number | null,
  number, string,
];

/** Parses the json_group_array(NODE_JSON) text; returns the nodes and their paths. */
export function nodesFromJson(text: unknown): { nodes: LogNode[]; paths: string[] } {
  const tuples = JSON.parse(typeof text === 'string' && text.length > 0 ? text : '[]') as NodeTuple[];
  const nodes: LogNode[] = new Array<LogNode>(tuples.length);
  const paths: string[] = new Array<string>(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i]!;
    nodes[i] = {
      id: t[0],
      sessionId: t[1],
      parentId: t[2],
      causeId: t[3],
      seq: t[4],
      depth: t[5],
      kind: t[6],
      role: t[7],
      status: t[8],
      content: t[9],
      metadata: t[10],
      model: t[11],
      provider: t[12],
      tokensIn: t[13],
      tokensOut: t[14],
      tokensReasoning: t[15],
      costUsd: t[16],
      startedAt: t[17],
      endedAt: t[18],
      toolName: t[19],
      toolArgs: t[20],
      toolResult: t[21],
      durationMs: t[22],
      childCount: t[23],
    };
    paths[i] = t[24];
  }
  return { nodes, paths };
}

/** Parses a json_group_array(json_array(node_id, seq, text, at_ms)) text into chunks. */
export function chunksFromJson(text: unknown): LogChunk[] {
  const tuples = JSON.parse(typeof text === 'string' && text.length > 0 ? text : '[]') as [string, number, string, number][];
  const out = new Array<LogChunk>(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i]!;
    out[i] = { nodeId: t[0], seq: t[1], text: t[2], atMs: t[3] };
  }
  return out;
}

/**
 * One RETURNING column for statements on log_nodes: the node as NODE_JSON's array (content as
 * stored: never streaming after an update). One text column per row converts several times
 * faster through @libsql/client than 24 columns (see NODE_JSON); parse with nodesFromJson.
 */
export const NODE_RETURNING_JSON = `json_array(id, session_id, parent_id, cause_id, seq, depth, kind, role,
  status, content, json(metadata), model, provider, tokens_in, tokens_out, tokens_reasoning,
  cost_usd, started_at, ended_at, tool_name, json(tool_args), json(tool_result), duration_ms,
  child_count, path) AS j`;

/** Parses rows of `RETURNING NODE_RETURNING_JSON` into nodes. */
export function nodesFromReturning(rows: readonly Row[]): LogNode[] {
  if (rows.length === 0) return [];
  return nodesFromJson(`[${rows.map((r) => str(r, 'j')).join(',')}]`).nodes;
}

/** A `SELECT NODE_COLUMNS FROM log_nodes n` row. Kind and status are CHECKed by the schema. */
const NODE_ROW = {
  id: str,
  sessionId: ['session_id', str],
  parentId: ['parent_id', strOrNull],
  causeId: ['cause_id', strOrNull],
  seq: num,
  depth: num,
  kind: str as ColumnReader<LogKind>,
  role: strOrNull,
  status: str as ColumnReader<LogStatus>,
  content: str,
  metadata: json as ColumnReader<Record<string, JsonValue>>,
  model: strOrNull,
  provider: strOrNull,
  tokensIn: ['tokens_in', num],
  tokensOut: ['tokens_out', num],
  tokensReasoning: ['tokens_reasoning', num],
  costUsd: ['cost_usd', num],
  startedAt: ['started_at', str],
  endedAt: ['ended_at', strOrNull],
  toolName: ['tool_name', strOrNull],
  toolArgs: ['tool_args', jsonOrNull as ColumnReader<JsonValue | null>],
  toolResult: ['tool_result', jsonOrNull as ColumnReader<JsonValue | null>],
  durationMs: ['duration_ms', numOrNull],
  childCount: ['child_count', num],
} as const satisfies RowSchema;

export function rowToNode(r: Row): LogNode {
  return decodeRow(r, NODE_ROW);
}

const CHUNK_ROW = { nodeId: ['node_id', str], seq: num, text: str, atMs: ['at_ms', num] } as const satisfies RowSchema;

export function rowToChunk(r: Row): LogChunk {
  return decodeRow(r, CHUNK_ROW);
}
