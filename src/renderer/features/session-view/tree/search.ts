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

/** Each node's searchable text, lower-cased, kept while the node object lives: nodes are
 *  replaced (never mutated) on change, and stringifying every tool call's arguments and result
 *  again on each search was most of a search's time in a 100,000-node session. */
const haystacks = new WeakMap<LogNode, string>();

function haystackOf(node: LogNode): string {
  let text = haystacks.get(node);
  if (text === undefined) {
    const parts = [node.content, node.toolName ?? ''];
    if (node.toolArgs !== null) parts.push(JSON.stringify(node.toolArgs));
    if (node.toolResult !== null) parts.push(JSON.stringify(node.toolResult));
    // A separator no needle contains (the box is one line), so no match spans two fields.
    text = parts.join('\n').toLowerCase();
    haystacks.set(node, text);
  }
  return text;
}

export function nodeMatches(node: LogNode, lowerNeedle: string): boolean {
  return haystackOf(node).includes(lowerNeedle);
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
