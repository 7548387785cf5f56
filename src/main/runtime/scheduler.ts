// Runs agents on their cron `schedule`: one job per live agent that has a schedule and a model
// and is not paused. A fire claims its scheduled time, creates a session (pinned to the agent's
// version at that moment, like any new session) and starts it unattended: a tool call that
// needs a human is denied instead of leaving the run hanging with no one to answer.
//
// Decisions (see also the tests and docs/budgets-schedules-rules.md):
// - Exactly once: a scheduled time runs only after this process's claim of (agent, time)
//   committed (repositories/schedules.ts). A restart, a crash between claim and start, or a
//   second Paddock on the same database never runs it again; a claim whose process died before
//   it made a session is recorded as abandoned at the next start.
// - No overlap: while this agent's previous scheduled run is still going (in this process or,
//   per the database, in another), a fire is skipped and recorded as such.
// - Missed runs (Paddock closed, machine asleep) follow the agent's policy: skip, run once (the
//   newest), or catch up (the newest N, one after another). The others are recorded as missed.
// - Times are read in the agent's time zone (the machine's when none is set).
// - Runs started by hand do not block a scheduled run; only the scheduler's own runs count.
import { Cron } from 'croner';
import type { Agent, Page } from '../../shared/domain';
import type { SchedulePolicy } from '../../shared/ipc/channels/schedules';
import { uuidv7 } from 'uuidv7';
import { occurrencesBetween, planMissed } from './schedule/occurrences';
import { retryWhileBusy } from './busy';
import type { CreateJob, FireOutcome, ScheduledAgentStatus, SchedulerDeps, SchedulerJob } from './schedule/types';

export type { CreateJob, FireOutcome, ScheduledAgentStatus, SchedulerDeps, SchedulerJob, ScheduleStore } from './schedule/types';

export const DEFAULT_SCHEDULED_MESSAGE = 'Scheduled run: follow your instructions.';
/** Same bound as the contract's message schema (sessions.start). */
const MAX_MESSAGE_CHARS = 1_000_000;
const LIST_PAGE = 500;

const DEFAULT_CLAIM_GRACE_MS = 2 * 60_000;
const CLAIM_BUSY_WAIT_MS = 60_000;

/** croner, with an unref'd timer: a schedule alone never keeps the process alive. */
export const cronerJob: CreateJob = (pattern, fire, opts) => {
  // The time croner was aiming at is the scheduled time (the timer itself may fire late).
  let expected: Date | null = null;
  const cron = new Cron(pattern, { unref: true, ...(opts?.timezone ? { timezone: opts.timezone } : {}) }, () => {
    const at = expected && expected.getTime() <= Date.now() + 1000 ? expected : new Date(Math.floor(Date.now() / 1000) * 1000);
    expected = cron.nextRun(at);
    void fire(at);
  });
  expected = cron.nextRun();
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
  timezone: string | null;
  job: SchedulerJob;
}

export class AgentScheduler {
  private readonly jobs = new Map<string, Planned>();
  private readonly lastRun = new Map<string, string>();
  private readonly skipped = new Map<string, number>();
  /** Agents whose fire is between "tick" and "run started" (session creation is async). */
  private readonly firing = new Map<string, string>();
  /** Re-plans run one after another per agent, so a late read never undoes a newer one. */
  private readonly replans = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly createJob: CreateJob;
  /** Names this process in the claims it writes. */
  readonly instanceId = uuidv7();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: SchedulerDeps) {
    this.createJob = deps.createJob ?? cronerJob;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Records the claims a dead process left half-done, plans every live scheduled agent, applies
   * each one's missed-run policy, and starts listening for agent and policy changes.
   */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('A stopped scheduler cannot be started again');
    if (this.deps.events && !this.unsubscribe) {
      this.unsubscribe = this.deps.events((event, payload) => {
        if (event !== 'agents.changed' && event !== 'schedules.changed') return;
        const agentId = (payload as { agentId?: unknown } | null)?.agentId;
        if (typeof agentId === 'string') void this.agentChanged(agentId);
      });
    }
    const grace = this.deps.claimGraceMs ?? DEFAULT_CLAIM_GRACE_MS;
    const abandoned = await this.deps.schedules.abandonStale(new Date(this.now().getTime() - grace).toISOString());
    if (abandoned > 0) this.deps.logger?.warn?.(`scheduler: ${abandoned} scheduled run(s) were claimed by a Paddock that stopped before starting them; recorded as abandoned`);
    let cursor: string | null = null;
    do {
      const page: Page<Agent> = await this.deps.agents.list({ limit: LIST_PAGE, cursor, sort: 'createdAt' });
      for (const agent of page.items) {
        const policy = scheduleOf(agent) ? await this.deps.schedules.policy(agent.id) : null;
        if (this.plan(agent.id, agent, policy)) void this.track(this.catchUp(agent.id));
      }
      cursor = page.nextCursor;
    } while (cursor && !this.stopped);
  }

  /** Re-reads the agent and its policy and re-plans its job (new pattern or zone, paused, trashed…). */
  agentChanged(agentId: string): Promise<void> {
    const prev = this.replans.get(agentId) ?? Promise.resolve();
    // Never rejects: it is called from an event listener.
    const next = prev.then(async () => {
      if (this.stopped) return;
      let agent: Agent | null;
      let policy: SchedulePolicy | null = null;
      try {
        agent = await this.deps.agents.get(agentId);
        if (scheduleOf(agent)) policy = await this.deps.schedules.policy(agentId);
      } catch (err) {
        if (!isNotFound(err)) {
          this.deps.logger?.error(`scheduler: could not read agent ${agentId}; its schedule is unchanged`, err);
          return;
        }
        agent = null;
      }
      if (this.plan(agentId, agent, policy) && agent && policy) {
        // A new or changed pattern starts afresh from now (nothing counts as missed before it).
        await this.deps.schedules.state(agentId, scheduleOf(agent)!, this.now().toISOString()).catch(() => undefined);
      }
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
    this.stopping.abort();
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

  /** Returns true when a new job was made (a new, changed or re-zoned schedule). */
  private plan(agentId: string, agent: Agent | null, policy: SchedulePolicy | null): boolean {
    const pattern = this.stopped || policy?.paused ? null : scheduleOf(agent);
    const timezone = policy?.timezone ?? null;
    const current = this.jobs.get(agentId);
    // Same pattern and zone: keep the job (and its next fire); the fire reads the agent anew.
    if (current && current.pattern === pattern && current.timezone === timezone) return false;
    if (!current && !pattern) return false;
    current?.job.stop();
    this.jobs.delete(agentId);
    if (!pattern) return false;
    try {
      this.jobs.set(agentId, { pattern, timezone, job: this.createJob(pattern, (at) => this.fire(agentId, at), { timezone }) });
      return true;
    } catch (err) {
      // Patterns are validated on save; this is an imported or hand-edited row.
      this.deps.logger?.warn?.(`scheduler: agent ${agentId} has an unusable schedule "${pattern}"; it will not run on a schedule`, err);
      return false;
    }
  }

  /** At start: the times that fell due while Paddock was closed, handled by the agent's policy. */
  private async catchUp(agentId: string): Promise<void> {
    const planned = this.jobs.get(agentId);
    if (!planned) return;
    try {
      const now = this.now();
      const state = await this.deps.schedules.state(agentId, planned.pattern, now.toISOString());
      const { times, dropped } = occurrencesBetween(planned.pattern, planned.timezone, new Date(state.since ?? now.toISOString()), now);
      const { run, missed } = planMissed(times, state.missedPolicy, state.catchupLimit);
      const note = `Paddock was not running at this time (policy: ${state.missedPolicy}).${dropped > 0 ? ` ${dropped} earlier missed times are not listed.` : ''}`;
      if (await this.deps.schedules.recordMissed(agentId, missed, { instanceId: this.instanceId, now: now.toISOString(), note })) this.changed(agentId);
      for (const at of run) {
        const outcome = await this.fire(agentId, new Date(at));
        if (outcome.kind === 'started') await this.untilStopped(this.deps.runtime.idle?.(outcome.sessionId));
        if (this.stopped) return;
      }
    } catch (err) {
      this.deps.logger?.error(`scheduler: could not handle the missed runs of agent ${agentId}`, err);
    }
  }

  private fire(agentId: string, scheduledAt?: Date): Promise<FireOutcome> {
    return this.track(
      this.runFire(agentId, scheduledAt ?? this.now()).then((outcome) => {
        if (outcome.kind !== 'ignored') this.changed(agentId);
        try {
          this.deps.onFire?.(outcome);
        } catch (err) {
          this.deps.logger?.error('scheduler: onFire listener threw', err);
        }
        return outcome;
      }),
    );
  }

  private changed(agentId: string): void {
    // Not `schedules.changed`: that one re-plans, and history updates need no re-plan.
    this.deps.onHistory?.(agentId);
  }

  private claimOpts(checkOverlap: boolean) {
    const now = this.now();
    const grace = this.deps.claimGraceMs ?? DEFAULT_CLAIM_GRACE_MS;
    return { instanceId: this.instanceId, now: now.toISOString(), freshSince: new Date(now.getTime() - grace).toISOString(), checkOverlap };
  }

  private async runFire(agentId: string, scheduledAt: Date): Promise<FireOutcome> {
    if (this.stopped || !this.jobs.has(agentId)) return { kind: 'ignored', agentId, reason: 'not scheduled' };
    const at = scheduledAt.toISOString();
    const previous = this.lastRun.get(agentId) ?? null;
    if (this.firing.has(agentId)) {
      // A second tick for the very time being started is the same run, not an overlap to record.
      return this.skip(agentId, at, previous, this.firing.get(agentId) === at);
    }
    this.firing.set(agentId, at);
    let sessionId: string | null = null;
    let runId: string | null = null;
    try {
      if (previous && (await this.stillGoing(previous))) return await this.skip(agentId, at, previous);
      // The job may be a tick behind an edit or a delete whose event is still being handled.
      let agent: Agent | null;
      try {
        agent = await this.deps.agents.get(agentId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        agent = null;
      }
      const pattern = scheduleOf(agent);
      if (!pattern || this.stopped) return { kind: 'ignored', agentId, reason: 'agent no longer scheduled' };
      await this.recordGap(agentId, pattern, scheduledAt);
      // Another Paddock's claim may hold the write lock for a moment: wait, never fail the fire for it.
      const claim = await retryWhileBusy(() => this.deps.schedules.claim(agentId, at, this.claimOpts(true)), { maxWaitMs: CLAIM_BUSY_WAIT_MS });
      if (claim.kind === 'taken') return { kind: 'taken', agentId, scheduledAt: at };
      if (claim.kind === 'overlap') return this.skip(agentId, at, claim.runningSessionId, true);
      runId = claim.runId;
      await this.deps.afterClaim?.(agentId, at);
      const message = scheduledMessage(agent!);
      const session = await this.deps.sessions.create({ agentId, name: scheduledRunName(scheduledAt), goal: message });
      sessionId = session.id;
      this.lastRun.set(agentId, session.id);
      await this.deps.schedules.markStarted(runId, session.id);
      await this.deps.runtime.start({ sessionId: session.id, message, unattended: true });
      return { kind: 'started', agentId, sessionId: session.id };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.deps.logger?.error(`scheduler: the scheduled run of agent ${agentId} could not start`, err);
      if (runId) await this.deps.schedules.markFailed(runId, error, sessionId).catch(() => undefined);
      return { kind: 'failed', agentId, sessionId, error };
    } finally {
      this.firing.delete(agentId);
    }
  }

  /**
   * Whether this instance's previous run of the agent is still going. The runtime holds a run
   * until its last clean-up step, a moment after the session has ended; the stored status says
   * whether it is still running (or waiting for the user), so a time that falls due in that
   * moment is not skipped as an overlap.
   */
  private async stillGoing(sessionId: string): Promise<boolean> {
    if (!this.deps.runtime.isRunning(sessionId)) return false;
    const session = await this.deps.sessions.get(sessionId).catch(() => null);
    return session !== null && (session.status === 'running' || session.status === 'waiting_for_user_input');
  }

  /** Times between the last one dealt with and this fire (the machine slept): recorded as missed. */
  private async recordGap(agentId: string, pattern: string, scheduledAt: Date): Promise<void> {
    const planned = this.jobs.get(agentId);
    const state = await this.deps.schedules.state(agentId, pattern, this.now().toISOString());
    if (!state.since) return;
    const { times } = occurrencesBetween(pattern, planned?.timezone ?? null, new Date(state.since), new Date(scheduledAt.getTime() - 1));
    if (times.length === 0) return;
    await this.deps.schedules.recordMissed(agentId, times, { instanceId: this.instanceId, now: this.now().toISOString(), note: 'Paddock was not running at this time (asleep or busy); a later run covered it.' });
  }

  private async skip(agentId: string, at: string, runningSessionId: string | null, recorded = false): Promise<FireOutcome> {
    this.skipped.set(agentId, (this.skipped.get(agentId) ?? 0) + 1);
    this.deps.logger?.warn?.(`scheduler: skipped a scheduled run of agent ${agentId}: its previous run (session ${runningSessionId ?? 'being started'}) is still going`);
    if (!recorded) await this.deps.schedules.recordSkipped?.(agentId, at, { instanceId: this.instanceId, now: this.now().toISOString() }).catch(() => undefined);
    return { kind: 'skipped', agentId, runningSessionId };
  }

  /** Waits for `p`, or less when the scheduler stops (shutdown never waits for a whole run). */
  private untilStopped(p: Promise<unknown> | undefined): Promise<void> {
    const signal = this.stopping.signal;
    if (!p || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      p.then(() => resolve(), () => resolve());
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }
}
