// The flattened list the virtualiser draws: the tree in pre-order, skipping the descendants
// of collapsed nodes. Each row carries what the ARIA tree pattern needs (level, set size,
// position in set) so a flat DOM list still reads as a tree to assistive technology.
import { hasChildren, type TreeIndex } from './treeIndex';

export interface VisibleRow {
  id: string;
  parentId: string | null;
  /** 1-based, as aria-level wants it. */
  level: number;
  posInSet: number;
  setSize: number;
  hasChildren: boolean;
  expanded: boolean;
  /** An assistant step whose answer text is drawn in its own row, after its thinking. */
  bodyBelow?: true;
  /** That row: the step's answer text (same id as the step's row; not a tree item of its own). */
  answer?: true;
}

export function flattenVisible(index: TreeIndex, collapsed: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  // Parallel stacks avoid allocating a frame object per node on 100k-node trees.
  const ids: string[] = [];
  const levels: number[] = [];
  const positions: number[] = [];
  const sizes: number[] = [];
  const pushLevel = (list: readonly string[] | undefined, level: number): void => {
    if (!list) return;
    for (let i = list.length - 1; i >= 0; i--) {
      ids.push(list[i]!);
      levels.push(level);
      positions.push(i + 1);
      sizes.push(list.length);
    }
  };
  pushLevel(index.children.get(null), 1);
  while (ids.length > 0) {
    const id = ids.pop()!;
    const level = levels.pop()!;
    const posInSet = positions.pop()!;
    const setSize = sizes.pop()!;
    const node = index.nodes.get(id);
    const parent = hasChildren(index, id);
    const expanded = parent && !collapsed.has(id);
    rows.push({ id, parentId: node?.parentId ?? null, level, posInSet, setSize, hasChildren: parent, expanded });
    if (expanded) pushLevel(index.children.get(id), level + 1);
  }
  return rows;
}

/** Ids of every loaded node that has children: the collapsed set for "collapse all". */
export function allParents(index: TreeIndex): Set<string> {
  const out = new Set<string>();
  for (const [parentId, list] of index.children) {
    if (parentId !== null && list.length > 0) out.add(parentId);
  }
  for (const node of index.nodes.values()) if (node.childCount > 0) out.add(node.id);
  return out;
}

export function rowIndexOf(rows: readonly VisibleRow[], id: string): number {
  for (let i = 0; i < rows.length; i++) if (rows[i]!.id === id) return i;
  return -1;
}
