// Schedule policy (missed runs, time zone, pause) and the history of an agent's scheduled runs.
import { z } from 'zod';
import type { SessionStatus } from '../../domain';
import { defineDomain, event, request, returns } from '../define';
import { idSchema } from '../schemas';

/** skip: missed runs are only recorded; once: the latest missed run runs; catchup: up to catchupLimit run, one after another. */
export const MISSED_POLICIES = ['skip', 'once', 'catchup'] as const;
export type MissedPolicy = (typeof MISSED_POLICIES)[number];

/** started: a session ran it; missed / skipped (overlap) / failed (could not start) / abandoned (the process died mid-claim); claimed: being started. */
export const SCHEDULE_RUN_STATUSES = ['claimed', 'started', 'missed', 'skipped', 'failed', 'abandoned'] as const;
export type ScheduleRunStatus = (typeof SCHEDULE_RUN_STATUSES)[number];

export interface SchedulePolicy {
  agentId: string;
  missedPolicy: MissedPolicy;
  /** How many missed runs catch-up runs at most (the newest ones). */
  catchupLimit: number;
  /** IANA time zone the cron pattern is read in; null = this machine's. */
  timezone: string | null;
  paused: boolean;
}

export interface ScheduleRun {
  id: string;
  agentId: string;
  /** The scheduled time (UTC). */
  scheduledAt: string;
  status: ScheduleRunStatus;
  sessionId: string | null;
  note: string | null;
  claimedAt: string;
  /** The run's session, when one was started (null after it was purged). */
  session: { status: SessionStatus; startedAt: string | null; endedAt: string | null; tokens: number; costUsd: number; error: string | null } | null;
}

export interface ScheduleInfo {
  policy: SchedulePolicy;
  pattern: string | null;
  /** Whether the scheduler plans this agent now (has a schedule and a model, not paused, not in review). */
  active: boolean;
  /** The next scheduled times (UTC), soonest first; empty when not active. */
  nextRuns: string[];
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const schedulePolicySchema = z.strictObject({
  agentId: idSchema,
  missedPolicy: z.enum(MISSED_POLICIES),
  catchupLimit: z.number().int().min(1).max(24),
  timezone: z.string().trim().min(1).max(100).refine(validTimeZone, 'Unknown time zone').nullable(),
  paused: z.boolean(),
});

export const schedulesDomain = defineDomain({
  requests: {
    get: request(z.strictObject({ agentId: idSchema }), returns<ScheduleInfo>()),
    savePolicy: request(schedulePolicySchema, returns<ScheduleInfo>()),
    history: request(z.strictObject({ agentId: idSchema, limit: z.number().int().min(1).max(500).default(50) }), returns<ScheduleRun[]>()),
  },
  events: {
    /** A scheduled time of this agent was claimed, recorded as missed/skipped, or its policy changed. */
    changed: event(z.object({ agentId: z.string() })),
    /**
     * The agent's run history changed: a scheduled time was claimed, started, recorded as missed
     * or skipped, or one of its runs' sessions changed status (started, ended). `sessionId` is
     * that session when there is one. The history view reloads on it; nothing re-plans.
     */
    history: event(z.strictObject({ agentId: idSchema, sessionId: idSchema.nullable() })),
  },
});
