import { z } from 'zod';
import type { LogChunk, LogNode } from '../../domain';
import { defineDomain, request, returns } from '../define';
import { idSchema } from '../schemas';

/** A calendar day, UTC (YYYY-MM-DD). */
const daySchema = z.iso.date({ message: 'Expected a day as YYYY-MM-DD' });

export const usageInputSchema = z
  .strictObject({
    /** First day included (UTC); all history when absent. */
    from: daySchema.optional(),
    /** Last day included (UTC); up to now when absent. */
    to: daySchema.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'The first day must not be after the last day' });

export interface UsageFigures {
  tokensIn: number;
  tokensOut: number;
  /** Part of tokensOut: reasoning tokens are counted inside the output tokens. */
  tokensReasoning: number;
  costUsd: number;
  sessions: number;
}

export interface UsageRow extends UsageFigures {
  key: string;
  label: string;
}

/**
 * Usage of the sessions created in a date range (deleted ones left out). Every breakdown adds up
 * to `totals`, which is the sum of the sessions' own totals: a session's usage that no model
 * call recorded (an imported session, say) shows as "not recorded per call" by model and provider.
 */
export interface UsageReport {
  totals: UsageFigures;
  byDay: UsageRow[];
  byAgent: UsageRow[];
  byModel: UsageRow[];
  byProvider: UsageRow[];
}

/** A session's whole log with every streamed chunk and its timing, for replay. */
export interface ReplayLog {
  nodes: LogNode[];
  chunks: LogChunk[];
}

export const traceDomain = defineDomain({
  requests: {
    usage: request(usageInputSchema, returns<UsageReport>()),
    /** Nodes and chunks exactly as recorded: a replay never asks a model again. */
    replay: request(z.strictObject({ sessionId: idSchema }), returns<ReplayLog>()),
  },
  events: {},
});
