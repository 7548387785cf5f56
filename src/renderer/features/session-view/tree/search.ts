// In-session search over loaded nodes, and "reveal": expand the ancestors of a match so its
// row becomes visible. The server search (logs.search) finds ids; revealing is always local.
import type { LogNode } from '../../../../shared/domain';
import { allInTreeOrder, ancestorsOf, type TreeIndex } from './treeIndex';

/** Ids of loaded nodes whose text matches the query (case-insensitive), in tree order. */
export function searchLoaded(index: TreeIndex, query: string, limit = 10_000): string[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const out: string[] = [];
  for (const id of allInTreeOrder(index)) {
    const node = index.nodes.get(id);
    if (node && nodeMatches(node, needle)) {
      out.push(id);
      if (out.length >= limit) break;
    }
  }
  return out;
}

export function nodeMatches(node: LogNode, lowerNeedle: string): boolean {
  if (node.content.toLowerCase().includes(lowerNeedle)) return true;
  if (node.toolName?.toLowerCase().includes(lowerNeedle)) return true;
  if (node.toolArgs !== null && JSON.stringify(node.toolArgs).toLowerCase().includes(lowerNeedle)) return true;
  if (node.toolResult !== null && JSON.stringify(node.toolResult).toLowerCase().includes(lowerNeedle)) return true;
  return false;
}

/** A new collapsed set with every ancestor of `id` expanded; the same set when nothing changes. */
export function revealInCollapsed(index: TreeIndex, collapsed: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const ancestors = ancestorsOf(index, id).filter((a) => collapsed.has(a));
  if (ancestors.length === 0) return collapsed;
  const next = new Set(collapsed);
  for (const a of ancestors) next.delete(a);
  return next;
}

/** Sorts match ids into tree order (server results may come in rank order). */
export function orderMatches(index: TreeIndex, ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  const ordered = allInTreeOrder(index).filter((id) => wanted.has(id));
  // Matches not loaded yet keep their server order at the end; they are revealed once loaded.
  const loaded = new Set(ordered);
  for (const id of ids) if (!loaded.has(id)) ordered.push(id);
  return ordered;
}

/** Next/previous match index with wrap-around. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}
