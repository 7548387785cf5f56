// Translating a committed batch into the 'commit' event live views apply.

import type { ResultSet, Row } from '@libsql/client';
import { nodesFromReturning } from '../rows.js';
import type { LogCommit, LogDelta } from './api.js';
import type { Buffer, ChunkRow } from './buffer.js';
import type { Prepared } from './statements.js';

/** What a committed buffer changed: its new nodes, its text per node, its updated rows. */
export function commitEvent(b: Buffer, prepared: Prepared, results: ResultSet[], committedAt: number): LogCommit {
  const updatedRows: Row[] = prepared.updateIndex >= 0 ? (results[prepared.updateIndex]?.rows ?? []) : [];
  return {
    inserted: prepared.placed.inserted,
    deltas: deltasOf(prepared.chunks, b.chunkSessions),
    updated: nodesFromReturning(updatedRows),
    acceptedFrom: b.acceptedFrom,
    acceptedTo: b.acceptedTo,
    committedAt,
    ops: b.ops,
  };
}

function deltasOf(chunks: readonly ChunkRow[], sessionOf: ReadonlyMap<string, string>): LogDelta[] {
  const byNode = new Map<string, LogDelta>();
  for (const [nodeId, seq, text, atMs] of chunks) {
    const d = byNode.get(nodeId);
    if (d) {
      d.text += text;
      d.chunkCount++;
      d.lastAtMs = atMs;
    } else {
      byNode.set(nodeId, { sessionId: sessionOf.get(nodeId) ?? '', nodeId, text, firstChunkSeq: seq, chunkCount: 1, lastAtMs: atMs });
    }
  }
  return [...byNode.values()];
}
