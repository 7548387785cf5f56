// A mutable index of the loaded log nodes of one session. A 100,000-node session is too big
// to copy on every page or streamed delta, so the store keeps this object and bumps version
// counters instead; everything derived from it (visible rows, roll-ups) is a pure function.
import type { LogNode } from '../../../../shared/domain';

export interface TreeIndex {
  nodes: Map<string, LogNode>;
  /** Child ids per parent id (null = top level), ordered by seq. */
  children: Map<string | null, string[]>;
}

export function createTreeIndex(): TreeIndex {
  return { nodes: new Map(), children: new Map() };
}

export interface InsertResult {
  /** A node was added or moved, so visible rows must be recomputed. */
  structural: boolean;
  /** Only content/metrics changed on existing nodes. */
  updated: boolean;
}

/** Adds or replaces nodes. Pages arrive in tree order, so insertion is almost always an append. */
export function upsertNodes(index: TreeIndex, incoming: readonly LogNode[]): InsertResult {
  let structural = false;
  let updated = false;
  for (const node of incoming) {
    const previous = index.nodes.get(node.id);
    index.nodes.set(node.id, node);
    if (previous) {
      updated = true;
      if (previous.parentId === node.parentId && previous.seq === node.seq) {
        // childCount can change (a child appeared elsewhere): that toggles the expander.
        if (previous.childCount !== node.childCount) structural = true;
        continue;
      }
      removeChild(index, previous.parentId, node.id);
    }
    insertChild(index, node);
    structural = true;
  }
  return { structural, updated };
}

/** One pushed change (logs.updated): replaced fields first, then streamed text appended. */
export function applyNodeUpdate(node: LogNode, update: { textDelta?: string; changes?: Partial<LogNode> }): LogNode {
  const next: LogNode = { ...node, ...(update.changes ?? {}), id: node.id, sessionId: node.sessionId };
  if (update.textDelta) next.content += update.textDelta;
  return next;
}

/** Applies a partial update to a loaded node; returns the new node or null when not loaded. */
export function patchNode(index: TreeIndex, id: string, patch: Partial<LogNode>): LogNode | null {
  const current = index.nodes.get(id);
  if (!current) return null;
  const next = { ...current, ...patch, id: current.id };
  upsertNodes(index, [next]);
  return next;
}

function insertChild(index: TreeIndex, node: LogNode): void {
  let list = index.children.get(node.parentId);
  if (!list) {
    list = [];
    index.children.set(node.parentId, list);
  }
  const last = list.length > 0 ? index.nodes.get(list[list.length - 1]!) : undefined;
  if (!last || compareSiblings(last, node) <= 0) {
    list.push(node.id);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = index.nodes.get(list[mid]!);
    if (other && compareSiblings(other, node) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, node.id);
}

function removeChild(index: TreeIndex, parentId: string | null, id: string): void {
  const list = index.children.get(parentId);
  if (!list) return;
  const at = list.indexOf(id);
  if (at >= 0) list.splice(at, 1);
}

function compareSiblings(a: LogNode, b: LogNode): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  // Equal seq only happens with concurrent writers; UUIDv7 ids keep creation order.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function hasChildren(index: TreeIndex, id: string): boolean {
  const list = index.children.get(id);
  if (list && list.length > 0) return true;
  return (index.nodes.get(id)?.childCount ?? 0) > 0;
}

/** Ids of the loaded ancestors of a node, nearest first. Stops at a missing link or a cycle. */
export function ancestorsOf(index: TreeIndex, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  let parentId = index.nodes.get(id)?.parentId ?? null;
  while (parentId !== null && !seen.has(parentId)) {
    out.push(parentId);
    seen.add(parentId);
    parentId = index.nodes.get(parentId)?.parentId ?? null;
  }
  return out;
}

/** Every loaded node reachable from the top level, in tree (pre-)order. */
export function allInTreeOrder(index: TreeIndex): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  pushReversed(stack, index.children.get(null));
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    pushReversed(stack, index.children.get(id));
  }
  return out;
}

export function pushReversed(stack: string[], list: readonly string[] | undefined): void {
  if (!list) return;
  for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
}
