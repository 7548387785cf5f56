// The deltas of the nodes a batch ends, stored once (0030, 0100: spans.ts). The writer knows
// every delta it accepted, so a node it ends arrives with its timing already packed (timing.ts),
// and the deltas still in the batch are never written as chunk rows: they reach the node's text
// through the UPDATE (as its `tail`), and one INSERT writes its log_timings row after checking,
// as the SQL fold does, that the chunks are byte for byte the tail of the text. Only chunk rows
// committed by earlier batches (the node streamed across commits) are read and then deleted.
// A node the check refuses (its final text was given explicitly and differs, or an action's
// arguments were re-serialised as JSON) gets this batch's deltas written as plain rows instead,
// in the same transaction, so replay stays exact. Nodes whose timing could not be packed take
// the SQL fold over their rows (COMPACT_INSERT_SQL), as recovery does.

import type { InStatement } from '@libsql/client';
import { COMPACT_DELETE_SQL, COMPACT_INSERT_SQL, SOURCE } from '../spans.js';
import type { ChunkRow, UpdateOp } from './buffer.js';
import type { FoldTiming } from './timing.js';
import { wellFormedJson } from '../../db/well-formed-json.js';

const SOURCE_BYTES = `CAST(${SOURCE} AS BLOB)`;

// ?1: [[id, count, bytes, timing hex, rows committed before this batch, tail], …]. The rows
// before must be exactly seqs 0..k-1 (the writer wrote them); the tail follows them.
const FOLD_INSERT_SQL = `INSERT INTO log_timings (n, base, count, bytes, timing)
SELECT n.n, length(${SOURCE_BYTES}) - (f.value->>2), f.value->>1, f.value->>2, unhex(f.value->>3)
FROM json_each(?1) f
JOIN log_nodes n ON n.id = f.value->>0
LEFT JOIN (
  SELECT c.node_id, count(*) AS cnt, max(c.seq) AS hi, group_concat(c.text, '' ORDER BY c.seq) AS joined
  FROM log_chunks c WHERE c.node_id IN (SELECT value->>0 FROM json_each(?1) WHERE value->>4 > 0)
  GROUP BY c.node_id
) r ON r.node_id = n.id
WHERE n.status <> 'streaming' AND NOT EXISTS (SELECT 1 FROM log_timings s WHERE s.n = n.n)
  AND coalesce(r.cnt, 0) = f.value->>4 AND coalesce(r.hi, -1) = (f.value->>4) - 1
  AND length(${SOURCE_BYTES}) >= f.value->>2
  AND substr(${SOURCE_BYTES}, length(${SOURCE_BYTES}) - (f.value->>2) + 1) = CAST(coalesce(r.joined, '') || (f.value->>5) AS BLOB)`;

// ?1: [[id, [[seq, text, at_ms], …]], …]: this batch's deltas of nodes the fold refused. The
// check is per node, so the deltas of a folded node are not even iterated.
const UNFOLDED_CHUNKS_SQL = `INSERT INTO log_chunks (node_id, seq, text, at_ms)
SELECT f.value->>0, c.value->>0, c.value->>1, c.value->>2
FROM json_each(?1) f, json_each(f.value->1) c
WHERE NOT EXISTS (SELECT 1 FROM log_nodes n JOIN log_timings s ON s.n = n.n WHERE n.id = f.value->>0)`;

/** How a batch's chunks and ends become statements. */
export interface FoldPlan {
  /** Chunks to insert as rows (nodes still streaming after this batch, or not packed). */
  rowChunks: ChunkRow[];
  /** Per node the batch ends with packed timing: its deltas in this batch, joined (the UPDATE's tail). */
  tails: Map<string, string>;
  /** Statements to run after the UPDATE. */
  after: InStatement[];
}

/** Splits a batch's chunks by whether their node ends (packed) in it, and builds the fold's statements. */
export function planFolds(updates: readonly UpdateOp[], chunks: ChunkRow[]): FoldPlan {
  const packed = new Map<string, FoldTiming>();
  const sqlFold: string[] = [];
  for (const u of updates) {
    if (u.status === 'streaming' || u.fold === undefined) continue;
    if (u.fold === 'sql') sqlFold.push(u.id);
    else packed.set(u.id, u.fold);
  }
  const after: InStatement[] = [];
  const tails = new Map<string, string>();
  let rowChunks = chunks;
  if (packed.size > 0) {
    rowChunks = [];
    const inBatch = new Map<string, ChunkRow[]>();
    for (const c of chunks) {
      if (!packed.has(c[0])) rowChunks.push(c);
      else (inBatch.get(c[0]) ?? inBatch.set(c[0], []).get(c[0])!).push(c);
    }
    const folds: unknown[] = [];
    const withRows: string[] = [];
    for (const [id, t] of packed) {
      const mine = inBatch.get(id);
      let tail = '';
      if (mine) for (const c of mine) tail += c[2];
      // Chunks are contiguous and in order: the rows before are the seqs below this batch's first.
      const before = mine ? mine[0]![1] : t.count;
      if (mine) tails.set(id, tail);
      if (before > 0) withRows.push(id);
      folds.push([id, t.count, t.bytes, t.hex, before, tail]);
    }
    after.push({ sql: FOLD_INSERT_SQL, args: [wellFormedJson(folds)] });
    if (inBatch.size > 0) {
      const unfolded = [...inBatch].map(([id, rows]) => [id, rows.map((c) => [c[1], c[2], c[3]])]);
      after.push({ sql: UNFOLDED_CHUNKS_SQL, args: [wellFormedJson(unfolded)] });
    }
    if (withRows.length > 0) after.push({ sql: COMPACT_DELETE_SQL, args: [wellFormedJson(withRows)] });
  }
  if (sqlFold.length > 0) {
    const ids = wellFormedJson(sqlFold);
    after.push({ sql: COMPACT_INSERT_SQL, args: [ids] }, { sql: COMPACT_DELETE_SQL, args: [ids] });
  }
  return { rowChunks, tails, after };
}
