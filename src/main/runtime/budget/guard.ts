// Budgets during a run: before each model call its worst case (the input, estimated, plus the
// most it may write at the model's price) is checked against what every applicable budget has
// left and reserved; after it, the reservation becomes the real usage (or an estimate, marked
// as such, when the provider reported none). A call whose worst case does not fit never starts:
// the run stops with a `budget reached` node, keeping everything so far.
import type { ModelMessage } from 'ai';
import type { JsonValue } from '../../../shared/domain';
import type { BudgetUse } from '../../../shared/ipc/channels/budgets';
import { BUDGET_WARNING_FRACTION } from '../../../shared/ipc/channels/budgets';
import { retryWhileBusy } from '../busy';
import { costOf } from '../providers';
import type { RunEnv } from '../run/env';
import { settingNumber } from '../run/settings';
import type { ActiveRun, RunContext, StepUsage } from '../run/types';

/** The most a call may write when the agent sets no maxOutputTokens (sent to the model, so it holds). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** Characters per token for estimates; low on purpose, so estimates err on the high side. */
const CHARS_PER_TOKEN = 3;

/** A call's worst case did not fit in this budget. */
export class BudgetReached extends Error {
  constructor(
    readonly use: BudgetUse,
    readonly worst: { tokens: number; usd: number },
  ) {
    super(budgetMessage(use, worst));
    this.name = 'BudgetReached';
  }
}

const SCOPE_WORDS: Record<BudgetUse['budget']['scope'], string> = {
  global: 'monthly budget for all agents',
  agent: "agent's monthly budget",
  session: "session's budget",
  schedule: 'budget for each scheduled run',
};

/** Dollars with cents, or four decimals below a dollar (small caps must read right). */
const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

function caps(use: BudgetUse): string {
  const b = use.budget;
  const parts: string[] = [];
  if (b.maxTokens !== null) parts.push(`${use.usedTokens.toLocaleString('en-US')} of ${b.maxTokens.toLocaleString('en-US')} tokens`);
  if (b.maxUsd !== null) parts.push(`${usd(use.usedUsd)} of ${usd(b.maxUsd)}`);
  return parts.join(', ');
}

export function budgetMessage(use: BudgetUse, worst: { tokens: number; usd: number }): string {
  const next = [`up to ${Math.ceil(worst.tokens).toLocaleString('en-US')} tokens`, ...(use.budget.maxUsd !== null ? [usd(worst.usd)] : [])].join(' / ');
  return `Budget reached: the next model call could use ${next}, more than is left of the ${SCOPE_WORDS[use.budget.scope]} (${caps(use)} used). Raise the budget and resume to continue.`;
}

interface RunBudget {
  reservation: string | null;
  before: BudgetUse[];
  inputEstimate: number;
  /** The provider's input count of the previous call and the prompt size it was for. */
  last: { tokens: number; chars: number } | null;
  chars: number;
}

const runs = new WeakMap<ActiveRun, RunBudget>();

function promptChars(ctx: RunContext, messages: ModelMessage[]): number {
  return ctx.system.length + JSON.stringify(messages).length + JSON.stringify(Object.keys(ctx.aiTools)).length + 200 * Object.keys(ctx.aiTools).length;
}

/** The input of this call, estimated: the last reported count plus what was added since, else from its size. */
export function estimateInput(chars: number, last: { tokens: number; chars: number } | null): number {
  if (last) return last.tokens + Math.ceil(Math.max(0, chars - last.chars) / CHARS_PER_TOKEN);
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function maxOutputTokens(ctx: RunContext): number {
  return settingNumber(ctx.config, 'maxOutputTokens') ?? DEFAULT_MAX_OUTPUT_TOKENS;
}

/** The worst a call can cost: all input, then its whole output allowance at the dearer output rate. */
export function worstCase(ctx: RunContext, input: number): { tokens: number; usd: number } {
  const output = maxOutputTokens(ctx);
  const price = ctx.modelInfo?.price ?? null;
  const dearer = price ? { ...price, output: Math.max(price.output, price.reasoning ?? price.output) } : null;
  return { tokens: input + output, usd: costOf({ input, output, reasoning: 0, cached: 0 }, dearer) };
}

/** Before a model call: reserves its worst case, or throws BudgetReached. */
export async function reserveModelCall(env: RunEnv, run: ActiveRun, ctx: RunContext, messages: ModelMessage[]): Promise<void> {
  const store = env.deps.budgets;
  if (!store) return;
  const prev = runs.get(run);
  const chars = promptChars(ctx, messages);
  const input = estimateInput(chars, prev?.last ?? null);
  const worst = worstCase(ctx, input);
  // Two runs reserving at once: the second waits for the first's transaction.
  const res = await retryWhileBusy(() => store.reserve({ sessionId: run.sessionId, agentId: ctx.session.agentId, now: env.deps.now?.() ?? new Date() }, worst));
  if (!res.ok) throw new BudgetReached(res.blocking, worst);
  runs.set(run, { reservation: res.id, before: res.before, inputEstimate: input, last: prev?.last ?? null, chars });
}

/** What to send as maxOutputTokens: the allowance the worst case was computed with, when a budget applies. */
export function budgetedMaxOutput(run: ActiveRun, ctx: RunContext): number | undefined {
  return (runs.get(run)?.before.length ?? 0) > 0 ? maxOutputTokens(ctx) : undefined;
}

export interface CountedUsage {
  usage: StepUsage;
  /** The provider did not report usage: these figures are estimates. */
  estimated: boolean;
}

/** The provider's figures, or an estimate from the prompt and what was streamed when there are none. */
export function countUsage(run: ActiveRun, reported: StepUsage | null, outputChars: number): CountedUsage {
  if (reported) return { usage: reported, estimated: false };
  const input = runs.get(run)?.inputEstimate ?? 0;
  return { usage: { input, output: Math.ceil(outputChars / CHARS_PER_TOKEN), reasoning: 0, cached: 0 }, estimated: true };
}

/** After the call: the reservation becomes its usage; crossing 80 % of a budget leaves a warning node. */
export async function settleModelCall(env: RunEnv, run: ActiveRun, ctx: RunContext, counted: CountedUsage, costUsd: number, parentId: string | null): Promise<void> {
  const store = env.deps.budgets;
  const state = runs.get(run);
  if (!store || !state?.reservation) return;
  // Like the run's other closing writes, these wait out a database another program holds.
  const reservation = state.reservation;
  await retryWhileBusy(() => store.settle(reservation, { tokens: counted.usage.input + counted.usage.output, usd: costUsd, estimated: counted.estimated }));
  state.reservation = null;
  if (!counted.estimated) state.last = { tokens: counted.usage.input, chars: state.chars };
  const after = await retryWhileBusy(() => store.uses({ sessionId: run.sessionId, agentId: ctx.session.agentId, now: env.deps.now?.() ?? new Date() }));
  for (const use of after) {
    const was = state.before.find((b) => b.budget.id === use.budget.id)?.fraction ?? 0;
    if (was < BUDGET_WARNING_FRACTION && use.fraction >= BUDGET_WARNING_FRACTION && use.fraction < 1) {
      const content = `Budget warning: ${Math.floor(use.fraction * 100)} % of the ${SCOPE_WORDS[use.budget.scope]} is used (${caps(use)}).`;
      env.deps.writer.startNode({ sessionId: run.sessionId, parentId, kind: 'system', role: 'system', status: 'complete', content, metadata: { reason: 'budget_warning', budgetId: use.budget.id } as Record<string, JsonValue> });
      env.deps.events?.emit('budgets.changed', { sessionId: run.sessionId, agentId: ctx.session.agentId, kind: 'warning' });
    }
  }
  env.deps.events?.emit('budgets.changed', { sessionId: run.sessionId, agentId: ctx.session.agentId, kind: 'usage' });
}

/** A call that failed or was stopped: its reservation becomes an estimate of what it may have used. */
export async function settleFailedModelCall(env: RunEnv, run: ActiveRun, ctx: RunContext, outputChars: number): Promise<void> {
  const store = env.deps.budgets;
  const state = runs.get(run);
  if (!store || !state?.reservation) return;
  const id = state.reservation;
  state.reservation = null;
  const usage = { input: state.inputEstimate, output: Math.ceil(outputChars / CHARS_PER_TOKEN), reasoning: 0, cached: 0 };
  const usd = costOf(usage, ctx.modelInfo?.price ?? null);
  await retryWhileBusy(() => store.settle(id, { tokens: usage.input + usage.output, usd, estimated: true })).catch(() => undefined);
}
