// Streamed text stored once (migrations/0030_log_spans.sql): when a node leaves 'streaming' its
// log_chunks rows are folded into one log_spans row holding each delta's UTF-8 length and timing,
// and the chunks are read back by slicing the node's own text. Shared by the writer (compacts in
// the transaction that ends a node), recovery (nodes interrupted mid-stream) and the repository.

import type { LogChunk } from '../../shared/domain.js';

/** The node's text the deltas were appended to: an action's streamed tool arguments, else content. */
const SOURCE = `CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END`;

/**
 * Folds the chunks of the nodes in ?1 (a JSON array of ids) into log_spans, for those that have
 * left 'streaming', have no span yet, whose chunks are exactly seqs 0..count-1, and whose
 * concatenated chunks are byte for byte the tail of their text (anything else keeps its chunks:
 * replay must stay exact). Run COMPACT_DELETE_SQL with the same ids after it.
 */
export const COMPACT_INSERT_SQL = `INSERT INTO log_spans (node_id, base, count, timing)
SELECT g.node_id, length(CAST(g.src AS BLOB)) - g.total, g.cnt, g.timing
FROM (
  SELECT c.node_id, ${SOURCE} AS src,
    sum(length(CAST(c.text AS BLOB))) AS total,
    count(*) AS cnt, min(c.seq) AS lo, max(c.seq) AS hi,
    group_concat(c.text, '' ORDER BY c.seq) AS joined,
    '[' || group_concat(length(CAST(c.text AS BLOB)) || ',' || c.dt, ',' ORDER BY c.seq) || ']' AS timing
  FROM (SELECT node_id, seq, text, at_ms - coalesce(lag(at_ms) OVER (PARTITION BY node_id ORDER BY seq), 0) AS dt
        FROM log_chunks WHERE node_id IN (SELECT value FROM json_each(?1))) c
  JOIN log_nodes n ON n.id = c.node_id
  WHERE n.status <> 'streaming' AND NOT EXISTS (SELECT 1 FROM log_spans s WHERE s.node_id = c.node_id)
  GROUP BY c.node_id
) g
WHERE g.lo = 0 AND g.hi = g.cnt - 1 AND g.src IS NOT NULL
  AND length(CAST(g.src AS BLOB)) >= g.total
  AND substr(CAST(g.src AS BLOB), length(CAST(g.src AS BLOB)) - g.total + 1) = CAST(g.joined AS BLOB)`;

/** Drops the chunk rows a span now stands for (seqs below its count; later rows are kept). */
export const COMPACT_DELETE_SQL = `DELETE FROM log_chunks
WHERE node_id IN (SELECT value FROM json_each(?1))
  AND seq < (SELECT s.count FROM log_spans s WHERE s.node_id = log_chunks.node_id)`;

/** One span as JSON: [node_id, base, timing, source text, path]; `n` joins log_nodes, `s` log_spans. */
export const SPAN_JSON = `json_array(s.node_id, s.base, json(s.timing), ${SOURCE}, n.path)`;

type SpanTuple = [nodeId: string, base: number, timing: number[], source: string | null, path: string];

/** The chunks one span stands for, sliced out of its node's text by UTF-8 byte offsets. */
export function spanChunks(nodeId: string, base: number, timing: readonly number[], source: string): LogChunk[] {
  const bytes = Buffer.from(source, 'utf8');
  const out: LogChunk[] = new Array<LogChunk>(timing.length / 2);
  let off = base;
  let at = 0;
  for (let k = 0; k < out.length; k++) {
    const len = timing[2 * k]!;
    at += timing[2 * k + 1]!;
    out[k] = { nodeId, seq: k, text: bytes.toString('utf8', off, off + len), atMs: at };
    off += len;
  }
  return out;
}

/** A node's chunks: its span's (if any) followed by its remaining chunk rows (seq order). */
export function mergeNodeChunks(span: SpanTuple | undefined, rows: readonly LogChunk[]): LogChunk[] {
  if (!span) return [...rows];
  return [...spanChunks(span[0], span[1], span[2], span[3] ?? ''), ...rows];
}

/**
 * Chunks of a session in tree order from its chunk rows (tree order, each with its path) and its
 * spans (json_group_array of SPAN_JSON, tree order).
 */
export function mergeSessionChunks(rows: readonly { chunk: LogChunk; path: string }[], spansJson: unknown): LogChunk[] {
  const spans = JSON.parse(typeof spansJson === 'string' && spansJson.length > 0 ? spansJson : '[]') as SpanTuple[];
  if (spans.length === 0) return rows.map((r) => r.chunk);
  const out: LogChunk[] = [];
  let i = 0;
  for (const span of spans) {
    // Chunk rows of nodes before this span's node, then this node's span, then its own rows.
    while (i < rows.length && rows[i]!.path < span[4]) out.push(rows[i++]!.chunk);
    out.push(...spanChunks(span[0], span[1], span[2], span[3] ?? ''));
    while (i < rows.length && rows[i]!.path === span[4]) out.push(rows[i++]!.chunk);
  }
  while (i < rows.length) out.push(rows[i++]!.chunk);
  return out;
}

export type { SpanTuple };
