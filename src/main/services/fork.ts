// A session forked from one of its log entries: a new session of the same agent, pinned to the
// same version with the same overrides, holding a copy of the log up to that entry (the entry
// and what it contains with 'through', only what came before it with 'before' — the base of an
// edited and resent message). The new session names its parent (parentSessionId); the original
// is never changed, so the old branch stays where it was.
import { uuidv7 } from 'uuidv7';
import type { LogNode, Session, SessionWithConfig } from '../../shared/domain';
import { PaddockError, type ChannelInput } from '../../shared/ipc';
import type { EventBus } from '../ipc/events';
import type { LogsRepository } from '../logs';
import type { ImportsRepository } from '../repositories/imports';
import type { SessionsRepository } from '../repositories/sessions';
import { toImportNode } from './session-import';

export interface ForkDeps {
  sessions: SessionsRepository;
  logs: LogsRepository;
  imports: ImportsRepository;
  events: EventBus;
}

/** The nodes a fork keeps, in tree (pre-)order: everything before `nodeId`, and with 'through' the node and its subtree. */
export function nodesToKeep(tree: readonly LogNode[], nodeId: string, mode: 'through' | 'before'): LogNode[] {
  const at = tree.findIndex((n) => n.id === nodeId);
  if (at < 0) return [];
  let end = at + 1;
  // Pre-order: the subtree of tree[at] is the run of following nodes deeper than it.
  while (end < tree.length && tree[end]!.depth > tree[at]!.depth) end++;
  return mode === 'through' ? tree.slice(0, end) : tree.slice(0, at);
}

export async function forkSession(deps: ForkDeps, input: ChannelInput<'sessions.fork'>): Promise<SessionWithConfig> {
  const source = await deps.sessions.get(input.sessionId);
  const tree = await deps.logs.tree(source.id);
  if (!tree.some((n) => n.id === input.nodeId)) throw new PaddockError('NOT_FOUND', `Log node ${input.nodeId} is not in this session`);
  const kept = nodesToKeep(tree, input.nodeId, input.mode);
  const now = new Date().toISOString();
  const session: Session = {
    ...source,
    id: uuidv7(),
    parentSessionId: source.id,
    name: input.name ?? `${source.name} (fork)`.slice(0, 500),
    status: 'idle',
    externalId: null,
    startedAt: null,
    endedAt: null,
    result: null,
    error: null,
    tokensIn: 0,
    tokensOut: 0,
    tokensReasoning: 0,
    tokensCached: 0,
    costUsd: 0,
    archivedAt: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.imports.insertSession(session);
  try {
    if (kept.length > 0) await deps.logs.importNodes(session.id, kept.map((n) => toImportNode(n)), { newIds: true });
  } catch (error) {
    await deps.imports.deleteSession(session.id);
    throw error;
  }
  deps.events.emit('sessions.changed', { sessionId: session.id, agentId: session.agentId, change: 'created' });
  return deps.sessions.get(session.id);
}
