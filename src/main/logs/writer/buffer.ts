// What the writer has accepted and not yet committed: new nodes, text chunks and status
// changes, in the shape a batch is built from. A buffer is taken whole by a flush and, when that
// flush fails, put back at the head of what arrived meanwhile (restoreBuffer), so order holds.

import { performance } from 'node:perf_hooks';
import type { JsonValue, LogNode, LogStatus } from '../../../shared/domain.js';
import type { NodeFold } from './timing.js';

/** A new node as the INSERT takes it: LogNode's own fields, with the tool arguments as JSON text. */
export type NewNodeOp = Pick<
  LogNode,
  'id' | 'sessionId' | 'parentId' | 'causeId' | 'kind' | 'role' | 'status' | 'content' | 'metadata' | 'model' | 'provider' | 'startedAt' | 'endedAt' | 'toolName'
> & { toolArgs: string | null };

/** Fields of the UPDATE json object (see UPDATE_SQL); undefined = leave as is. */
export interface UpdateOp {
  id: string;
  sessionId: string;
  status: LogStatus;
  endedAt?: string;
  content?: string;
  /** JSON values, embedded as is (read with ->, which yields their JSON text). */
  toolArgs?: JsonValue;
  toolResult?: JsonValue;
  tokensIn?: number;
  tokensOut?: number;
  tokensReasoning?: number;
  costUsd?: number;
  durationMs?: number;
  metadata?: Record<string, JsonValue>;
  model?: string;
  provider?: string;
  /** Set by the op that takes the node out of 'streaming' when it had deltas (fold.ts); not a column. */
  fold?: NodeFold;
}

export type ChunkRow = [nodeId: string, seq: number, text: string, atMs: number];

export interface Buffer {
  nodes: NewNodeOp[];
  chunks: ChunkRow[];
  /** Session of every node with chunks in this buffer (for commit events and per-session retry). */
  chunkSessions: Map<string, string>;
  /** Per node, later calls merged over earlier ones (Map keeps first-call order). */
  updates: Map<string, UpdateOp>;
  ops: number;
  bytes: number;
  acceptedFrom: number;
  acceptedTo: number;
}

export const emptyBuffer = (): Buffer => ({
  nodes: [],
  chunks: [],
  chunkSessions: new Map(),
  updates: new Map(),
  ops: 0,
  bytes: 0,
  acceptedFrom: 0,
  acceptedTo: 0,
});

/** Merges a later update of a node over an earlier one still buffered (metadata merged too). */
export function mergeUpdate(prev: UpdateOp | undefined, op: UpdateOp): UpdateOp {
  if (!prev) return op;
  const metadata = prev.metadata || op.metadata ? { ...prev.metadata, ...op.metadata } : undefined;
  return { ...prev, ...op, ...(metadata ? { metadata } : {}) };
}

/** `taken` (sent earlier, failed) goes back in front of `cur` (accepted meanwhile). */
export function restoreBuffer(taken: Buffer, cur: Buffer): Buffer {
  const updates = new Map(taken.updates);
  for (const [id, op] of cur.updates) {
    const prev = updates.get(id);
    updates.set(id, prev ? { ...prev, ...op, metadata: { ...prev.metadata, ...op.metadata } } : op);
  }
  return {
    nodes: taken.nodes.concat(cur.nodes),
    chunks: taken.chunks.concat(cur.chunks),
    chunkSessions: new Map([...taken.chunkSessions, ...cur.chunkSessions]),
    updates,
    ops: taken.ops + cur.ops,
    bytes: taken.bytes + cur.bytes,
    acceptedFrom: taken.ops > 0 ? taken.acceptedFrom : cur.acceptedFrom,
    acceptedTo: cur.ops > 0 ? cur.acceptedTo : taken.acceptedTo,
  };
}

/** One buffer per session, in first-seen order (the per-session retry after a refused batch). */
export function splitBySession(taken: Buffer): Map<string, Buffer> {
  const sessions = new Map<string, Buffer>();
  const part = (sid: string): Buffer => {
    let b = sessions.get(sid);
    if (!b) sessions.set(sid, (b = { ...emptyBuffer(), acceptedFrom: taken.acceptedFrom, acceptedTo: taken.acceptedTo }));
    return b;
  };
  const nodeSession = new Map<string, string>();
  for (const n of taken.nodes) {
    nodeSession.set(n.id, n.sessionId);
    const b = part(n.sessionId);
    b.nodes.push(n);
    b.ops++;
  }
  for (const c of taken.chunks) {
    const sid = taken.chunkSessions.get(c[0]) ?? nodeSession.get(c[0]);
    if (sid === undefined) continue;
    const b = part(sid);
    b.chunks.push(c);
    b.chunkSessions.set(c[0], sid);
    b.ops++;
  }
  for (const u of taken.updates.values()) {
    const b = part(u.sessionId);
    b.updates.set(u.id, u);
    b.ops++;
  }
  return sessions;
}

/** Rough size of a value for the 64 KB trigger (exactness does not matter; cost does). */
export function approxSize(v: JsonValue | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string') return v.length;
  return typeof v === 'object' ? JSON.stringify(v).length : 8;
}

/** Epoch ms with sub-ms precision (what acceptedFrom/acceptedTo and committedAt hold). */
export const nowEpoch = (): number => performance.timeOrigin + performance.now();
