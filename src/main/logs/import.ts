// Bulk import of a session log (session import): the tree checked and placed in tree order,
// then written in one transaction with a few large statements.

import type { InStatement } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { LogStatus } from '../../shared/domain.js';
import { numOrNull } from '../db/rows.js';
import type { WriteHandle } from '../repositories/handles.js';
import { LogsError } from './errors.js';
import { childPath } from './rows.js';
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
import { wellFormedJson } from '../db/well-formed-json.js';

export const MAX_DEPTH = 255;
const NODE_ROWS_PER_INSERT = 2_000;
const CHUNK_ROWS_PER_INSERT = 5_000;

// Rows reach the engine as one JSON array parameter per few thousand rows: the statement text
// stays constant and small (a VALUES list of 500 rows x 24 parameters costs as much CPU to
// prepare as it saves). Each row is turned into JSONB once, in a MATERIALIZED CTE: without it
// the planner flattens the subquery and every `v->>k` parses the row's JSON text again, 24
// times per row, which cost more CPU than the insert itself (measured: 3x the time into a
// plain table, 1.6x into log_nodes with its indexes and triggers).
/** Inserts log_nodes rows given as a JSON array of 24-element arrays, in array order (parents first). */
export const INSERT_NODE_ROWS_SQL = `WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each(?))
  INSERT INTO log_nodes (id, session_id, parent_id, cause_id, seq, depth, path, kind, role, status,
    content, metadata, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd,
    started_at, ended_at, tool_name, tool_args, tool_result, duration_ms)
  SELECT v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, v->>6, v->>7, v->>8, v->>9,
    v->>10, v->>11, v->>12, v->>13, v->>14, v->>15, v->>16, v->>17,
    v->>18, v->>19, v->>20, v->>21, v->>22, v->>23
  FROM r`;

/** Inserts log_chunks rows given as a JSON array of [node_id, seq, text, at_ms]. */
export const INSERT_CHUNK_ROWS_SQL = `WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each(?))
  INSERT INTO log_chunks (node_id, seq, text, at_ms) SELECT v->>0, v->>1, v->>2, v->>3 FROM r`;

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

/**
 * Bulk-inserts a whole tree (session import) in one write transaction with multi-row inserts.
 * Nodes may come in any order; parents must be among them. Nodes that were still open when
 * exported ('streaming', 'running', …) are stored as 'interrupted': nothing live backs them.
 * The tree is appended after the session's existing roots.
 */
export async function importLogNodes(
client: WriteHandle,
sessionId: string,
nodes: readonly ImportLogNode[],
opts: ImportOptions = {},
): Promise<ImportResult> {
  const sid = parseInput(idSchema, sessionId, 'session id');
  const parsed = parseInput(importRowSchema, nodes, 'imported log nodes');
  const newIds = opts.newIds ?? true;

  const exists = await client.execute({
    sql: `SELECT (SELECT 1 FROM sessions WHERE id = ?) AS found,
            (SELECT max(seq) FROM log_nodes WHERE session_id = ? AND parent_id IS NULL) AS max_root`,
    args: [sid, sid],
  });
  const found = exists.rows[0];
  if (!found || numOrNull(found, 'found') === null) throw new LogsError('SESSION_NOT_FOUND', `No session ${sid}`);
  const maxRoot = numOrNull(found, 'max_root');
  const rootBase = maxRoot === null ? 0 : maxRoot + 1;

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
  for (let i = 0; i < nodeRows.length; i += NODE_ROWS_PER_INSERT) {
    stmts.push({ sql: INSERT_NODE_ROWS_SQL, args: [wellFormedJson(nodeRows.slice(i, i + NODE_ROWS_PER_INSERT))] });
  }
  for (let i = 0; i < chunkRows.length; i += CHUNK_ROWS_PER_INSERT) {
    stmts.push({ sql: INSERT_CHUNK_ROWS_SQL, args: [wellFormedJson(chunkRows.slice(i, i + CHUNK_ROWS_PER_INSERT))] });
  }
  if (stmts.length > 0) await client.batch(stmts, 'write');
  return { imported: nodeRows.length, idMap };
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
