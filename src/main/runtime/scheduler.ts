// Runs agents on their cron `schedule`: one job per live agent that has a schedule and a model.
// A fire creates a session (pinned to the agent's version at that moment, like any new session)
// and starts it unattended, so a tool call that needs approval times out and is denied instead
// of leaving the run hanging with no one to answer.
//
// Decisions (see also the tests):
// - No overlap: while this agent's previous scheduled run is still going (including waiting on
//   an approval that has not timed out yet), a fire is skipped. The skip is logged as a warning
//   and counted in status(); no session is created for it, so the sessions list is not filled
//   with empty runs.
// - Fires missed while the app was closed are not replayed: at start the next fire is computed
//   from now. A run that catches up on a night of missed fires at launch is a surprise nobody
//   asked for.
// - The times are the machine's local time, as the agent editor's "next run" preview shows them.
// - Runs started by hand do not block a scheduled run; only the scheduler's own runs count.
import { Cron } from 'croner';
import type { Agent, Page, SessionWithConfig } from '../../shared/domain';
import type { RunAck } from '../../shared/ipc/channels/sessions';
import type { IpcLogger } from '../ipc/errors';
import type { EventSource } from '../ipc/events';
import type { AgentListOptions } from '../repositories/agents';

export const DEFAULT_SCHEDULED_MESSAGE = 'Scheduled run: follow your instructions.';
/** Same bound as the contract's message schema (sessions.start). */
const MAX_MESSAGE_CHARS = 1_000_000;
const LIST_PAGE = 500;

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
export type CreateJob = (pattern: string, fire: () => Promise<FireOutcome>) => SchedulerJob;

export type FireOutcome =
  | { kind: 'started'; agentId: string; sessionId: string }
  /** The previous scheduled run of this agent is still going (or still being started). */
  | { kind: 'skipped'; agentId: string; runningSessionId: string | null }
  /** The scheduler is stopped, or the agent is no longer eligible (deleted, unscheduled). */
  | { kind: 'ignored'; agentId: string; reason: string }
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
  sessions: { create(input: { agentId: string; name: string; goal: string }): Promise<SessionWithConfig> };
  runtime: {
    start(input: { sessionId: string; message: string; unattended?: boolean }): Promise<RunAck>;
    isRunning(sessionId: string): boolean;
  };
  /** The core's event bus: `agents.changed` re-plans that agent. */
  events?: EventSource;
  createJob?: CreateJob;
  logger?: IpcLogger;
  /** Called after every fire, with what it did. */
  onFire?: (outcome: FireOutcome) => void;
  now?: () => Date;
}

/** croner, with an unref'd timer: a schedule alone never keeps the process alive. */
export const cronerJob: CreateJob = (pattern, fire) => {
  const cron = new Cron(pattern, { unref: true }, () => {
    void fire();
  });
  return { stop: () => cron.stop(), nextRun: () => cron.nextRun() };
};

/** The pattern to plan for this agent, or null when it must not run on a schedule. */
export function scheduleOf(agent: Agent | null): string | null {
  // An imported agent waiting for review is paused, whatever its row says (services/consent.ts).
  if (!agent || agent.deletedAt || !agent.model || agent.pendingReview) return null;
  const pattern = agent.schedule?.trim();
  return pattern ? pattern : null;
}

/** `settings.scheduledMessage` when it is a usable string, else the default message. */
export function scheduledMessage(agent: Pick<Agent, 'settings'>): string {
  const m = agent.settings['scheduledMessage'];
  if (typeof m === 'string' && m.trim() && m.length <= MAX_MESSAGE_CHARS) return m.trim();
  return DEFAULT_SCHEDULED_MESSAGE;
}

export function scheduledRunName(at: Date): string {
  return `Scheduled run · ${at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'NOT_FOUND';
}

interface Planned {
  pattern: string;
  job: SchedulerJob;
}

export class AgentScheduler {
  private readonly jobs = new Map<string, Planned>();
  private readonly lastRun = new Map<string, string>();
  private readonly skipped = new Map<string, number>();
  /** Agents whose fire is between "tick" and "run started" (session creation is async). */
  private readonly firing = new Set<string>();
  /** Re-plans run one after another per agent, so a late read never undoes a newer one. */
  private readonly replans = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly createJob: CreateJob;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.createJob = deps.createJob ?? cronerJob;
  }

  /** Plans every live scheduled agent and starts listening for agent changes. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('A stopped scheduler cannot be started again');
    if (this.deps.events && !this.unsubscribe) {
      this.unsubscribe = this.deps.events((event, payload) => {
        if (event !== 'agents.changed') return;
        const agentId = (payload as { agentId?: unknown } | null)?.agentId;
        if (typeof agentId === 'string') void this.agentChanged(agentId);
      });
    }
    let cursor: string | null = null;
    do {
      const page: Page<Agent> = await this.deps.agents.list({ limit: LIST_PAGE, cursor, sort: 'createdAt' });
      for (const agent of page.items) this.plan(agent.id, agent);
      cursor = page.nextCursor;
    } while (cursor && !this.stopped);
  }

  /** Re-reads the agent and re-plans its job (new pattern, removed schedule, trashed, purged). */
  agentChanged(agentId: string): Promise<void> {
    const prev = this.replans.get(agentId) ?? Promise.resolve();
    // Never rejects: it is called from an event listener.
    const next = prev.then(async () => {
      if (this.stopped) return;
      let agent: Agent | null;
      try {
        agent = await this.deps.agents.get(agentId);
      } catch (err) {
        if (!isNotFound(err)) {
          this.deps.logger?.error(`scheduler: could not read agent ${agentId}; its schedule is unchanged`, err);
          return;
        }
        agent = null;
      }
      this.plan(agentId, agent);
    });
    this.replans.set(agentId, next);
    void next.then(() => {
      if (this.replans.get(agentId) === next) this.replans.delete(agentId);
    });
    return this.track(next);
  }

  /** Stops every job and waits for fires and re-plans under way. No job runs afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
    await this.idle();
  }

  /** Resolves when the re-plans and fires under way have finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  status(): ScheduledAgentStatus[] {
    return [...this.jobs].map(([agentId, { pattern, job }]) => {
      const last = this.lastRun.get(agentId) ?? null;
      return {
        agentId,
        pattern,
        nextRunAt: job.nextRun()?.toISOString() ?? null,
        lastSessionId: last,
        running: this.firing.has(agentId) || (last !== null && this.deps.runtime.isRunning(last)),
        skipped: this.skipped.get(agentId) ?? 0,
      };
    });
  }

  // ------------------------------------------------------------------ internals

  private plan(agentId: string, agent: Agent | null): void {
    const pattern = this.stopped ? null : scheduleOf(agent);
    const current = this.jobs.get(agentId);
    // Same pattern: keep the job (and its next fire); the fire reads the agent's config anew.
    if (current?.pattern === pattern) return;
    current?.job.stop();
    this.jobs.delete(agentId);
    if (!pattern) return;
    try {
      this.jobs.set(agentId, { pattern, job: this.createJob(pattern, () => this.fire(agentId)) });
    } catch (err) {
      // Patterns are validated on save; this is an imported or hand-edited row.
      this.deps.logger?.warn?.(`scheduler: agent ${agentId} has an unusable schedule "${pattern}"; it will not run on a schedule`, err);
    }
  }

  private fire(agentId: string): Promise<FireOutcome> {
    return this.track(
      this.runFire(agentId).then((outcome) => {
        try {
          this.deps.onFire?.(outcome);
        } catch (err) {
          this.deps.logger?.error('scheduler: onFire listener threw', err);
        }
        return outcome;
      }),
    );
  }

  private async runFire(agentId: string): Promise<FireOutcome> {
    if (this.stopped || !this.jobs.has(agentId)) return { kind: 'ignored', agentId, reason: 'not scheduled' };
    const previous = this.lastRun.get(agentId) ?? null;
    if (this.firing.has(agentId) || (previous && this.deps.runtime.isRunning(previous))) {
      this.skipped.set(agentId, (this.skipped.get(agentId) ?? 0) + 1);
      this.deps.logger?.warn?.(`scheduler: skipped a scheduled run of agent ${agentId}: its previous run (session ${previous ?? 'being started'}) is still going`);
      return { kind: 'skipped', agentId, runningSessionId: previous };
    }
    this.firing.add(agentId);
    let sessionId: string | null = null;
    try {
      // The job may be a tick behind an edit or a delete whose event is still being handled.
      let agent: Agent | null;
      try {
        agent = await this.deps.agents.get(agentId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        agent = null;
      }
      if (!scheduleOf(agent) || this.stopped) return { kind: 'ignored', agentId, reason: 'agent no longer scheduled' };
      const message = scheduledMessage(agent!);
      const session = await this.deps.sessions.create({ agentId, name: scheduledRunName(this.deps.now?.() ?? new Date()), goal: message });
      sessionId = session.id;
      this.lastRun.set(agentId, session.id);
      await this.deps.runtime.start({ sessionId: session.id, message, unattended: true });
      return { kind: 'started', agentId, sessionId: session.id };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.deps.logger?.error(`scheduler: the scheduled run of agent ${agentId} could not start`, err);
      return { kind: 'failed', agentId, sessionId, error };
    } finally {
      this.firing.delete(agentId);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }
}
