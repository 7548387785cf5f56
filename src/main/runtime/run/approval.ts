// Approval waiting: a call the policy asks about waits for the user's answer (or, in an
// unattended run, for its deadline) while the session shows 'waiting_for_user_input'.
import type { JsonValue, LogNode } from '../../../shared/domain';
import type { ApprovalOutcome } from '../permissions';
import type { UnfinishedCall } from '../conversation';
import { setStatus, type RunEnv } from './env';
import { settingNumber } from './settings';
import { DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS, type ActiveRun, type RunContext, type StepCall } from './types';

/** A call still waiting for an answer, or one whose wait the app's stop interrupted. */
export function isPendingNode(n: LogNode): boolean {
  return n.kind === 'action' && (n.status === 'pending_approval' || (n.status === 'interrupted' && n.metadata.interruptedFrom === 'pending_approval'));
}

export async function waitForApproval(env: RunEnv, run: ActiveRun, ctx: RunContext, call: StepCall): Promise<ApprovalOutcome> {
  const { writer, sessions } = env.deps;
  const unattended = run.unattended || (env.deps.isUiAttached ? !env.deps.isUiAttached() : false);
  const timeoutMs = unattended ? (settingNumber(ctx.config, 'approvalTimeoutMs') ?? env.deps.unattendedApprovalTimeoutMs ?? DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS) : null;
  // A scheduled run's deadline outlives the process (resumeUnattendedApprovals). A user's run
  // that only lost its window waits for that user again after a restart.
  const deadline = run.unattended && timeoutMs !== null ? { approvalDeadline: new Date(Date.now() + timeoutMs).toISOString() } : undefined;
  writer.updateToolStatus(call.nodeId, 'pending_approval', deadline);
  await writer.flush();
  const session = await sessions.get(run.sessionId);
  if (session.status === 'running') await setStatus(env, session, 'waiting_for_user_input');
  const outcome = await env.broker.wait(call.nodeId, { timeoutMs, signal: run.abort.signal });
  if (outcome.kind !== 'aborted') {
    const now = await sessions.get(run.sessionId);
    if (now.status === 'waiting_for_user_input') await setStatus(env, now, 'running');
  }
  return outcome;
}

/**
 * After a restart, a call left waiting (or approved but not yet run) is no longer open in this
 * process's writer, so it is re-issued as a new action node that continues the old one. A
 * retried call is re-issued the same way (`extra` says what the retry replaces).
 */
export function reissue(env: RunEnv, sessionId: string, u: UnfinishedCall, decisions: Map<string, ApprovalOutcome>, extra?: Record<string, JsonValue>): StepCall {
  const decided = decisions.get(u.node.id);
  const nodeId = env.deps.writer.startNode({
    sessionId,
    parentId: u.node.parentId,
    causeId: u.node.id,
    kind: 'action',
    role: 'assistant',
    status: u.state === 'approved' || decided?.kind === 'approved' ? 'approved' : 'pending_approval',
    toolName: u.toolName,
    toolArgs: (u.args ?? null) as JsonValue,
    metadata: { toolCallId: u.toolCallId, continues: u.node.id, ...extra },
  });
  if (decided) decisions.set(nodeId, decided);
  if (u.state === 'approved') decisions.set(nodeId, { kind: 'approved' });
  return { nodeId, toolCallId: u.toolCallId, toolName: u.toolName, args: u.args };
}
