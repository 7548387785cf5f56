// The scheduler over the real runtime: a migrated file database, the real repositories and
// services (so agent edits arrive as `agents.changed` events), and the provider test server.
// Jobs are fired by hand through an injected factory, except one test on real croner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, AgentConfig, SessionStatus, SessionWithConfig } from '../../shared/domain';
import type { Envelope } from '../../shared/ipc';
import type { Provider } from '../../shared/ipc/channels/providers';
import { createPaddockCore, type PaddockCore } from '../core';
import type { IpcLogger } from '../ipc/errors';
import { EventBus } from '../ipc/events';
import { ImportsRepository } from '../repositories/imports';
import { AgentsService, SessionsService } from '../services';
import { AgentScheduler, DEFAULT_SCHEDULED_MESSAGE, type CreateJob, type FireOutcome } from './scheduler';
import { createHarness, shape, type Harness } from './testing/harness';
import { startProviderServer, type ProviderServer } from './testing/providerServer';

interface ManualJob {
  pattern: string;
  fire: () => Promise<FireOutcome>;
  stopped: boolean;
}

/** A job factory whose jobs the test fires itself: no wall-clock waits. */
function manualJobs() {
  const jobs: ManualJob[] = [];
  const createJob: CreateJob = (pattern, fire) => {
    const job: ManualJob = { pattern, fire, stopped: false };
    jobs.push(job);
    return { stop: () => void (job.stopped = true), nextRun: () => null };
  };
  return { jobs, createJob, live: () => jobs.filter((j) => !j.stopped) };
}

function capturingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger: IpcLogger = { error: (m) => void errors.push(m), warn: (m) => void warnings.push(m) };
  return { logger, warnings, errors };
}

/** Rejects instead of hanging when the awaited thing never happens. */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface Rig {
  h: Harness;
  agents: AgentsService;
  scheduler: AgentScheduler;
  jobs: ReturnType<typeof manualJobs>;
  log: ReturnType<typeof capturingLogger>;
  newAgent(config?: Partial<AgentConfig>): Promise<Agent>;
  sessionsOf(agentId: string): Promise<SessionWithConfig[]>;
}

let rig: Rig | undefined;
let core: PaddockCore | undefined;
let server: ProviderServer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await rig?.scheduler.stop();
  await rig?.h.cleanup();
  rig = undefined;
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function setup(opts: { createJob?: CreateJob | 'croner'; onFire?: (o: FireOutcome) => void; start?: boolean } = {}): Promise<Rig> {
  const h = await createHarness();
  const log = capturingLogger();
  const events = new EventBus(log.logger);
  const imports = new ImportsRepository(h.repo.client);
  const agents = new AgentsService({ agents: h.repo.agents, imports, events });
  const sessions = new SessionsService({ sessions: h.repo.sessions, agents: h.repo.agents, logs: h.logs, imports, events });
  const jobs = manualJobs();
  const scheduler = new AgentScheduler({
    agents: h.repo.agents,
    schedules: h.repo.schedules,
    sessions,
    runtime: h.runtime,
    events: events.subscribe,
    // 'croner': the scheduler's default factory, on the wall clock.
    ...(opts.createJob === 'croner' ? {} : { createJob: opts.createJob ?? jobs.createJob }),
    logger: log.logger,
    ...(opts.onFire ? { onFire: opts.onFire } : {}),
  });
  rig = {
    h,
    agents,
    scheduler,
    jobs,
    log,
    newAgent: async (config = {}) => {
      const agent = await agents.create({
        name: `scheduled ${Math.random().toString(36).slice(2, 8)}`,
        model: `${h.providerId}:test-model`,
        accessiblePaths: [h.workDir],
        builtinTools: ['read_file', 'list_directory', 'write_file', 'run_shell'],
        permissionMode: 'ask',
        schedule: '0 3 * * *',
        ...config,
      } as never);
      await scheduler.idle();
      return agent;
    },
    sessionsOf: async (agentId) => {
      const page = await h.repo.sessions.list({ agentId, sort: 'createdAt', order: 'asc' });
      return Promise.all(page.items.map((s) => h.repo.sessions.get(s.id)));
    },
  };
  if (opts.start !== false) await scheduler.start();
  return rig;
}

/** agents.changed is handled asynchronously; this waits until the re-plans it caused have run. */
async function settled(r: Rig): Promise<void> {
  await r.scheduler.idle();
}

describe('AgentScheduler (jobs fired by hand)', () => {
  it('plans at start only live agents with a schedule and a model', async () => {
    const r = await setup({ start: false });
    const a = await r.newAgent({ schedule: '*/5 * * * *' });
    await r.newAgent({ schedule: null });
    await r.newAgent({ model: null });
    const trashed = await r.newAgent();
    await r.agents.remove(trashed.id);
    await r.scheduler.start();
    expect(r.jobs.live().map((j) => j.pattern)).toEqual(['*/5 * * * *']);
    expect(r.scheduler.status()).toEqual([{ agentId: a.id, pattern: '*/5 * * * *', nextRunAt: null, lastSessionId: null, running: false, skipped: 0 }]);
  });

  it('a fire creates a session pinned to the current version and runs it unattended to completed', async () => {
    const r = await setup();
    const agent = await r.newAgent({ instructions: 'Report the weather.' });
    r.h.server.push({ parts: [{ type: 'text', text: 'Sunny.' }] });
    const outcome = await r.jobs.live()[0]!.fire();
    expect(outcome).toMatchObject({ kind: 'started', agentId: agent.id });
    const sessionId = (outcome as { sessionId: string }).sessionId;
    const done = await r.h.waitForStatus(sessionId, 'completed', 'failed');
    expect(done).toMatchObject({ status: 'completed', result: 'Sunny.', agentVersion: 1, goal: DEFAULT_SCHEDULED_MESSAGE });
    expect(done.name).toMatch(/^Scheduled run · /);
    expect(shape(await r.h.tree(sessionId))).toEqual(['user_message:complete', '  assistant_message:complete']);
    const sent = JSON.stringify(r.h.server.requests.filter((q) => q.method === 'POST')[0]!.body);
    expect(sent).toContain('Report the weather.');
    expect(sent).toContain(DEFAULT_SCHEDULED_MESSAGE);

    // An edit that keeps the pattern keeps the job; its next fire runs the new version, with the
    // agent's own scheduled message.
    const job = r.jobs.live()[0]!;
    await r.agents.update({ id: agent.id, patch: { instructions: 'Report the tides.', settings: { scheduledMessage: 'Tides for today?' } } } as never);
    await settled(r);
    expect(r.jobs.live()).toEqual([job]);
    r.h.server.push({ parts: [{ type: 'text', text: 'Low at noon.' }] });
    const second = (await job.fire()) as { sessionId: string };
    const again = await r.h.waitForStatus(second.sessionId, 'completed', 'failed');
    expect(again).toMatchObject({ status: 'completed', agentVersion: 2, goal: 'Tides for today?' });
    expect(again.effectiveConfig.instructions).toBe('Report the tides.');
    // The first run stays pinned to version 1.
    expect((await r.h.repo.sessions.get(sessionId)).effectiveConfig.instructions).toBe('Report the weather.');
    expect(JSON.stringify(r.h.server.requests.filter((q) => q.method === 'POST')[1]!.body)).toContain('Tides for today?');
  });

  it('a tool call that needs approval is denied after the timeout; the run ends instead of hanging', async () => {
    const r = await setup();
    await r.newAgent({ permissionMode: 'ask', settings: { approvalTimeoutMs: 50 } });
    r.h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch scheduled-nope' } }] }, { parts: [{ type: 'text', text: 'Could not run it.' }] });
    const { sessionId } = (await r.jobs.live()[0]!.fire()) as { sessionId: string };
    expect((await r.h.waitForStatus(sessionId, 'completed', 'failed')).status).toBe('completed');
    const action = (await r.h.tree(sessionId)).find((n) => n.kind === 'action')!;
    expect(action).toMatchObject({ status: 'denied', toolName: 'run_shell', metadata: expect.objectContaining({ deniedBy: 'timeout' }) });
    expect(fs.existsSync(path.join(r.h.workDir, 'scheduled-nope'))).toBe(false);
    const statuses = r.h.events
      .filter((e) => e.event === 'sessions.statusChanged' && (e.payload as { sessionId: string }).sessionId === sessionId)
      .map((e) => (e.payload as { to: SessionStatus }).to);
    expect(statuses).toEqual(['running', 'waiting_for_user_input', 'running', 'completed']);
  });

  it('never starts a second run of an agent while its previous scheduled run is going', async () => {
    const r = await setup();
    const agent = await r.newAgent({ permissionMode: 'bypassPermissions' });
    const job = r.jobs.live()[0]!;
    r.h.server.push({ parts: [{ type: 'text', text: 'Working on it' }], hang: true });
    // Two ticks at once: the second arrives while the first is still creating its session.
    const [first, racing] = await Promise.all([job.fire(), job.fire()]);
    expect(first.kind).toBe('started');
    expect(racing).toMatchObject({ kind: 'skipped', runningSessionId: null });
    const running = (first as { sessionId: string }).sessionId;
    // The model is streaming its (never-ending) answer.
    await r.h.server.waitForRequests(1);
    expect(r.h.runtime.isRunning(running)).toBe(true);
    expect(await job.fire()).toEqual({ kind: 'skipped', agentId: agent.id, runningSessionId: running });
    expect(await r.sessionsOf(agent.id)).toHaveLength(1);
    expect(r.log.warnings.filter((w) => w.includes('skipped'))).toHaveLength(2);
    expect(r.scheduler.status()[0]).toMatchObject({ running: true, skipped: 2, lastSessionId: running });

    // Once it has ended, the next tick runs again.
    await r.h.runtime.stop(running);

    r.h.server.push({ parts: [{ type: 'text', text: 'Next run.' }] });
    const next = (await job.fire()) as { kind: string; sessionId: string };
    expect(next.kind).toBe('started');
    expect((await r.h.waitForStatus(next.sessionId, 'completed', 'failed')).status).toBe('completed');
    expect((await r.sessionsOf(agent.id)).map((s) => s.status)).toEqual(['stopped', 'completed']);
  });

  it('re-plans when the schedule or the model changes', async () => {
    const r = await setup();
    const agent = await r.newAgent({ schedule: '0 3 * * *' });
    const [first] = r.jobs.live();
    await r.agents.update({ id: agent.id, patch: { schedule: '30 4 * * 1-5' } } as never);
    await settled(r);
    expect(first!.stopped).toBe(true);
    expect(r.jobs.live().map((j) => j.pattern)).toEqual(['30 4 * * 1-5']);

    await r.agents.update({ id: agent.id, patch: { schedule: null } } as never);
    await settled(r);
    expect(r.jobs.live()).toEqual([]);

    await r.agents.update({ id: agent.id, patch: { schedule: '@daily' } } as never);
    await settled(r);
    expect(r.jobs.live().map((j) => j.pattern)).toEqual(['@daily']);
    await r.agents.update({ id: agent.id, patch: { model: null } } as never);
    await settled(r);
    expect(r.jobs.live()).toEqual([]);
    // An agent created with a schedule is planned through the event alone.
    await r.newAgent({ schedule: '15 * * * *' });
    await settled(r);
    expect(r.jobs.live().map((j) => j.pattern)).toEqual(['15 * * * *']);
  });

  it('stops the job of a trashed or purged agent; a stale tick creates nothing', async () => {
    const r = await setup();
    const agent = await r.newAgent();
    const job = r.jobs.live()[0]!;
    await r.agents.remove(agent.id);
    await settled(r);
    expect(job.stopped).toBe(true);
    expect(r.jobs.live()).toEqual([]);
    // A tick that was already on its way when the agent went to the trash.
    expect(await job.fire()).toMatchObject({ kind: 'ignored' });
    expect(await r.sessionsOf(agent.id)).toEqual([]);

    await r.agents.restore(agent.id);
    await settled(r);
    expect(r.jobs.live()).toHaveLength(1);
    await r.agents.remove(agent.id);
    await r.agents.purge({ id: agent.id, cascade: true } as never);
    await settled(r);
    expect(r.jobs.live()).toEqual([]);
    expect(r.log.errors).toEqual([]);
  });

  it('stop() stops every job, and nothing is planned or started afterwards', async () => {
    const r = await setup();
    const a = await r.newAgent();
    await r.newAgent({ schedule: '*/10 * * * *' });
    expect(r.jobs.live()).toHaveLength(2);
    const jobs = r.jobs.live();
    await r.scheduler.stop();
    expect(r.jobs.live()).toEqual([]);
    expect(r.scheduler.status()).toEqual([]);
    await r.newAgent({ schedule: '0 1 * * *' });
    await r.agents.update({ id: a.id, patch: { schedule: '0 2 * * *' } } as never);
    await settled(r);
    expect(r.jobs.live()).toEqual([]);
    expect(await jobs[0]!.fire()).toMatchObject({ kind: 'ignored' });
    expect(await r.sessionsOf(a.id)).toEqual([]);
  });

  it('an unusable stored pattern is logged and skipped; the other agents are still planned', async () => {
    const inner = manualJobs();
    const picky: CreateJob = (pattern, fire) => {
      if (pattern === '@daily') throw new Error('no nicknames here');
      return inner.createJob(pattern, fire);
    };
    const r = await setup({ createJob: picky, start: false });
    await r.newAgent({ schedule: '@daily' });
    await r.newAgent({ schedule: '0 5 * * *' });
    await r.scheduler.start();
    expect(inner.live().map((j) => j.pattern)).toEqual(['0 5 * * *']);
    expect(r.log.warnings.some((w) => w.includes('unusable schedule "@daily"'))).toBe(true);
  });
});

describe('AgentScheduler on real croner', () => {
  it('fires a per-second schedule on the wall clock and runs the agent', async () => {
    let resolveFire!: (o: FireOutcome) => void;
    const fired = new Promise<FireOutcome>((resolve) => (resolveFire = resolve));
    const r = await setup({ createJob: 'croner', onFire: (o) => resolveFire(o), start: false });
    const agent = await r.newAgent({ schedule: '* * * * * *', permissionMode: 'bypassPermissions' });
    r.h.server.push({ parts: [{ type: 'text', text: 'Tick.' }] });
    await r.scheduler.start();
    const next = r.scheduler.status()[0]!.nextRunAt;
    expect(next).not.toBeNull();
    expect(Date.parse(next!)).toBeGreaterThan(Date.now() - 1000);
    const outcome = await within(5_000, fired, 'a real croner fire');
    expect(outcome).toMatchObject({ kind: 'started', agentId: agent.id });
    const done = await r.h.waitForStatus((outcome as { sessionId: string }).sessionId, 'completed', 'failed');
    expect(done).toMatchObject({ status: 'completed', result: 'Tick.' });
    await r.scheduler.stop();
    expect(r.scheduler.status()).toEqual([]);
  });
});

describe('the runtime plugin', () => {
  async function call<T>(channel: string, payload?: unknown): Promise<T> {
    const result: Envelope = await core!.dispatch(channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data as T;
  }

  it('plans scheduled agents from the contract, runs a fire, and stops its jobs on close', async () => {
    server = await startProviderServer({ apiKey: 'sk-plugin', models: ['test-model'] });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-sched-'));
    const jobs = manualJobs();
    let onPlanned!: () => void;
    const planned = new Promise<void>((resolve) => (onPlanned = resolve));
    const createJob: CreateJob = (pattern, fire) => {
      const job = jobs.createJob(pattern, fire);
      onPlanned();
      return job;
    };
    core = await createPaddockCore({
      dataDir,
      host: 'browser',
      logger: { error: () => {}, warn: () => {} },
      runtime: { maxRetries: 0, scheduler: { createJob } },
    });
    const provider = await call<Provider>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'sk-plugin', models: [{ id: 'test-model' }] });
    const agent = await call<Agent>('agents.create', { name: 'Nightly', model: `${provider.id}:test-model`, schedule: '0 2 * * *' });
    // The agents.changed listener re-plans asynchronously: wait for the job to be made.
    await within(5_000, planned, 'the job to be planned');
    expect(jobs.live().map((j) => j.pattern)).toEqual(['0 2 * * *']);

    const completed = new Promise<string>((resolve) => {
      core!.subscribe((event, payload) => {
        const p = payload as { sessionId: string; to: string };
        if (event === 'sessions.statusChanged' && p.to === 'completed') resolve(p.sessionId);
      });
    });
    server.push({ parts: [{ type: 'text', text: 'Nightly report done.' }] });
    const outcome = (await jobs.live()[0]!.fire()) as { kind: string; sessionId: string };
    expect(outcome.kind).toBe('started');
    expect(await within(5_000, completed, 'the scheduled run to complete')).toBe(outcome.sessionId);
    const session = await call<SessionWithConfig>('sessions.get', { id: outcome.sessionId });
    expect(session).toMatchObject({ agentId: agent.id, agentVersion: 1, status: 'completed', result: 'Nightly report done.' });

    const live = jobs.live();
    await core.close();
    core = undefined;
    expect(live.length).toBe(1);
    expect(live.every((j) => j.stopped)).toBe(true);
  });
});
