// Tool-call settlement: each call the model made is run, asked about or refused under the
// agent's permission policy, in order, and what happened becomes the tool result the model reads.
import type { ToolResultPart } from 'ai';
import type { JsonValue } from '../../../shared/domain';
import { RunStopped } from '../errors';
import type { ApprovalOutcome } from '../permissions';
import { checkToolCall } from '../rules/check';
import { unattendedDecision } from '../rules/unattended';
import { settingNumber } from './settings';
import { refusedArguments } from '../tool-args';
import { executeTool, type ToolDef } from '../tools';
import { waitForApproval } from './approval';
import { approvalSource } from './approval-source';
import type { ApprovalScope } from '../../../shared/ipc/channels/runtime';
import { throwIfStopped, type RunEnv } from './env';
import { recordObservation, recordRefusedCall } from './observations';
import type { ActiveRun, RunContext, StepCall } from './types';

type Output = ToolResultPart['output'];
const errorText = (value: string): Output => ({ type: 'error-text', value });

/** Runs, asks about or refuses each tool call in order; returns what the model is told. */
export async function settleCalls(env: RunEnv, run: ActiveRun, ctx: RunContext, calls: StepCall[], decisions: Map<string, ApprovalOutcome>): Promise<ToolResultPart[]> {
  const results: ToolResultPart[] = [];
  for (const call of calls) {
    throwIfStopped(run);
    const output = await settleCall(env, run, ctx, call, decisions);
    results.push({ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output });
  }
  return results;
}

async function settleCall(env: RunEnv, run: ActiveRun, ctx: RunContext, call: StepCall, decisions: Map<string, ApprovalOutcome>): Promise<Output> {
  const { writer, rules } = env.deps;
  const def = ctx.tools.get(call.toolName);
  if (!def) {
    const msg = `Unknown tool "${call.toolName}". Available tools: ${[...ctx.tools.keys()].join(', ') || 'none'}.`;
    writer.finishNode(call.nodeId, { status: 'error', error: msg, toolArgs: (call.args ?? null) as JsonValue });
    return errorText(msg);
  }
  const refused = refusedArguments(call.toolName, call.args);
  if (refused) {
    // Before the permission policy and the tool's validator: nothing may walk these arguments.
    recordRefusedCall(writer, run.sessionId, call, refused);
    return errorText(refused);
  }
  // Approval rules (rules/check.ts) combined with the permission mode.
  const check = await checkToolCall(rules, { agentId: ctx.session.agentId, sessionId: run.sessionId, mode: ctx.config.permissionMode, effect: def.effect, toolName: call.toolName, args: call.args, resolver: ctx.sandbox, roots: ctx.sandbox.rootPaths });
  const decision = unattendedDecision(check.decision, run.unattended, settingNumber(ctx.config, 'approvalTimeoutMs'));
  if (decision.kind === 'deny') {
    const by = check.decision.kind === 'ask' ? 'unattended' : check.verdict?.decision === 'deny' ? 'rule' : 'policy';
    const rule: Record<string, JsonValue> = check.verdict ? { ruleId: check.verdict.rule.id } : {};
    writer.finishNode(call.nodeId, { status: 'denied', toolArgs: (call.args ?? null) as JsonValue, metadata: { denyReason: decision.reason, deniedBy: by, ...rule } });
    return errorText(decision.reason);
  }
  let waitMs: number | undefined;
  let scope: ApprovalScope | null = null;
  if (decision.kind === 'ask') {
    const asked = await askUser(env, run, ctx, call, decisions);
    if ('denied' in asked) return asked.denied;
    waitMs = asked.waitMs;
    scope = asked.scope;
  }
  return runTool(env, run, ctx, call, def, { ...(waitMs !== undefined ? { waitMs } : {}), ...approvalSource(ctx.config.permissionMode, def.effect, check.verdict?.decision === 'allow', scope), ...(scope === null && check.verdict?.decision === 'allow' ? { ruleId: check.verdict.rule.id } : {}) });
}

/** Waits for the answer (or takes one given before a restart); a denial is the model's result. */
async function askUser(env: RunEnv, run: ActiveRun, ctx: RunContext, call: StepCall, decisions: Map<string, ApprovalOutcome>): Promise<{ waitMs: number; scope: ApprovalScope } | { denied: Output }> {
  const { writer } = env.deps;
  const t0 = Date.now();
  const outcome = decisions.get(call.nodeId) ?? (await waitForApproval(env, run, ctx, call));
  decisions.delete(call.nodeId);
  const waitMs = Date.now() - t0;
  if (outcome.kind === 'aborted') {
    // App shutdown: the question stays open (the session keeps waiting and the call can
    // be answered after the next start). A user's stop ends it.
    if (run.stopReason !== 'shutdown') writer.finishNode(call.nodeId, { status: 'interrupted', metadata: { stopped: true, stoppedWhile: 'pending_approval' } });
    throw new RunStopped(run.stopReason ?? 'stop');
  }
  if (outcome.kind === 'approved') {
    writer.updateToolStatus(call.nodeId, 'approved');
    // An answer given before a restart carries no scope: it held for this call at least.
    return { waitMs, scope: outcome.scope ?? 'once' };
  }
  const timeout = outcome.kind === 'timeout';
  const reason = timeout
    ? 'Denied: this unattended run needs approval for this tool and no one approved it in time. Do not retry it; finish without it or explain what needs approval.'
    : `The user denied this tool call.${outcome.reason ? ` Reason: ${outcome.reason}` : ''}`;
  writer.finishNode(call.nodeId, {
    status: 'denied',
    metadata: { denyReason: timeout ? 'approval timed out (unattended run)' : (outcome.reason ?? ''), deniedBy: timeout ? 'timeout' : 'user', waitMs },
  });
  return { denied: errorText(reason) };
}

/** `approval`: how the call came to run (who approved it, how long it waited), kept on the call. */
async function runTool(env: RunEnv, run: ActiveRun, ctx: RunContext, call: StepCall, def: ToolDef, approval: Record<string, JsonValue>): Promise<Output> {
  const { writer } = env.deps;
  writer.updateToolStatus(call.nodeId, 'running');
  const t0 = Date.now();
  const out = await executeTool(def, call.args, { sandbox: ctx.sandbox, signal: run.abort.signal, processes: env.processes });
  const execMs = Date.now() - t0;
  const stopped = run.abort.signal.aborted;
  recordObservation(writer, run.sessionId, call, out.text, out.isError === true);
  writer.finishNode(call.nodeId, {
    status: stopped ? 'interrupted' : out.isError ? 'error' : 'complete',
    durationMs: execMs,
    metadata: { ran: true, ...(stopped ? { stopped: true } : {}), ...approval, ...(def.source ? { source: def.source } : {}) },
  });
  if (stopped) throw new RunStopped(run.stopReason ?? 'stop');
  return out.isError ? errorText(out.text) : { type: 'text', value: out.text };
}
