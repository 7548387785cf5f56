// Streamed text stored once (migrations/0030_log_spans.sql, packed by 0100_log_timings.sql): when
// a node leaves 'streaming' its log_chunks rows are folded into one log_timings row holding each
// delta's UTF-8 length and timing, and the chunks are read back by slicing the node's own text.
// Shared by the writer (compacts in the transaction that ends a node), recovery (nodes
// interrupted mid-stream) and the repository.
//
// timing is a BLOB of unsigned LEB128 varints, two per delta: its length in UTF-8 bytes, then its
// at_ms minus the previous delta's (the first: minus 0). A text delta of < 128 bytes arriving
// < 128 ms after the previous one costs 2 bytes (JSON cost ~6, plus WITHOUT ROWID overflow pages).

import type { LogChunk } from '../../shared/domain.js';

/** The node's text the deltas were appended to: an action's streamed tool arguments, else content. */
export const SOURCE = `CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END`;

/** Largest delta length or time step a varint here holds (7 bytes of 7 bits); larger keeps its rows. */
export const MAX_VARINT = 2 ** 49 - 1;

/** SQL: the hex text of `v`'s unsigned LEB128 varint (0 ≤ v ≤ MAX_VARINT); `v` is a plain column name. */
export function varintHexSql(v: string): string {
  const parts: string[] = [];
  for (let bytes = 1; bytes <= 7; bytes++) {
    const groups = Array.from({ length: bytes }, (_, i) => (i < bytes - 1 ? `128 | ((${v} >> ${7 * i}) & 127)` : `${v} >> ${7 * i}`));
    const cond = bytes < 7 ? `WHEN ${v} < ${2 ** (7 * bytes)} ` : 'ELSE ';
    parts.push(`${cond}${bytes < 7 ? 'THEN ' : ''}printf('${'%02X'.repeat(bytes)}', ${groups.join(', ')})`);
  }
  return `CASE ${parts.join(' ')} END`;
}

/**
 * Folds the chunks of the nodes in ?1 (a JSON array of ids) into log_timings, for those that have
 * left 'streaming', have no timing row yet, whose chunks are exactly seqs 0..count-1 with times
 * that never go back, and whose concatenated chunks are byte for byte the tail of their text
 * (anything else keeps its chunks: replay must stay exact). Run COMPACT_DELETE_SQL with the same
 * ids after it. log_nodes is joined once per node, after the aggregate: joined per chunk row, the
 * node's whole text went into the aggregate for every row (a 10 KB tool call streamed in 400
 * deltas: 4 MB copied), which made the fold ~3.5x slower.
 */
export const COMPACT_INSERT_SQL = `INSERT INTO log_timings (n, base, count, bytes, timing)
SELECT n.n, length(CAST(${SOURCE} AS BLOB)) - g.total, g.cnt, g.total, unhex(g.packed)
FROM (
  SELECT c.node_id,
    sum(c.len) AS total, count(*) AS cnt, min(c.seq) AS lo, max(c.seq) AS hi, min(c.dt) AS lo_dt, max(c.dt) AS hi_dt,
    group_concat(c.text, '' ORDER BY c.seq) AS joined,
    group_concat(${varintHexSql('c.len')} || ${varintHexSql('c.dt')}, '' ORDER BY c.seq) AS packed
  FROM (SELECT node_id, seq, text, length(CAST(text AS BLOB)) AS len,
          at_ms - coalesce(lag(at_ms) OVER (PARTITION BY node_id ORDER BY seq), 0) AS dt
        FROM log_chunks WHERE node_id IN (SELECT value FROM json_each(?1))) c
  GROUP BY c.node_id
) g
JOIN log_nodes n ON n.id = g.node_id
WHERE n.status <> 'streaming' AND NOT EXISTS (SELECT 1 FROM log_timings s WHERE s.n = n.n)
  AND g.lo = 0 AND g.hi = g.cnt - 1 AND g.lo_dt >= 0 AND g.hi_dt <= ${MAX_VARINT}
  AND length(CAST(${SOURCE} AS BLOB)) >= g.total
  AND substr(CAST(${SOURCE} AS BLOB), length(CAST(${SOURCE} AS BLOB)) - g.total + 1) = CAST(g.joined AS BLOB)`;

/** Drops the chunk rows a timing row now stands for (seqs below its count; later rows are kept). */
export const COMPACT_DELETE_SQL = `DELETE FROM log_chunks
WHERE node_id IN (SELECT value FROM json_each(?1))
  AND seq < (SELECT s.count FROM log_timings s JOIN log_nodes n ON n.n = s.n WHERE n.id = log_chunks.node_id)`;

/** One span as JSON: [node_id, base, timing in hex, source text, path]; `n` joins log_nodes, `s` log_timings. */
export const SPAN_JSON = `json_array(n.id, s.base, hex(s.timing), ${SOURCE}, n.path)`;

type SpanTuple = [nodeId: string, base: number, timingHex: string, source: string | null, path: string];

/** The [length, dt] pairs of a packed timing blob (see the top of this file). */
export function decodeTiming(packed: Uint8Array): number[] {
  const out: number[] = [];
  let v = 0;
  let scale = 1;
  for (const b of packed) {
    // Multiplication, not <<: values reach 2^49, past 32-bit shifts.
    v += (b & 127) * scale;
    if (b < 128) {
      out.push(v);
      v = 0;
      scale = 1;
    } else {
      scale *= 128;
    }
  }
  return out;
}

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

function tupleChunks(span: SpanTuple): LogChunk[] {
  return spanChunks(span[0], span[1], decodeTiming(Buffer.from(span[2], 'hex')), span[3] ?? '');
}

/** A node's chunks: its span's (if any) followed by its remaining chunk rows (seq order). */
export function mergeNodeChunks(span: SpanTuple | undefined, rows: readonly LogChunk[]): LogChunk[] {
  if (!span) return [...rows];
  return [...tupleChunks(span), ...rows];
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
    out.push(...tupleChunks(span));
    while (i < rows.length && rows[i]!.path === span[4]) out.push(rows[i++]!.chunk);
  }
  while (i < rows.length) out.push(rows[i++]!.chunk);
  return out;
}

export type { SpanTuple };
