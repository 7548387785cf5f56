// Retrying a failed step: a failed model call (its step, or the run's error entry) or a failed
// tool call of the latest message is run again, and what came after it in that turn is left out
// of the conversation from then on. Nothing is deleted: the failed attempt stays in the log, and
// the entry that starts the retry names what it replaces (metadata.supersedes), so every later
// rebuild of the conversation (conversation.ts) skips the same entries.
import type { LogNode } from '../../../shared/domain';
import { PaddockError } from '../../../shared/ipc/result';

export type RetryPlan =
  /** Ask the model again from where the failed call started (a note marks the place). */
  | { kind: 'model'; turnId: string; retryOf: string; supersedes: string[] }
  /** Run the tool call again (a new entry continues it), then let the model go on. */
  | { kind: 'tool'; turnId: string; retryOf: string; action: LogNode; supersedes: string[] };

export const RETRY_NOTE = 'Retried from here: the failed attempt above stays in the log and is not sent again.';

/** Failure reasons a retry cannot fix (the budget, the step limit): Resume is the way on. */
const NOT_RETRYABLE = new Set(['budget_reached', 'max_steps']);

function failedTool(action: LogNode, kids: readonly LogNode[]): boolean {
  if (action.status === 'error') return true;
  return kids.some((c) => c.kind === 'observation' && (c.status === 'error' || (c.toolResult as { isError?: boolean } | null)?.isError === true));
}

/** What retrying `nodeId` would do, or a CONFLICT saying why it cannot be retried. */
export function planRetry(tree: readonly LogNode[], nodeId: string): RetryPlan {
  const byId = new Map(tree.map((n) => [n.id, n]));
  const kids = (id: string) => tree.filter((n) => n.parentId === id).sort((a, b) => a.seq - b.seq);
  let node = byId.get(nodeId);
  if (!node) throw new PaddockError('NOT_FOUND', 'That log entry is not in this session');
  if (node.kind === 'observation' && node.parentId) node = byId.get(node.parentId) ?? node;
  // The turn (the user message at the root) and the entry directly under it that holds the node.
  let top = node;
  while (top.parentId && byId.get(top.parentId)?.parentId) top = byId.get(top.parentId)!;
  const turn = top.parentId ? byId.get(top.parentId) : undefined;
  const lastTurn = tree.filter((n) => n.parentId === null && n.kind === 'user_message').sort((a, b) => a.seq - b.seq).at(-1);
  if (!turn || turn.kind !== 'user_message' || turn.id !== lastTurn?.id) {
    throw new PaddockError('CONFLICT', 'Only a step of the latest message can be retried. Fork the session from here to take another way.');
  }
  const laterInTurn = (from: number) => kids(turn.id).filter((c) => c.seq >= from).map((c) => c.id);
  if (node.kind === 'action') {
    if (!failedTool(node, kids(node.id))) throw new PaddockError('CONFLICT', 'Only a failed tool call can be retried');
    return { kind: 'tool', turnId: turn.id, retryOf: node.id, action: node, supersedes: laterInTurn(top.seq + 1) };
  }
  const failedStep = node.kind === 'assistant_message' && node.status === 'error' && node.parentId === turn.id;
  const runError = node.kind === 'error' && node.parentId === turn.id && !NOT_RETRYABLE.has(String(node.metadata.reason ?? ''));
  if (!failedStep && !runError) throw new PaddockError('CONFLICT', 'Only a failed model call or tool call can be retried');
  // From the error entry back to the failed model call it reports, when there is one.
  let from = node;
  if (runError) {
    const step = kids(turn.id).filter((c) => c.seq < node.seq && c.kind === 'assistant_message').at(-1);
    if (step?.status === 'error') from = step;
  }
  return { kind: 'model', turnId: turn.id, retryOf: node.id, supersedes: laterInTurn(from.seq) };
}
