// Subtree totals shown on parent rows. Tokens and cost add up; duration is the wall-clock
// span of the subtree (children of one step may run in parallel, so summing would overcount).
import type { LogNode } from '../../../../shared/domain';
import { totalTokens } from '../../../../shared/usage';
import { allInTreeOrder, type TreeIndex } from './treeIndex';

export interface Totals {
  tokens: number;
  costUsd: number;
  /** Earliest start and latest end in the subtree, ms since epoch; NaN when unknown. */
  startMs: number;
  endMs: number;
  /** Nodes in the subtree, including the node itself. */
  count: number;
}

export function ownTotals(node: LogNode): Totals {
  const startMs = Date.parse(node.startedAt);
  let endMs = node.endedAt ? Date.parse(node.endedAt) : NaN;
  if (Number.isNaN(endMs) && node.durationMs !== null && !Number.isNaN(startMs)) endMs = startMs + node.durationMs;
  return {
    tokens: totalTokens(node),
    costUsd: node.costUsd,
    startMs,
    endMs,
    count: 1,
  };
}

export function nodeTokens(node: LogNode): number {
  return totalTokens(node);
}

/** The span of a totals record in ms, or null when start or end is unknown. */
export function spanMs(totals: Totals): number | null {
  if (Number.isNaN(totals.startMs) || Number.isNaN(totals.endMs)) return null;
  return Math.max(0, totals.endMs - totals.startMs);
}

/** Totals for every loaded node that has loaded children (leaves need no roll-up). */
export function computeRollups(index: TreeIndex): Map<string, Totals> {
  const order = allInTreeOrder(index);
  const totals = new Map<string, Totals>();
  // Reverse pre-order visits every child before its parent: one pass, no recursion.
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const node = index.nodes.get(id);
    if (!node) continue;
    const mine = totals.get(id) ?? ownTotals(node);
    if (!totals.has(id)) totals.set(id, mine);
    if (node.parentId === null) continue;
    const parentNode = index.nodes.get(node.parentId);
    if (!parentNode) continue;
    let parent = totals.get(node.parentId);
    if (!parent) {
      parent = ownTotals(parentNode);
      totals.set(node.parentId, parent);
    }
    parent.tokens += mine.tokens;
    parent.costUsd += mine.costUsd;
    parent.count += mine.count;
    parent.startMs = minKnown(parent.startMs, mine.startMs);
    parent.endMs = maxKnown(parent.endMs, mine.endMs);
  }
  // Keep only parents: the map is read per visible row and leaves show their own figures.
  for (const id of totals.keys()) {
    const list = index.children.get(id);
    if (!list || list.length === 0) totals.delete(id);
  }
  return totals;
}

function minKnown(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

function maxKnown(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}
