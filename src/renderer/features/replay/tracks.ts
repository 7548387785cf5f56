// What a replay shows at a given moment, from the recorded log: each node appears at its start,
// its text grows chunk by chunk at the recorded offsets, and it takes its final state (status,
// tool result, tokens) at its end. Pure; built once per replay, queried every frame.
import type { LogChunk, LogNode } from '../../../shared/domain';

export interface Track {
  startMs: number;
  endMs: number;
  /** Absolute time of each chunk and the text length reached with it. */
  times: number[];
  lengths: number[];
  text: string;
}

export interface Tracks {
  byId: Map<string, Track>;
  startMs: number;
  endMs: number;
  /** Every moment something happens, sorted: for "skip waits". */
  events: Float64Array;
}

/** Nodes of the subtree under rootId (all when null), with their chunks laid on one clock. */
export function buildTracks(nodes: readonly LogNode[], chunks: readonly LogChunk[], rootId: string | null): Tracks {
  const keep = subtree(nodes, rootId);
  const byNode = new Map<string, LogChunk[]>();
  for (const c of chunks) {
    if (!keep.has(c.nodeId)) continue;
    let list = byNode.get(c.nodeId);
    if (!list) byNode.set(c.nodeId, (list = []));
    list.push(c);
  }
  const byId = new Map<string, Track>();
  const events: number[] = [];
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const node of nodes) {
    if (!keep.has(node.id)) continue;
    const start = Date.parse(node.startedAt);
    if (Number.isNaN(start)) continue;
    const own = (byNode.get(node.id) ?? []).sort((a, b) => a.seq - b.seq);
    const times: number[] = [];
    const lengths: number[] = [];
    let text = '';
    for (const c of own) {
      text += c.text;
      times.push(start + c.atMs);
      lengths.push(text.length);
    }
    const last = times.length > 0 ? times[times.length - 1]! : start;
    const ended = node.endedAt ? Date.parse(node.endedAt) : Number.NaN;
    const end = Math.max(last, Number.isNaN(ended) ? (node.durationMs !== null ? start + node.durationMs : last) : ended);
    byId.set(node.id, { startMs: start, endMs: end, times, lengths, text });
    events.push(start, end, ...times);
    startMs = Math.min(startMs, start);
    endMs = Math.max(endMs, end);
  }
  if (!Number.isFinite(startMs)) startMs = endMs = 0;
  return { byId, startMs, endMs, events: Float64Array.from(events).sort() };
}

function subtree(nodes: readonly LogNode[], rootId: string | null): Set<string> {
  if (rootId === null) return new Set(nodes.map((n) => n.id));
  const keep = new Set<string>([rootId]);
  // Tree order puts parents before children: one pass suffices.
  for (const n of nodes) if (n.parentId !== null && keep.has(n.parentId)) keep.add(n.id);
  return keep;
}

/** The node as it was at `atMs`; null when it had not started yet. */
export function nodeAt(node: LogNode, track: Track | undefined, atMs: number): LogNode | null {
  if (!track) return node;
  if (atMs < track.startMs) return null;
  if (atMs >= track.endMs) return node;
  let k = -1;
  // Chunks are few per node on screen; a binary search keeps long messages cheap too.
  let lo = 0;
  let hi = track.times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (track.times[mid]! <= atMs) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const shown = k >= 0 ? track.text.slice(0, track.lengths[k]) : '';
  // Until its end a node is still being written: its text so far (a tool call's raw
  // arguments), and none of what only the end brings (result, tokens, cost).
  return {
    ...node,
    status: 'streaming',
    content: shown,
    toolArgs: node.kind === 'action' ? null : node.toolArgs,
    toolResult: null,
    endedAt: null,
    durationMs: null,
    tokensIn: 0,
    tokensOut: 0,
    tokensReasoning: 0,
    costUsd: 0,
  };
}

/** The next moment after `atMs` at which something happens, or null at the end. */
export function nextEvent(tracks: Tracks, atMs: number): number | null {
  const e = tracks.events;
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[mid]! <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo < e.length ? e[lo]! : null;
}
