// One model call of a run: the request, its stream recorded into the log tree as it arrives, and
// the step's usage once the stream has finished.
import { streamText, type ModelMessage } from 'ai';
import { describeProviderError, RunStopped } from '../errors';
import { throwIfStopped, type RunEnv } from './env';
import { settingNumber } from './settings';
import type { FinishNodeInput } from '../../logs/writer';
import { afterModelUsage, beforeModelCall, stepCost, type StepCost, type StepStart } from './step-hooks';
import { StepLog } from './step-log';
import { budgetedMaxOutput, countUsage, reserveModelCall, settleFailedModelCall, settleModelCall } from '../budget/guard';
import type { ActiveRun, RunContext, StepCall, StepReasoning } from './types';

export interface StepResult {
  nodeId: string;
  text: string;
  calls: StepCall[];
  reasoning: StepReasoning[];
}

function requestModel(env: RunEnv, run: ActiveRun, ctx: RunContext, messages: ModelMessage[]) {
  const temperature = settingNumber(ctx.config, 'temperature');
  const maxOutputTokens = settingNumber(ctx.config, 'maxOutputTokens') ?? budgetedMaxOutput(run, ctx);
  return streamText({
    model: ctx.model,
    ...(ctx.system ? { system: ctx.system } : {}),
    messages,
    tools: ctx.aiTools,
    abortSignal: run.abort.signal,
    // The provider's raw events carry usage before the SDK's closing part (partial-usage.ts).
    includeRawChunks: true,
    maxRetries: env.deps.maxRetries ?? 2,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(ctx.providerOptions ? { providerOptions: ctx.providerOptions } : {}),
    // Errors arrive as 'error' parts below; the default handler would only print them.
    onError: () => undefined,
  });
}

type EarlyCost = StepCost & { outputEstimated: boolean };

/** The cost of what a call that ended early used, when the provider reported any of it. */
function earlyCost(ctx: RunContext, log: StepLog): EarlyCost | null {
  const early = log.earlyUsage();
  return early ? { ...stepCost(ctx, log.nodeId, early.usage), outputEstimated: early.outputEstimated } : null;
}

function usageFields(ctx: RunContext, c: EarlyCost): Omit<FinishNodeInput, 'status'> {
  return {
    tokensIn: c.usage.input,
    tokensOut: c.usage.output,
    tokensReasoning: c.usage.reasoning,
    costUsd: c.costUsd,
    metadata: { tokensCached: c.usage.cached, usagePartial: true, ...(c.outputEstimated ? { outputEstimated: true } : {}), priced: ctx.modelInfo?.price != null },
  };
}

/** Input counts reported mid-stream go on the node at once (LogWriter.noteUsage). */
function noteEarlyUsage(env: RunEnv, ctx: RunContext, log: StepLog): void {
  const c = stepCost(ctx, log.nodeId, { input: log.partial.input ?? 0, output: 0, reasoning: 0, cached: log.partial.cached ?? 0 });
  env.deps.writer.noteUsage(log.nodeId, { tokensIn: c.usage.input, tokensOut: 0, tokensReasoning: 0, costUsd: c.costUsd });
}

/** Reads the stream into the step's log; a stop or a provider error closes what is open and throws. */
async function recordStream(env: RunEnv, run: ActiveRun, ctx: RunContext, log: StepLog, result: ReturnType<typeof requestModel>): Promise<void> {
  const { writer } = env.deps;
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'raw') {
        // Stored as soon as the provider states it, so that a crash before the end keeps it.
        if (log.takeRaw(part.rawValue)) noteEarlyUsage(env, ctx, log);
        continue;
      }
      // While the database cannot take the log (held by another program), stop reading the
      // stream rather than holding an ever-growing buffer.
      await writer.whenRoom();
      if (part.type === 'error') throw part.error;
      if (part.type === 'abort') throw new RunStopped(run.stopReason ?? 'stop');
      log.take(part);
    }
    throwIfStopped(run);
  } catch (err) {
    const stopped = err instanceof RunStopped || run.abort.signal.aborted;
    if (!stopped) {
      log.closeOpen('error', { error: describeProviderError(err) });
      throw err;
    }
    const early = earlyCost(ctx, log);
    log.closeOpen('interrupted', { stopped: true }, early ? usageFields(ctx, early) : undefined);
    throw new RunStopped(run.stopReason ?? 'stop');
  }
  log.settleParts();
}

/** One model call, streamed into the log tree as it arrives. */
export async function modelStep(env: RunEnv, run: ActiveRun, ctx: RunContext, messages: ModelMessage[], step: StepStart): Promise<StepResult> {
  await beforeModelCall(env, run, ctx, step);
  await reserveModelCall(env, run, ctx, messages);
  const log = new StepLog(env.deps.writer, run.sessionId, { ...step, model: ctx.modelId, provider: ctx.provider.name });
  try {
    await recordStream(env, run, ctx, log, requestModel(env, run, ctx, messages));
  } catch (err) {
    const early = err instanceof RunStopped ? earlyCost(ctx, log) : null;
    if (!early) {
      await settleFailedModelCall(env, run, ctx, log.outputChars());
      throw err;
    }
    // A stopped call whose usage the provider reported counts like a finished one.
    await settleModelCall(env, run, ctx, { usage: early.usage, estimated: early.outputEstimated }, early.costUsd, step.turn);
    await afterModelUsage(env, run, ctx, early);
    throw err;
  }
  const counted = countUsage(run, log.reportedUsage(), log.outputChars());
  const cost = stepCost(ctx, log.nodeId, counted.usage);
  env.deps.writer.finishNode(log.nodeId, {
    status: 'complete',
    tokensIn: cost.usage.input,
    tokensOut: cost.usage.output,
    tokensReasoning: cost.usage.reasoning,
    costUsd: cost.costUsd,
    metadata: {
      tokensCached: cost.usage.cached,
      contextTokens: cost.contextTokens,
      contextWindow: cost.contextWindow,
      finishReason: log.finish?.finishReason ?? 'unknown',
      priced: ctx.modelInfo?.price != null,
      ...(counted.estimated ? { usageEstimated: true } : {}),
    },
  });
  await settleModelCall(env, run, ctx, counted, cost.costUsd, step.turn);
  await afterModelUsage(env, run, ctx, cost);
  return { nodeId: log.nodeId, text: log.text, calls: log.calls, reasoning: log.reasoning };
}
