// Drives Paddock's real write path (src/main/logs LogWriter) with a generated workload, the way
// the agent runtime does: events arrive a few at a time (one socket read of a model stream
// carries 1–16 events), with a turn of the event loop between reads, as fast as the loop allows.

import type { LogCommit, LogWriter, StartNodeInput } from '../../src/main/logs/index.js';
import type { CommitShape } from './patterns.js';
import { Rng } from './rng.js';
import type { WorkEvent } from './workload.js';

const nowEpoch = (): number => performance.timeOrigin + performance.now();

export interface FeedResult {
  /** Epoch ms at which each event was handed to the writer (feed order). */
  acceptedAt: Float64Array;
  /** Calls the writer refused (should be 0). */
  refused: number;
  idOf: (key: number) => string;
}

/** Applies one generated event to the writer. */
export function applier(writer: LogWriter, sessionIds: readonly string[]) {
  const ids: string[] = [];
  const idOf = (key: number): string => {
    const id = ids[key];
    if (id === undefined) throw new Error(`node key ${key} has no id yet`);
    return id;
  };
  const apply = (e: WorkEvent): boolean => {
    switch (e.type) {
      case 'start': {
        const n = e.node;
        ids[n.key] = writer.startNode({
          sessionId: sessionIds[n.session]!,
          parentId: n.parentKey === null ? null : idOf(n.parentKey),
          causeId: n.causeKey === null ? null : idOf(n.causeKey),
          kind: n.kind,
          role: n.role as StartNodeInput['role'],
          status: n.streaming ? 'streaming' : n.status,
          content: n.content,
          model: n.model,
          provider: n.provider,
          toolName: n.toolName,
          metadata: n.metadata,
        });
        return true;
      }
      case 'delta':
        return writer.appendDelta(idOf(e.key), e.text);
      case 'tool_status':
        return writer.updateToolStatus(idOf(e.key), e.status);
      case 'finish': {
        const f = e.finish;
        return writer.finishNode(idOf(e.key), {
          status: f.status as 'complete',
          tokensIn: f.tokensIn,
          tokensOut: f.tokensOut,
          ...(f.toolResult === null ? {} : { toolResult: f.toolResult }),
        });
      }
    }
  };
  return { apply, idOf };
}

/** Feeds every event, 1–16 per macrotask; resolves when the last one has been handed over. */
export async function feed(writer: LogWriter, sessionIds: readonly string[], events: readonly WorkEvent[], seed: number): Promise<FeedResult> {
  const rng = new Rng(seed);
  const { apply, idOf } = applier(writer, sessionIds);
  const acceptedAt = new Float64Array(events.length);
  let refused = 0;
  let i = 0;
  while (i < events.length) {
    const n = rng.int(1, 16);
    for (let k = 0; k < n && i < events.length; k++, i++) {
      acceptedAt[i] = nowEpoch();
      if (!apply(events[i]!)) refused++;
    }
    await new Promise<void>((r) => setImmediate(r));
  }
  return { acceptedAt, refused, idOf };
}

/**
 * Records every commit the writer reports and turns them into per-event durability lags:
 * commits are serial and hold the accepted ops in order, so commit k holds the next `ops`
 * events after those of commits 0..k-1.
 */
export function commitRecorder(writer: LogWriter) {
  const commits: { ops: number; committedAt: number; acceptedFrom: number }[] = [];
  const shapes: CommitShape[] = [];
  const listener = (c: LogCommit) => {
    commits.push({ ops: c.ops, committedAt: c.committedAt, acceptedFrom: c.acceptedFrom });
    shapes.push({ nodeIds: c.inserted.map((n) => n.id), chunks: c.deltas.map((d) => ({ nodeId: d.nodeId, firstSeq: d.firstChunkSeq, count: d.chunkCount })) });
  };
  writer.on('commit', listener);
  return {
    commits,
    /** What each commit first wrote, for the raw engine at the same commit boundaries. */
    shapes,
    stop: () => writer.off('commit', listener),
    /** The commits that kept their oldest event waiting longest (diagnostics). */
    worst(k: number) {
      return [...commits]
        .map((c, i) => ({ index: i, ops: c.ops, lagMs: Math.round((c.committedAt - c.acceptedFrom) * 10) / 10, gapBeforeMs: i > 0 ? Math.round((c.committedAt - commits[i - 1]!.committedAt) * 10) / 10 : null }))
        .sort((a, b) => b.lagMs - a.lagMs)
        .slice(0, k);
    },
    lags(acceptedAt: Float64Array): number[] {
      const out: number[] = [];
      let i = 0;
      for (const c of commits) {
        for (let k = 0; k < c.ops && i < acceptedAt.length; k++, i++) out.push(c.committedAt - acceptedAt[i]!);
      }
      if (i !== acceptedAt.length) throw new Error(`commits covered ${i} of ${acceptedAt.length} events`);
      return out;
    },
  };
}
