// The write patterns Paddock's writer is measured against. Each one leaves exactly the final
// rows Paddock's own run left (checked by digest), on the same schema and connection settings:
//   (a) the raw engine limit: every final row in ONE transaction, as INSERT … SELECT over
//       json_each(?) or as multi-row INSERT … VALUES (both are run; the faster one is the limit);
//   (b) seed 004: one autocommitted statement per event; each delta rewrites the node's whole
//       text with an UPDATE; a node's end is one commit (its final values and chunk rows);
//   (c) seed 002: one autocommitted INSERT per log entry (every final node and chunk row).
// This is benchmark-only SQL: it exists to measure the engine, not to be used by the app.

import type { Client, InStatement, InValue } from '@libsql/client';
import { CHUNK_COLS, NODE_COLS, type FinalRows, type Row } from './db.js';
import type { WorkEvent } from './workload.js';

/** child_count is left to the triggers (as on any insert), the rowid to the engine. */
const INSERT_NODE_COLS = NODE_COLS.filter((c) => c !== 'child_count');

function nodeArgs(r: Row): InValue[] {
  return INSERT_NODE_COLS.map((c) => r[c] ?? null);
}
function chunkArgs(r: Row): InValue[] {
  return CHUNK_COLS.map((c) => r[c] ?? null);
}

const INSERT_NODE = `INSERT INTO log_nodes (${INSERT_NODE_COLS.join(', ')}) VALUES (${INSERT_NODE_COLS.map(() => '?').join(', ')})`;
const INSERT_CHUNK = `INSERT INTO log_chunks (${CHUNK_COLS.join(', ')}) VALUES (?, ?, ?, ?)`;
/** Many rows per statement: a JSON array of row arrays, one parameter (constant statement text). */
const INSERT_NODES_JSON = `INSERT INTO log_nodes (${INSERT_NODE_COLS.join(', ')}) SELECT ${INSERT_NODE_COLS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;
const INSERT_CHUNKS_JSON = `INSERT INTO log_chunks (${CHUNK_COLS.join(', ')}) SELECT ${CHUNK_COLS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;

/** Splits rows into groups of at most maxRows rows and roughly maxBytes of JSON. */
function groups<T>(rows: T[], maxRows: number, maxBytes: number, size: (r: T) => number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const r of rows) {
    const b = size(r);
    if (cur.length > 0 && (cur.length >= maxRows || bytes + b > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += b;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function rowBytes(r: Row): number {
  let n = 16;
  for (const v of Object.values(r)) n += typeof v === 'string' ? v.length : 8;
  return n;
}

/** (a1) INSERT … SELECT FROM json_each(?), one transaction. */
export async function rawJsonEach(client: Client, rows: FinalRows): Promise<void> {
  const { nodes, chunks } = jsonEachParams(rows);
  await client.batch([...nodes.map((p) => ({ sql: INSERT_NODES_JSON, args: [p] })), ...chunks.map((p) => ({ sql: INSERT_CHUNKS_JSON, args: [p] }))], 'write');
}

/** (a1) and (a3)'s parameters: the rows as JSON, 2,000 rows (or ~4 MB) per statement. */
function jsonEachParams(rows: FinalRows): { nodes: string[]; chunks: string[] } {
  return {
    nodes: groups(rows.nodes, 2_000, 4_000_000, rowBytes).map((g) => JSON.stringify(g.map(nodeArgs))),
    chunks: groups(rows.chunks, 2_000, 4_000_000, rowBytes).map((g) => JSON.stringify(g.map(chunkArgs))),
  };
}

/** Which rows one of Paddock's commits first wrote: node ids, and chunk ranges per node. */
export interface CommitShape {
  nodeIds: string[];
  chunks: { nodeId: string; firstSeq: number; count: number }[];
}

/**
 * (a′) Diagnostic: the raw engine held to Paddock's commit policy. The same final rows, in as
 * many transactions as Paddock's run committed, each holding the rows that Paddock's commit first
 * wrote (a node with its final values, since this is the engine's best case; its chunks as they
 * were committed). The gap between (a) and (a′) is what committing at Paddock's pace costs the
 * engine itself; the gap between (a′) and Paddock is the writer's own cost.
 */
export function rawAtCommits(rows: FinalRows, commits: readonly CommitShape[]): (client: Client) => Promise<void> {
  const nodeById = new Map(rows.nodes.map((r) => [String(r.id), r]));
  const chunksByNode = groupChunks(rows);
  // Grouped before the clock starts; serialising is timed, as in (a).
  const groups = commits.map((c) => ({
    nodes: c.nodeIds.map((id) => nodeArgs(nodeById.get(id)!)),
    chunks: c.chunks.flatMap((r) => (chunksByNode.get(r.nodeId) ?? []).filter((x) => Number(x.seq) >= r.firstSeq && Number(x.seq) < r.firstSeq + r.count).map(chunkArgs)),
  }));
  return async (client) => {
    for (const g of groups) {
      const stmts: InStatement[] = [];
      if (g.nodes.length > 0) stmts.push({ sql: INSERT_NODES_JSON, args: [JSON.stringify(g.nodes)] });
      if (g.chunks.length > 0) stmts.push({ sql: INSERT_CHUNKS_JSON, args: [JSON.stringify(g.chunks)] });
      if (stmts.length > 0) await client.batch(stmts, 'write');
    }
  };
}

/**
 * (a3) The same json_each statements through the `libsql` driver itself (the one @libsql/client
 * wraps for local files, and the one the log writer's worker uses): statements prepared once,
 * one transaction, no client layer in between. `db` is a driver Database opened on the file.
 */
export function rawDriverJsonEach(db: DriverDatabase, rows: FinalRows): void {
  const insertNodes = db.prepare(INSERT_NODES_JSON);
  const insertChunks = db.prepare(INSERT_CHUNKS_JSON);
  const { nodes, chunks } = jsonEachParams(rows);
  db.prepare('BEGIN IMMEDIATE').run();
  for (const p of nodes) insertNodes.run([p]);
  for (const p of chunks) insertChunks.run([p]);
  db.prepare('COMMIT').run();
}

/** The part of the `libsql` driver's Database the benchmark uses. */
export interface DriverDatabase {
  prepare(sql: string): { run(args?: unknown[]): unknown };
  pragma(source: string): unknown;
  close(): void;
}

/** (a2) Multi-row INSERT … VALUES (…),(…): up to 500 rows per statement, one transaction. */
export async function rawMultiValues(client: Client, rows: FinalRows): Promise<void> {
  const stmts: InStatement[] = [];
  const nodeRow = `(${INSERT_NODE_COLS.map(() => '?').join(', ')})`;
  for (const g of groups(rows.nodes, 500, 4_000_000, rowBytes)) {
    stmts.push({ sql: `INSERT INTO log_nodes (${INSERT_NODE_COLS.join(', ')}) VALUES ${g.map(() => nodeRow).join(', ')}`, args: g.flatMap(nodeArgs) });
  }
  for (const g of groups(rows.chunks, 500, 4_000_000, rowBytes)) {
    stmts.push({ sql: `INSERT INTO log_chunks (${CHUNK_COLS.join(', ')}) VALUES ${g.map(() => '(?, ?, ?, ?)').join(', ')}`, args: g.flatMap(chunkArgs) });
  }
  await client.batch(stmts, 'write');
}

/** (c) Seed 002: one autocommitted INSERT per log entry, in the order the entries appeared. */
export async function seed002(client: Client, rows: FinalRows): Promise<void> {
  const chunksByNode = groupChunks(rows);
  for (const n of rows.nodes) {
    await client.execute({ sql: INSERT_NODE, args: nodeArgs(n) });
    for (const c of chunksByNode.get(String(n.id)) ?? []) await client.execute({ sql: INSERT_CHUNK, args: chunkArgs(c) });
  }
}

function groupChunks(rows: FinalRows): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const c of rows.chunks) {
    const k = String(c.node_id);
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(c);
  }
  return m;
}

/**
 * (b) Seed 004: replays the event stream. start → one INSERT; each delta → one autocommitted
 * UPDATE that rewrites the node's whole accumulated text; end → one commit holding the node's
 * final values and its chunk rows. `idOf` maps the generator's node keys to the ids Paddock gave.
 */
export async function seed004(client: Client, events: readonly WorkEvent[], rows: FinalRows, idOf: (key: number) => string): Promise<void> {
  const finalById = new Map(rows.nodes.map((r) => [String(r.id), r]));
  const chunksByNode = groupChunks(rows);
  const text = new Map<number, string>();
  const chunksWritten = new Set<string>();
  const mutable = ['status', 'content', 'metadata', 'tokens_in', 'tokens_out', 'tokens_reasoning', 'cost_usd', 'ended_at', 'tool_args', 'tool_result', 'duration_ms'] as const;
  const updateFinal = `UPDATE log_nodes SET ${mutable.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;
  for (const e of events) {
    if (e.type === 'start') {
      const id = idOf(e.node.key);
      const fin = finalById.get(id);
      if (!fin) throw new Error(`seed004: no final row for node ${e.node.key}`);
      const open = e.node.streaming || e.node.status !== fin.status;
      const row: Row = open
        ? { ...fin, status: e.node.status, content: e.node.content, ended_at: null, tool_args: null, tool_result: null, tokens_in: 0, tokens_out: 0, tokens_reasoning: 0, cost_usd: 0, duration_ms: null }
        : fin;
      await client.execute({ sql: INSERT_NODE, args: nodeArgs(row) });
      if (e.node.streaming) text.set(e.node.key, e.node.content);
    } else if (e.type === 'delta') {
      const full = (text.get(e.key) ?? '') + e.text;
      text.set(e.key, full);
      await client.execute({ sql: 'UPDATE log_nodes SET content = ? WHERE id = ?', args: [full, idOf(e.key)] });
    } else {
      // A tool call's 'running' or a node's end: one commit with the node's values and its chunks.
      const id = idOf(e.key);
      const fin = finalById.get(id)!;
      const status = e.type === 'tool_status' ? e.status : fin.status;
      const stmts: InStatement[] = [{ sql: updateFinal, args: [...mutable.map((c): InValue => (c === 'status' ? (status ?? null) : (fin[c] ?? null))), id] }];
      if (!chunksWritten.has(id)) {
        chunksWritten.add(id);
        for (const c of chunksByNode.get(id) ?? []) stmts.push({ sql: INSERT_CHUNK, args: chunkArgs(c) });
      }
      await client.batch(stmts, 'write');
    }
  }
}
