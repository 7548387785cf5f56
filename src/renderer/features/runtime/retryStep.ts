// Which log entries offer "Retry": a failed model call (its step or the run's error entry) or a
// failed tool call of the latest message, once the run has ended and before it was retried. Main
// decides again (runtime/run/retry.ts); this only keeps the button off entries it would refuse.
import type { LogNode, SessionStatus } from '../../../shared/domain';
import type { TreeIndex } from '../session-view/tree/treeIndex';

/** Failures a retry cannot fix: Resume is the way on. */
const NOT_RETRYABLE = new Set(['budget_reached', 'max_steps']);

function failedKind(node: LogNode): boolean {
  if (node.kind === 'action') return node.status === 'error';
  if (node.kind === 'observation') return node.status === 'error';
  if (node.kind === 'assistant_message') return node.status === 'error';
  return node.kind === 'error' && !NOT_RETRYABLE.has(String(node.metadata.reason ?? ''));
}

function latestTurn(index: TreeIndex): string | null {
  const roots = index.children.get(null) ?? [];
  for (let i = roots.length - 1; i >= 0; i--) if (index.nodes.get(roots[i]!)?.kind === 'user_message') return roots[i]!;
  return null;
}

/** The turn (root user message) a node belongs to. */
function turnOf(index: TreeIndex, node: LogNode): string | null {
  let cur: LogNode | undefined = node;
  while (cur?.parentId) cur = index.nodes.get(cur.parentId);
  return cur?.id ?? null;
}

function alreadyRetried(index: TreeIndex, node: LogNode): boolean {
  const target = node.kind === 'observation' && node.parentId ? node.parentId : node.id;
  const siblings = index.children.get(node.kind === 'observation' ? (index.nodes.get(target)?.parentId ?? null) : node.parentId) ?? [];
  return siblings.some((id) => {
    const n = index.nodes.get(id);
    if (!n) return false;
    if (n.metadata.retryOf === target) return true;
    const replaced = n.metadata.supersedes;
    return Array.isArray(replaced) && replaced.includes(target);
  });
}

export function canRetry(index: TreeIndex, node: LogNode, status: SessionStatus | null): boolean {
  if (!status || status === 'running' || status === 'waiting_for_user_input') return false;
  if (!failedKind(node)) return false;
  const turn = turnOf(index, node);
  return turn !== null && turn !== node.id && turn === latestTurn(index) && !alreadyRetried(index, node);
}

/** The newest entry of the open session that offers Retry (for the keyboard shortcut). */
export function latestRetryable(index: TreeIndex, status: SessionStatus | null): string | null {
  if (!status || status === 'running' || status === 'waiting_for_user_input') return null;
  let best: LogNode | null = null;
  for (const n of index.nodes.values()) {
    if (n.kind === 'observation' || !canRetry(index, n, status)) continue;
    if (!best || n.startedAt > best.startedAt) best = n;
  }
  return best?.id ?? null;
}
