// One model call of a run: the request, its stream recorded into the log tree as it arrives, and
// the step's usage once the stream has finished.
import { streamText, type ModelMessage } from 'ai';
import { describeProviderError, RunStopped } from '../errors';
import { throwIfStopped, type RunEnv } from './env';
import { settingNumber } from './settings';
import { afterModelUsage, beforeModelCall, stepCost, type StepStart } from './step-hooks';
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
    maxRetries: env.deps.maxRetries ?? 2,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(ctx.providerOptions ? { providerOptions: ctx.providerOptions } : {}),
    // Errors arrive as 'error' parts below; the default handler would only print them.
    onError: () => undefined,
  });
}

/** Reads the stream into the step's log; a stop or a provider error closes what is open and throws. */
async function recordStream(env: RunEnv, run: ActiveRun, log: StepLog, result: ReturnType<typeof requestModel>): Promise<void> {
  const { writer } = env.deps;
  try {
    for await (const part of result.fullStream) {
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
    log.closeOpen(stopped ? 'interrupted' : 'error', stopped ? { stopped: true } : { error: describeProviderError(err) });
    throw stopped ? new RunStopped(run.stopReason ?? 'stop') : err;
  }
  log.settleParts();
}

/** One model call, streamed into the log tree as it arrives. */
export async function modelStep(env: RunEnv, run: ActiveRun, ctx: RunContext, messages: ModelMessage[], step: StepStart): Promise<StepResult> {
  await beforeModelCall(env, run, ctx, step);
  await reserveModelCall(env, run, ctx, messages);
  const log = new StepLog(env.deps.writer, run.sessionId, { ...step, model: ctx.modelId, provider: ctx.provider.name });
  try {
    await recordStream(env, run, log, requestModel(env, run, ctx, messages));
  } catch (err) {
    await settleFailedModelCall(env, run, ctx, log.outputChars());
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
