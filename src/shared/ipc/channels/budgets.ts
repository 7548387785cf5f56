// Budgets: caps in tokens and/or US dollars, enforced before every model call (docs/budgets-schedules-rules.md).
import { z } from 'zod';
import { defineDomain, event, request, returns } from '../define';
import { byIdSchema, idSchema } from '../schemas';

/**
 * global: every agent together, per calendar month (UTC); agent: one agent, per calendar month;
 * session: one session, its whole life; schedule: each scheduled run of one agent.
 */
export const BUDGET_SCOPES = ['global', 'agent', 'session', 'schedule'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export interface Budget {
  id: string;
  scope: BudgetScope;
  /** The agent (agent, schedule) or session (session); null for the global budget. */
  targetId: string | null;
  maxTokens: number | null;
  maxUsd: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Share of a cap at which a warning shows. */
export const BUDGET_WARNING_FRACTION = 0.8;

export interface BudgetUse {
  budget: Budget;
  /** Start of the period counted (a month's first instant), null for a session or a run. */
  periodStart: string | null;
  usedTokens: number;
  usedUsd: number;
  /** Some of the usage counted was estimated (the provider did not report it) or is a reservation of a call under way. */
  estimated: boolean;
  /** The larger of used/max over tokens and money (0..1+). */
  fraction: number;
  state: 'ok' | 'warning' | 'reached';
}

export interface BudgetStatus {
  budgets: BudgetUse[];
  /** Set when the session's run was stopped by a budget: the message shown in its log. */
  stoppedBy: string | null;
}

const positiveOrNull = (max: number) => z.number().positive().max(max).nullable();

export const budgetSaveInputSchema = z
  .strictObject({
    scope: z.enum(BUDGET_SCOPES),
    targetId: idSchema.nullable().default(null),
    maxTokens: positiveOrNull(1e12).refine((n) => n === null || Number.isInteger(n), 'Tokens are whole numbers'),
    maxUsd: positiveOrNull(1e9),
  })
  .refine((b) => (b.scope === 'global') === (b.targetId === null), { message: 'The global budget has no target; the others need one', path: ['targetId'] })
  .refine((b) => b.maxTokens !== null || b.maxUsd !== null, { message: 'Set a token cap, a money cap, or both', path: ['maxTokens'] });
export type BudgetSaveInput = z.output<typeof budgetSaveInputSchema>;

export const budgetsDomain = defineDomain({
  requests: {
    /** The global budget plus those of the agent and/or session given. */
    list: request(z.strictObject({ agentId: idSchema.optional(), sessionId: idSchema.optional() }).default({}), returns<Budget[]>()),
    /** Sets the budget of a scope and target (replacing the one there). */
    save: request(budgetSaveInputSchema, returns<Budget>()),
    remove: request(byIdSchema, returns<{ id: string }>()),
    /**
     * What applies here and what is left: for a session, every budget its runs are checked
     * against; for an agent, the global, agent and schedule budgets; for neither, the global one.
     */
    status: request(z.strictObject({ agentId: idSchema.optional(), sessionId: idSchema.optional() }).default({}), returns<BudgetStatus>()),
  },
  events: {
    /** Usage was counted, a budget was changed, warned at 80 % or reached. */
    changed: event(z.object({ sessionId: z.string().nullable(), agentId: z.string().nullable(), kind: z.enum(['usage', 'saved', 'warning', 'reached']) })),
  },
});
