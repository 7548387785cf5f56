// The run loop: model call -> stream everything into the log tree as it arrives -> settle the
// tool calls under the permission policy -> repeat, until the model answers without tools, max
// steps, a stop, or an error. The log tree is the source of truth: every run starts by rebuilding
// the conversation from it, which is what makes follow-ups, resume after a stop or a crash, and
// approvals after a restart all the same code path.
import { BudgetReached } from '../budget/guard';
import type { AssistantModelMessage, ModelMessage, TextPart, ToolCallPart } from 'ai';
import type { JsonValue, SessionWithConfig } from '../../../shared/domain';
import { retryWhileBusy } from '../busy';
import { RESUME_NOTE, rebuildConversation } from '../conversation';
import { describeProviderError, RunConfigError, RunStopped } from '../errors';
import type { ApprovalOutcome } from '../permissions';
import { reissue } from './approval';
import type { RetryPlan } from './retry';
import { prepareRun } from './context';
import { setStatus, throwIfStopped, type RunEnv } from './env';
import { modelStep, type StepResult } from './model-step';
import { settleCalls } from './settle';
import type { ActiveRun, RunContext } from './types';

type ReasoningPart = Extract<Exclude<AssistantModelMessage['content'], string>[number], { type: 'reasoning' }>;

/** Where the conversation stands: the messages sent next, and the turn they belong to. */
interface Progress {
  messages: ModelMessage[];
  turn: string | null;
  steps: number;
}

/**
 * Follow-ups sent while the run was busy (steers) join the conversation here, before the next
 * model call; each starts a new turn. This is the only place a user message is appended during a
 * run. Its node ends now: the log records when the model got it.
 */
function appendQueuedMessages(env: RunEnv, run: ActiveRun, p: Progress): void {
  for (const q of run.queue.splice(0)) {
    env.deps.writer.finishNode(q.nodeId, { status: 'complete', metadata: { steer: true, sentBeforeStep: p.steps + 1 } });
    p.messages.push({ role: 'user', content: q.text });
    p.turn = q.nodeId;
    p.steps = 0;
  }
}

/**
 * Steers the run never got to (it stopped or failed first) are ordinary messages of the log: the
 * next run (resume, retry, a new message) sends them, as it rebuilds the conversation.
 */
function closeUnsentSteers(env: RunEnv, run: ActiveRun): void {
  run.accepting = false;
  for (const q of run.queue.splice(0)) env.deps.writer.finishNode(q.nodeId, { status: 'complete', metadata: { steer: true, unsent: true } });
}

/** The step as the assistant message the model is sent back next time. */
function assistantMessage(step: StepResult): ModelMessage | null {
  const content: Array<ReasoningPart | TextPart | ToolCallPart> = [];
  for (const r of step.reasoning) {
    if (r.signature) content.push({ type: 'reasoning', text: r.text, providerOptions: { anthropic: { signature: r.signature } } });
  }
  if (step.text) content.push({ type: 'text', text: step.text });
  for (const c of step.calls) content.push({ type: 'tool-call', toolCallId: c.toolCallId, toolName: c.toolName, input: c.args as JsonValue });
  return content.length > 0 ? { role: 'assistant', content } : null;
}

/**
 * Rebuilds the conversation from the log tree, settling calls a previous run left open. A retried
 * tool call is one of those: its new entry names the failed one and what it replaces.
 */
async function restore(env: RunEnv, run: ActiveRun, ctx: RunContext, p: Progress, decisions: Map<string, ApprovalOutcome>, retry?: RetryPlan): Promise<void> {
  const { writer, logs } = env.deps;
  const sessionId = run.sessionId;
  const tool = retry?.kind === 'tool' ? retry : undefined;
  const conv = rebuildConversation(await logs.tree(sessionId), tool ? { supersedes: tool.supersedes, reopen: tool.retryOf } : {});
  Object.assign(p, { messages: conv.messages, turn: conv.turnNodeId, steps: conv.stepsInTurn });
  if (conv.unfinished.length > 0) {
    const meta = (id: string) => (tool && id === tool.retryOf ? { retryOf: tool.retryOf, supersedes: tool.supersedes } : undefined);
    const calls = conv.unfinished.map((u) => reissue(env, sessionId, u, decisions, meta(u.node.id)));
    const results = await settleCalls(env, run, ctx, calls, decisions);
    p.messages.splice(conv.unfinishedInsertAt, 0, { role: 'tool', content: [...conv.knownResults, ...results] });
  } else if (conv.endsWithAssistant && run.queue.length === 0) {
    // An interrupted answer: ask the model to go on (logged, so the tree shows what was sent).
    writer.startNode({ sessionId, parentId: p.turn, kind: 'system', role: 'user', status: 'complete', content: RESUME_NOTE });
    p.messages.push({ role: 'user', content: RESUME_NOTE });
  }
}

/** Steps until the run ends on its own (answer without tools, or the step limit). */
async function steps(env: RunEnv, run: ActiveRun, ctx: RunContext, session: SessionWithConfig, p: Progress, decisions: Map<string, ApprovalOutcome>): Promise<void> {
  const { writer } = env.deps;
  for (;;) {
    throwIfStopped(run);
    appendQueuedMessages(env, run, p);
    if (p.steps >= ctx.config.maxSteps) {
      run.accepting = false;
      const msg = `Reached the step limit (${ctx.config.maxSteps} model calls for one message). Resume to let the agent continue.`;
      writer.startNode({ sessionId: run.sessionId, parentId: p.turn, kind: 'error', role: 'system', status: 'complete', content: msg, metadata: { reason: 'max_steps' } });
      await retryWhileBusy(() => writer.flush());
      await setStatus(env, session, 'stopped', { error: msg });
      return;
    }
    const step = await modelStep(env, run, ctx, p.messages, { turn: p.turn, stepNo: p.steps + 1 });
    p.steps++;
    const reply = assistantMessage(step);
    if (reply) p.messages.push(reply);
    if (step.calls.length === 0) {
      if (run.queue.length > 0) continue;
      // Decided in the same tick as the check above, so no message can slip in unread.
      run.accepting = false;
      await retryWhileBusy(() => writer.flush());
      await setStatus(env, session, 'completed', { result: step.text || null });
      return;
    }
    p.messages.push({ role: 'tool', content: await settleCalls(env, run, ctx, step.calls, decisions) });
  }
}

/** A run that ended by a stop or an error: the session's status (and error node) say how. */
async function endRun(env: RunEnv, run: ActiveRun, session: SessionWithConfig, turn: string | null, err: unknown): Promise<void> {
  const { writer } = env.deps;
  session = await env.deps.sessions.get(run.sessionId).catch(() => session);
  if (err instanceof RunStopped || run.abort.signal.aborted) {
    await writer.flush().catch(() => undefined);
    const to = run.stopReason === 'shutdown' ? 'interrupted' : 'stopped';
    if (run.stopReason === 'shutdown' && session.status === 'waiting_for_user_input') return;
    if (session.status !== to) await setStatus(env, session, to).catch(() => undefined);
    return;
  }
  if (err instanceof BudgetReached) return budgetStop(env, run, session, turn, err);
  const message = err instanceof RunConfigError ? err.message : describeProviderError(err);
  writer.startNode({
    sessionId: run.sessionId,
    parentId: turn,
    kind: 'error',
    role: 'system',
    status: 'error',
    content: message,
    metadata: { error: message, ...(err instanceof RunConfigError ? { reason: 'config' } : {}) },
  });
  await writer.flush().catch(() => undefined);
  if (session.status !== 'failed') await setStatus(env, session, 'failed', { error: message }).catch(() => undefined);
}

/** A budget would be crossed by the next call: a `budget reached` node, and the session ends `budget_reached` (resumable). */
async function budgetStop(env: RunEnv, run: ActiveRun, session: SessionWithConfig, turn: string | null, err: BudgetReached): Promise<void> {
  const { writer } = env.deps;
  const b = err.use.budget;
  writer.startNode({
    sessionId: run.sessionId,
    parentId: turn,
    kind: 'error',
    role: 'system',
    status: 'complete',
    content: err.message,
    metadata: { reason: 'budget_reached', budgetId: b.id, scope: b.scope, usedTokens: err.use.usedTokens, usedUsd: err.use.usedUsd, worstTokens: err.worst.tokens, worstUsd: err.worst.usd },
  });
  await writer.flush().catch(() => undefined);
  env.deps.events?.emit('budgets.changed', { sessionId: run.sessionId, agentId: session.agentId, kind: 'reached' });
  if (session.status !== 'budget_reached') await setStatus(env, session, 'budget_reached', { error: err.message }).catch(() => undefined);
}

export async function executeRun(env: RunEnv, run: ActiveRun, decisions: Map<string, ApprovalOutcome>, retry?: RetryPlan): Promise<void> {
  const session: SessionWithConfig = await env.deps.sessions.get(run.sessionId).catch(() => null as never);
  if (!session) return;
  // The turn an error node hangs under is wherever the run had got to when it failed.
  const p: Progress = { messages: [], turn: null, steps: 0 };
  try {
    const ctx = await prepareRun(env, session, run);
    await restore(env, run, ctx, p, decisions, retry);
    await steps(env, run, ctx, session, p, decisions);
  } catch (err) {
    run.accepting = false;
    await endRun(env, run, session, p.turn, err);
  } finally {
    closeUnsentSteers(env, run);
    await env.deps.writer.flush().catch(() => undefined);
  }
}
