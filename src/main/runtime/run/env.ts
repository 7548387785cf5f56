// What the pieces of a run share with the Runtime that launched it.
import type { SessionStatus, SessionWithConfig } from '../../../shared/domain';
import { retryWhileBusy } from '../busy';
import { RunStopped } from '../errors';
import type { McpPool } from '../mcp/client';
import type { ApprovalBroker } from '../permissions';
import type { ToolProcesses } from '../tools';
import type { ActiveRun, RuntimeDeps } from './types';

export interface RunEnv {
  readonly deps: RuntimeDeps;
  readonly broker: ApprovalBroker;
  readonly mcp: McpPool;
  readonly processes: ToolProcesses;
}

export type StatusOpts = { error?: string | null; result?: string | null };

/** Moves the session through the one status path, and keeps the caller's copy in step. */
export async function setStatus(env: RunEnv, session: { id: string; status: SessionStatus }, to: SessionStatus, opts: StatusOpts = {}): Promise<SessionWithConfig> {
  const updated = await retryWhileBusy(() => env.deps.statuses.transition(session.id, to, opts));
  session.status = updated.status;
  return updated;
}

export function throwIfStopped(run: ActiveRun): void {
  if (run.abort.signal.aborted) throw new RunStopped(run.stopReason ?? 'stop');
}
