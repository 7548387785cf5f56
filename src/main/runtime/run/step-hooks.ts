// The two moments around every model call of a run. Whatever must hold before a request is spent
// goes in beforeModelCall; whatever follows from what a call cost goes in afterModelUsage. Both
// run for every step of every run (first message, follow-ups, resumes, continuations after an
// approval), so nothing else needs to know about them.
import { retryWhileBusy } from '../busy';
import { costOf } from '../providers';
import { throwIfStopped, type RunEnv } from './env';
import type { ActiveRun, RunContext, StepUsage } from './types';

export interface StepStart {
  /** The node of the user message this step answers (the turn). */
  turn: string | null;
  /** 1 for the first model call of the turn. */
  stepNo: number;
}

/** Before each model call; throwing here ends the run like any failure of the step would. */
export async function beforeModelCall(_env: RunEnv, run: ActiveRun, _ctx: RunContext, _step: StepStart): Promise<void> {
  throwIfStopped(run);
}

export interface StepCost {
  /** The step's assistant_message node, already finished with these figures. */
  nodeId: string;
  usage: StepUsage;
  costUsd: number;
  contextTokens: number;
  contextWindow: number | null;
}

/** What the step's usage figures are, from the provider's counts and the model's price. */
export function stepCost(ctx: RunContext, nodeId: string, usage: StepUsage): StepCost {
  return {
    nodeId,
    usage,
    costUsd: costOf(usage, ctx.modelInfo?.price ?? null),
    contextTokens: usage.input + usage.output,
    contextWindow: ctx.modelInfo?.contextWindow ?? null,
  };
}

/** After each model call's usage is known: added to the session's totals and told to the windows. */
export async function afterModelUsage(env: RunEnv, run: ActiveRun, _ctx: RunContext, cost: StepCost): Promise<void> {
  const { sessionId } = run;
  const { usage, costUsd } = cost;
  await retryWhileBusy(() => env.deps.sessions.addUsage(sessionId, { tokensIn: usage.input, tokensOut: usage.output, tokensReasoning: usage.reasoning, tokensCached: usage.cached, costUsd }));
  env.deps.events?.emit('sessions.usage', {
    sessionId,
    nodeId: cost.nodeId,
    tokensIn: usage.input,
    tokensOut: usage.output,
    tokensReasoning: usage.reasoning,
    tokensCached: usage.cached,
    costUsd,
    contextTokens: cost.contextTokens,
    contextWindow: cost.contextWindow,
  });
}
