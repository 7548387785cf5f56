// The scheduler's contracts: its jobs, what a fire did, the status it reports, and what it needs
// of the rest of the core (scheduler.ts re-exports them).

import type { Agent, Page, SessionWithConfig } from '../../../shared/domain';
import type { RunAck } from '../../../shared/ipc/channels/sessions';
import type { IpcLogger } from '../../ipc/errors';
import type { EventSource } from '../../ipc/events';
import type { AgentListOptions } from '../../repositories/agents';
import type { ClaimResult, ScheduleState } from '../../repositories/schedules';
import type { SchedulePolicy } from '../../../shared/ipc/channels/schedules';

/** One planned job. `stop` must be idempotent. */
export interface SchedulerJob {
  stop(): void;
  nextRun(): Date | null;
}

/**
 * Makes a job that calls `fire` on each tick of `pattern`. The default uses croner; tests pass
 * a factory whose jobs they fire by hand (and await: `fire` resolves when the fire is handled).
 * Throws on a pattern it cannot parse.
 */
export type CreateJob = (pattern: string, fire: (scheduledAt?: Date) => Promise<FireOutcome>, opts?: { timezone: string | null }) => SchedulerJob;

export type FireOutcome =
  | { kind: 'started'; agentId: string; sessionId: string }
  /** The previous scheduled run of this agent is still going (or still being started). */
  | { kind: 'skipped'; agentId: string; runningSessionId: string | null }
  /** The scheduler is stopped, or the agent is no longer eligible (deleted, unscheduled). */
  | { kind: 'ignored'; agentId: string; reason: string }
  /** This scheduled time was already claimed (by an earlier fire, a previous run of Paddock, or another Paddock). */
  | { kind: 'taken'; agentId: string; scheduledAt: string }
  | { kind: 'failed'; agentId: string; sessionId: string | null; error: string };

export interface ScheduledAgentStatus {
  agentId: string;
  pattern: string;
  /** ISO-8601 UTC, or null when the pattern has no future occurrence. */
  nextRunAt: string | null;
  /** The session of this agent's latest scheduled run in this process, if any. */
  lastSessionId: string | null;
  running: boolean;
  /** Fires skipped because the previous run was still going (since the app started). */
  skipped: number;
}

export interface SchedulerDeps {
  agents: {
    list(opts: AgentListOptions): Promise<Page<Agent>>;
    /** Throws an error with code 'NOT_FOUND' when the agent was purged. */
    get(id: string): Promise<Agent>;
  };
  /** The sessions service (so windows hear `sessions.changed`); pins the agent's current version. */
  sessions: { create(input: { agentId: string; name: string; goal: string }): Promise<SessionWithConfig>; get(id: string): Promise<SessionWithConfig> };
  runtime: {
    start(input: { sessionId: string; message: string; unattended?: boolean }): Promise<RunAck>;
    isRunning(sessionId: string): boolean;
    /** Resolves when the session's run has ended (catch-up runs go one after another). */
    idle?(sessionId: string): Promise<void>;
  };
  /** Schedule policies and the claims that make each scheduled time run once. */
  schedules: ScheduleStore;
  /** The core's event bus: `agents.changed` and `schedules.changed` re-plan that agent. */
  events?: EventSource;
  createJob?: CreateJob;
  logger?: IpcLogger;
  /** Called after every fire, with what it did. */
  onFire?: (outcome: FireOutcome) => void;
  now?: () => Date;
  /** Called when an agent's run history changed (a claim, a missed or skipped time). */
  onHistory?: (agentId: string) => void;
  /** Tests: runs between a committed claim and the session being made (a crash there). */
  afterClaim?: (agentId: string, scheduledAt: string) => Promise<void>;
  /** A claim younger than this without a session is a run being started (default 2 min). */
  claimGraceMs?: number;
}

/** What the scheduler needs of repositories/schedules.ts. */
export interface ScheduleStore {
  policy(agentId: string): Promise<SchedulePolicy>;
  state(agentId: string, pattern: string, now: string): Promise<ScheduleState>;
  claim(agentId: string, scheduledAt: string, opts: { instanceId: string; now: string; freshSince: string; checkOverlap: boolean }): Promise<ClaimResult>;
  recordMissed(agentId: string, times: readonly string[], opts: { instanceId: string; now: string; note: string }): Promise<number>;
  markStarted(runId: string, sessionId: string): Promise<void>;
  markFailed(runId: string, note: string, sessionId: string | null): Promise<void>;
  abandonStale(before: string): Promise<number>;
  recordSkipped?(agentId: string, scheduledAt: string, opts: { instanceId: string; now: string }): Promise<void>;
}
