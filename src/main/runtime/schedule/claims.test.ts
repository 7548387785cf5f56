// Exactly-once scheduled runs, missed-run policies and time zones, on a controllable clock: each
// scheduler gets `now` from the test, jobs are fired by hand with their scheduled time, and
// "restart", "crash" and "a second Paddock" are further schedulers on the same database file
// (the second Paddock through its own client, i.e. its own connections).
import type { Client } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../../shared/domain';
import type { MissedPolicy } from '../../../shared/ipc/channels/schedules';
import { openClient } from '../../db/connection';
import { EventBus } from '../../ipc/events';
import { createRepositories, type Repositories } from '../../repositories';
import { ImportsRepository } from '../../repositories/imports';
import { SessionsService } from '../../services';
import { AgentScheduler, type CreateJob, type FireOutcome } from '../scheduler';
import { createHarness, type Harness } from '../testing/harness';
import { occurrencesBetween } from './occurrences';

let h: Harness | undefined;
const clients: Client[] = [];
const schedulers: AgentScheduler[] = [];

afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  await h?.cleanup();
  for (const c of clients.splice(0)) c.close();
  h = undefined;
});

const quiet = { error: () => undefined, warn: () => undefined };

interface Instance {
  scheduler: AgentScheduler;
  repos: Repositories;
  /** Fires the agent's live job for this scheduled time. */
  fire(agentId: string, at: string): Promise<FireOutcome>;
  live(agentId: string): boolean;
}

/** A Paddock's scheduler. `own`: through a client of its own (a second process on the same file). */
async function instance(x: Harness, clock: { now: Date }, opts: { own?: boolean; afterClaim?: () => Promise<void>; track?: boolean; runtime?: Harness['runtime'] } = {}): Promise<Instance> {
  let client = x.repo.client;
  if (opts.own) {
    client = await openClient({ url: x.repo.db.url });
    clients.push(client);
  }
  const repos = createRepositories(client);
  const events = new EventBus(quiet);
  const sessions = new SessionsService({ sessions: repos.sessions, agents: repos.agents, logs: x.logs, imports: new ImportsRepository(client), events });
  const jobs = new Map<string, { fire: (at?: Date) => Promise<FireOutcome>; stopped: boolean }>();
  const createJob: CreateJob = (_pattern, fire) => {
    const job = { fire, stopped: false };
    const key = [...jobs.keys()].length.toString();
    jobs.set(key, job);
    return { stop: () => void (job.stopped = true), nextRun: () => null };
  };
  const byAgent = new Map<string, string>();
  const scheduler = new AgentScheduler({
    agents: repos.agents,
    schedules: repos.schedules,
    sessions,
    runtime: opts.runtime ?? x.runtime,
    createJob: (pattern, fire, o) => {
      const job = createJob(pattern, fire, o);
      byAgent.set(pattern, String(jobs.size - 1));
      return job;
    },
    now: () => clock.now,
    logger: quiet,
    ...(opts.afterClaim ? { afterClaim: opts.afterClaim } : {}),
  });
  if (opts.track !== false) schedulers.push(scheduler);
  const jobFor = async (agentId: string) => {
    const a = await repos.agents.get(agentId);
    const job = jobs.get(byAgent.get(a.schedule!) ?? '');
    if (!job || job.stopped) throw new Error('no live job for this agent');
    return job;
  };
  return {
    scheduler,
    repos,
    fire: async (agentId, at) => (await jobFor(agentId)).fire(new Date(at)),
    live: (agentId) => {
      void agentId;
      return [...jobs.values()].some((j) => !j.stopped);
    },
  };
}

async function scheduledAgent(x: Harness, schedule: string, policy: { missedPolicy?: MissedPolicy; catchupLimit?: number; timezone?: string | null } = {}): Promise<Agent> {
  const agent = await x.repo.agents.create({ name: `sched ${Math.random().toString(36).slice(2, 8)}`, model: `${x.providerId}:test-model`, accessiblePaths: [x.workDir], permissionMode: 'ask', schedule });
  await x.repo.schedules.savePolicy({ agentId: agent.id, missedPolicy: policy.missedPolicy ?? 'skip', catchupLimit: policy.catchupLimit ?? 3, timezone: policy.timezone === undefined ? 'UTC' : policy.timezone, paused: false }, new Date(0).toISOString());
  return agent;
}

const history = async (x: Harness, agentId: string) => (await x.repo.schedules.history(agentId, 100)).reverse().map((r) => `${r.scheduledAt} ${r.status}`);
const sessionsOf = async (x: Harness, agentId: string) => (await x.repo.sessions.list({ agentId, sort: 'createdAt', order: 'asc' })).items;

describe('exactly once', () => {
  it('a scheduled time that ran is not run again after a restart', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.000Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    const first = await instance(h, clock);
    await first.scheduler.start();
    clock.now = new Date('2026-01-05T11:00:00.200Z');
    h.server.push({ parts: [{ type: 'text', text: 'Run at 11.' }] });
    const ran = await first.fire(agent.id, '2026-01-05T11:00:00.000Z');
    expect(ran.kind).toBe('started');
    await h.waitForStatus((ran as { sessionId: string }).sessionId, 'completed', 'failed');
    await first.scheduler.stop();

    // The next process: its croner fires the same time again (e.g. it started within that second).
    clock.now = new Date('2026-01-05T11:00:30.000Z');
    const second = await instance(h, clock);
    await second.scheduler.start();
    expect(await second.fire(agent.id, '2026-01-05T11:00:00.000Z')).toEqual({ kind: 'taken', agentId: agent.id, scheduledAt: '2026-01-05T11:00:00.000Z' });
    expect(await sessionsOf(h, agent.id)).toHaveLength(1);
    expect(await history(h, agent.id)).toEqual(['2026-01-05T11:00:00.000Z started']);
  });

  it('a process that dies between claiming and starting: the time is never run, and is recorded as abandoned', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.000Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    // The "crash": after its claim committed, this process never gets any further.
    const dying = await instance(h, clock, { track: false, afterClaim: () => (claimed(), new Promise<void>(() => undefined)) });
    await dying.scheduler.start();
    clock.now = new Date('2026-01-05T11:00:00.100Z');
    void dying.fire(agent.id, '2026-01-05T11:00:00.000Z');
    await isClaimed;

    // Five minutes later, the next Paddock (its own connections) starts on the same file.
    clock.now = new Date('2026-01-05T11:05:00.000Z');
    const next = await instance(h, clock, { own: true });
    await next.scheduler.start();
    expect(await next.fire(agent.id, '2026-01-05T11:00:00.000Z')).toMatchObject({ kind: 'taken' });
    expect(await sessionsOf(h, agent.id)).toEqual([]);
    const [row] = await h.repo.schedules.history(agent.id, 10);
    expect(row).toMatchObject({ status: 'abandoned', sessionId: null });
    expect(row!.note).toContain('not run again');
  });

  it('two Paddocks on one database file run each scheduled time once', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.000Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    const a = await instance(h, clock);
    const b = await instance(h, clock, { own: true });
    await a.scheduler.start();
    await b.scheduler.start();
    for (let hour = 11; hour <= 15; hour++) {
      const at = `2026-01-05T${hour}:00:00.000Z`;
      clock.now = new Date(Date.parse(at) + 50);
      h.server.push({ parts: [{ type: 'text', text: `Run at ${hour}.` }] });
      const outcomes = await Promise.all([a.fire(agent.id, at), b.fire(agent.id, at)]);
      const started = outcomes.filter((o) => o.kind === 'started');
      expect(started, JSON.stringify(outcomes)).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind !== 'started').every((o) => o.kind === 'taken' || o.kind === 'skipped'), JSON.stringify(outcomes)).toBe(true);
      await h.waitForStatus((started[0] as { sessionId: string }).sessionId, 'completed', 'failed');
    }
    expect(await sessionsOf(h, agent.id)).toHaveLength(5);
    expect((await history(h, agent.id)).every((r) => r.endsWith('started'))).toBe(true);
  });

  it('a time that falls due while the ended previous run is still being cleaned up runs', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.000Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    // The runtime holds a run until its last clean-up step, a moment after the session ended:
    // here that moment never ends.
    const runtime = h.runtime;
    const lingering = Object.assign(Object.create(Object.getPrototypeOf(runtime)) as typeof runtime, runtime, { isRunning: () => true });
    const a = await instance(h, clock, { runtime: lingering });
    await a.scheduler.start();
    for (const hour of [11, 12]) {
      const at = `2026-01-05T${hour}:00:00.000Z`;
      clock.now = new Date(Date.parse(at) + 50);
      h.server.push({ parts: [{ type: 'text', text: `Run at ${hour}.` }] });
      const outcome = await a.fire(agent.id, at);
      expect(outcome.kind, JSON.stringify(outcome)).toBe('started');
      await h.waitForStatus((outcome as { sessionId: string }).sessionId, 'completed', 'failed');
    }
    expect((await history(h, agent.id)).map((r) => r.split(' ')[1])).toEqual(['started', 'started']);
  });

  it('a fire while the previous scheduled run is still going (in the other Paddock) is skipped and recorded', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.000Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    const a = await instance(h, clock);
    const b = await instance(h, clock, { own: true });
    await a.scheduler.start();
    await b.scheduler.start();
    h.server.push({ parts: [{ type: 'text', text: 'still working' }], hang: true });
    clock.now = new Date('2026-01-05T11:00:00.050Z');
    const first = (await a.fire(agent.id, '2026-01-05T11:00:00.000Z')) as { kind: string; sessionId: string };
    expect(first.kind).toBe('started');
    await h.server.waitForRequests(1);
    clock.now = new Date('2026-01-05T12:00:00.050Z');
    expect(await b.fire(agent.id, '2026-01-05T12:00:00.000Z')).toEqual({ kind: 'skipped', agentId: agent.id, runningSessionId: first.sessionId });
    const rows = await h.repo.schedules.history(agent.id, 10);
    expect(rows[0]).toMatchObject({ scheduledAt: '2026-01-05T12:00:00.000Z', status: 'skipped', note: 'The previous scheduled run was still going.' });
    await h.runtime.stop(first.sessionId);
  });
});

describe('missed runs', () => {
  async function closedFiveHours(policy: MissedPolicy, catchupLimit = 3) {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.500Z') };
    const agent = await scheduledAgent(h, '0 * * * *', { missedPolicy: policy, catchupLimit });
    const before = await instance(h, clock);
    await before.scheduler.start();
    await before.scheduler.stop();
    // Closed from 10:00 to 15:30: 11, 12, 13, 14 and 15 o'clock were missed.
    clock.now = new Date('2026-01-05T15:30:00.000Z');
    for (let i = 0; i < 5; i++) h.server.push({ parts: [{ type: 'text', text: `catch-up ${i}` }] });
    const after = await instance(h, clock);
    await after.scheduler.start();
    await after.scheduler.idle();
    return { agent, rows: await history(h, agent.id), sessions: await sessionsOf(h, agent.id) };
  }

  it('skip: every missed time is recorded as missed, nothing runs', async () => {
    const { rows, sessions } = await closedFiveHours('skip');
    expect(rows).toEqual(['11', '12', '13', '14', '15'].map((hh) => `2026-01-05T${hh}:00:00.000Z missed`));
    expect(sessions).toEqual([]);
  });

  it('run once: the newest missed time runs, the others are recorded as missed', async () => {
    const { rows, sessions } = await closedFiveHours('once');
    expect(rows).toEqual([...['11', '12', '13', '14'].map((hh) => `2026-01-05T${hh}:00:00.000Z missed`), '2026-01-05T15:00:00.000Z started']);
    expect(sessions).toHaveLength(1);
  });

  it('catch up (bounded): the newest N run one after another, older ones are missed', async () => {
    const { rows, sessions } = await closedFiveHours('catchup', 3);
    expect(rows).toEqual([
      '2026-01-05T11:00:00.000Z missed',
      '2026-01-05T12:00:00.000Z missed',
      '2026-01-05T13:00:00.000Z started',
      '2026-01-05T14:00:00.000Z started',
      '2026-01-05T15:00:00.000Z started',
    ]);
    expect(sessions).toHaveLength(3);
    const full = await Promise.all(sessions.map((s) => h!.repo.sessions.get(s.id)));
    expect(full.every((s) => s.status === 'completed')).toBe(true);
    // One after another: each started after the previous one ended.
    for (let i = 1; i < full.length; i++) expect(full[i]!.startedAt! >= full[i - 1]!.endedAt!).toBe(true);
  });

  it('a paused schedule does not run, and what fell due while paused is not "missed" after resuming', async () => {
    h = await createHarness();
    const clock = { now: new Date('2026-01-05T10:00:00.500Z') };
    const agent = await scheduledAgent(h, '0 * * * *');
    const one = await instance(h, clock);
    await one.scheduler.start();
    expect(one.live(agent.id)).toBe(true);
    await h.repo.schedules.savePolicy({ agentId: agent.id, missedPolicy: 'once', catchupLimit: 3, timezone: 'UTC', paused: true }, clock.now.toISOString());
    await one.scheduler.agentChanged(agent.id);
    expect(one.live(agent.id)).toBe(false);
    clock.now = new Date('2026-01-05T15:30:00.000Z');
    await h.repo.schedules.savePolicy({ agentId: agent.id, missedPolicy: 'once', catchupLimit: 3, timezone: 'UTC', paused: false }, clock.now.toISOString());
    await one.scheduler.agentChanged(agent.id);
    expect(one.live(agent.id)).toBe(true);
    await one.scheduler.stop();
    clock.now = new Date('2026-01-05T15:45:00.000Z');
    const two = await instance(h, clock);
    await two.scheduler.start();
    await two.scheduler.idle();
    expect(await history(h, agent.id)).toEqual([]);
  });
});

describe('time zones and daylight saving', () => {
  async function missedAcross(timezone: string, pattern: string, from: string, to: string) {
    h ??= await createHarness();
    const clock = { now: new Date(from) };
    const agent = await scheduledAgent(h, pattern, { missedPolicy: 'skip', timezone });
    const before = await instance(h, clock);
    await before.scheduler.start();
    await before.scheduler.stop();
    clock.now = new Date(to);
    const after = await instance(h, clock);
    await after.scheduler.start();
    await after.scheduler.idle();
    return history(h, agent.id);
  }

  it('02:30 Berlin time: once on the spring-forward day (moved to 03:30), once on the fall-back day', async () => {
    expect(await missedAcross('Europe/Berlin', '30 2 * * *', '2026-03-28T12:00:00.000Z', '2026-03-30T12:00:00.000Z')).toEqual([
      '2026-03-29T01:30:00.000Z missed', // 03:30 CEST: 02:30 did not exist that night
      '2026-03-30T00:30:00.000Z missed', // 02:30 CEST
    ]);
    expect(await missedAcross('Europe/Berlin', '30 2 * * *', '2026-10-24T12:00:00.000Z', '2026-10-26T12:00:00.000Z')).toEqual([
      '2026-10-25T01:30:00.000Z missed', // 02:30 happened twice that night; it runs once
      '2026-10-26T01:30:00.000Z missed', // 02:30 CET
    ]);
  });

  it('09:00 New York time keeps its wall time across the change; the same pattern in UTC does not', async () => {
    expect(await missedAcross('America/New_York', '0 9 * * *', '2026-03-07T00:00:00.000Z', '2026-03-10T00:00:00.000Z')).toEqual([
      '2026-03-07T14:00:00.000Z missed',
      '2026-03-08T13:00:00.000Z missed',
      '2026-03-09T13:00:00.000Z missed',
    ]);
    expect(occurrencesBetween('0 9 * * *', 'UTC', new Date('2026-03-07T00:00:00.000Z'), new Date('2026-03-10T00:00:00.000Z')).times).toEqual([
      '2026-03-07T09:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
    ]);
  });
});
