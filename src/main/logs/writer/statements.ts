// The SQL a flush sends, and building one buffer's batch from it: nodes placed, then chunks,
// then status changes and ends, each as ONE set-based statement (one statement per row costs
// ~10x more; figures in libsql-traps.md).

import type { InStatement } from '@libsql/client';
import { NODE_RETURNING_JSON, assembleOnLeaveStreamingSql } from '../rows.js';
import type { Buffer, ChunkRow } from './buffer.js';
import { planFolds } from './fold.js';
import type { Placed } from './placed.js';
import { wellFormedJson } from '../../db/well-formed-json.js';

// Every statement has a constant text and takes its rows as one JSON parameter (json_each): the
// worker prepares each statement once, and one string crosses to the worker instead of 18
// values per node (measured: Paddock ÷ raw 0.62–0.64 with multi-row VALUES, 0.66–0.67 so).
const INSERT_NODES_JSON_SQL = `INSERT INTO log_nodes (id, session_id, parent_id, cause_id, seq, depth, path, kind, role,
    status, content, metadata, model, provider, started_at, ended_at, tool_name, tool_args)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
    value->>9, value->>10, value->>11, value->>12, value->>13, value->>14, value->>15, value->>16, value->>17 FROM json_each(?)`;
const INSERT_CHUNKS_SQL = `INSERT INTO log_chunks (node_id, seq, text, at_ms)
  SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`;

// Column references in SET see the row as it was before the update (t.status = old status).
const UPDATE_SQL = `UPDATE log_nodes AS t SET
    status = u.value->>'status',
    ended_at = coalesce(u.value->>'endedAt', t.ended_at),
    ${assembleOnLeaveStreamingSql(`(u.value->>'content')`, `(u.value->'toolArgs')`, `(u.value->>'status')`, `(u.value->>'tail')`)},
    tool_result = coalesce(u.value->'toolResult', t.tool_result),
    tokens_in = coalesce(u.value->>'tokensIn', t.tokens_in),
    tokens_out = coalesce(u.value->>'tokensOut', t.tokens_out),
    tokens_reasoning = coalesce(u.value->>'tokensReasoning', t.tokens_reasoning),
    cost_usd = coalesce(u.value->>'costUsd', t.cost_usd),
    duration_ms = coalesce(u.value->>'durationMs', t.duration_ms),
    metadata = CASE WHEN u.value->'metadata' IS NULL THEN t.metadata ELSE json_patch(t.metadata, u.value->'metadata') END,
    model = coalesce(u.value->>'model', t.model),
    provider = coalesce(u.value->>'provider', t.provider)
  FROM json_each(?) AS u
  WHERE t.id = u.value->>'id'`;
// The updated rows are only read back when someone listens for commits.
const UPDATE_RETURNING_SQL = `${UPDATE_SQL}
  RETURNING ${NODE_RETURNING_JSON}`;

/** Places of nodes the caches do not know: parents and causes by id, with their next child seq. */
export const READ_PLACES_SQL = `SELECT p.id, p.session_id, p.path, p.depth,
                (SELECT coalesce(max(c.seq) + 1, 0) FROM log_nodes c WHERE c.parent_id = p.id) AS next
              FROM log_nodes p WHERE p.id IN (SELECT value FROM json_each(?))`;
/** Next root seq of sessions the caches do not know; a session not returned does not exist. */
export const READ_ROOT_NEXT_SQL = `SELECT s.id, (SELECT coalesce(max(l.seq) + 1, 0) FROM log_nodes l WHERE l.session_id = s.id AND l.parent_id IS NULL) AS next
              FROM sessions s WHERE s.id IN (SELECT value FROM json_each(?))`;

/** A buffer's batch, ready to send. */
export interface Prepared {
  placed: Placed;
  stmts: InStatement[];
  chunks: ChunkRow[];
  /** Index of the UPDATE statement in stmts, or -1. */
  updateIndex: number;
}

/** Builds a placed buffer's statements; `returning` reads the updated rows back (for 'commit' listeners). */
export function buildStatements(b: Buffer, placed: Placed, returning: boolean): Prepared {
  const nodeRows = placed.rows;
  const stmts: InStatement[] = [];
  if (nodeRows.length > 0) stmts.push({ sql: INSERT_NODES_JSON_SQL, args: [wellFormedJson(nodeRows)] });
  const chunks = placed.dropped.size > 0 ? b.chunks.filter((c) => !placed.dropped.has(c[0])) : b.chunks;
  const updates = [...b.updates.values()].filter((u) => !placed.dropped.has(u.id));
  // Nodes this batch ends keep their text once: their deltas fold into a timing row (fold.ts).
  const fold = planFolds(updates, chunks);
  if (fold.rowChunks.length > 0) stmts.push({ sql: INSERT_CHUNKS_SQL, args: [wellFormedJson(fold.rowChunks)] });
  const updateIndex = updates.length > 0 ? stmts.length : -1;
  if (updates.length > 0) {
    const rows = updates.map(({ sessionId: _s, fold: _f, ...u }) => {
      const tail = fold.tails.get(u.id);
      return tail === undefined ? u : { ...u, tail };
    });
    stmts.push({ sql: returning ? UPDATE_RETURNING_SQL : UPDATE_SQL, args: [wellFormedJson(rows)] }, ...fold.after);
  }
  return { placed, stmts, chunks, updateIndex };
}
