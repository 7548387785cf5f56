// `schedules.history` through the core: the event the run history view reloads on. A scheduled
// run announces its claim and start, and every status change of its session up to its end; a
// session started by hand announces nothing. Jobs are fired by hand (no wall clock).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, Session } from '../../../shared/domain';
import { domains, type Envelope, type EventPayload } from '../../../shared/ipc';
import type { Provider } from '../../../shared/ipc/channels/providers';
import { createPaddockCore, type PaddockCore } from '../../core';
import type { CreateJob, FireOutcome } from '../scheduler';
import { startProviderServer, type ProviderServer } from '../testing/providerServer';

let core: PaddockCore | undefined;
let server: ProviderServer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const env: Envelope = await core!.dispatch(channel, input);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.data as T;
}

/** Resolves with the first event that `match` accepts (events are signals: no sleeps). */
function nextEvent<T>(match: (event: string, payload: unknown) => T | undefined): Promise<T> {
  return new Promise<T>((resolve) => {
    const off = core!.subscribe((event, payload) => {
      const hit = match(event, payload);
      if (hit !== undefined) {
        off();
        resolve(hit);
      }
    });
  });
}

type History = EventPayload<'schedules.history'>;

describe('schedules.history', () => {
  it('announces a scheduled run when it is claimed, starts and ends; a run by hand announces nothing', async () => {
    server = await startProviderServer({ models: ['test-model'] });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-history-'));
    const fires: Array<() => Promise<FireOutcome>> = [];
    let planned!: () => void;
    const isPlanned = new Promise<void>((resolve) => (planned = resolve));
    const createJob: CreateJob = (_pattern, fire) => {
      fires.push(fire);
      planned();
      return { stop: () => undefined, nextRun: () => null };
    };
    core = await createPaddockCore({ dataDir, host: 'browser', logger: { error: () => {}, warn: () => {} }, runtime: { maxRetries: 0, scheduler: { createJob } } });
    const provider = await call<Provider>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, models: [{ id: 'test-model' }] });
    const agent = await call<Agent>('agents.create', { name: 'Nightly', model: `${provider.id}:test-model`, schedule: '0 2 * * *' });
    await isPlanned;

    const history: History[] = [];
    // Two announcements of the scheduled session (its start and its end) are the signal to check.
    let scheduledId: string | null = null;
    let seenTwice!: () => void;
    const twice = new Promise<void>((resolve) => (seenTwice = resolve));
    core.subscribe((event, payload) => {
      if (event !== 'schedules.history') return;
      history.push(payload as History);
      if (scheduledId && history.filter((p) => p.sessionId === scheduledId).length === 2) seenTwice();
    });
    // A run by hand first: its status changes are not a scheduled run's.
    server.push({ parts: [{ type: 'text', text: 'by hand' }] });
    const byHand = await call<Session>('sessions.create', { agentId: agent.id });
    const handDone = nextEvent((e, p) => (e === 'sessions.statusChanged' && (p as { sessionId: string; to: string }).sessionId === byHand.id && (p as { to: string }).to === 'completed' ? true : undefined));
    await call('sessions.start', { sessionId: byHand.id, message: 'hi' });
    await handDone;

    server.push({ parts: [{ type: 'text', text: 'Nightly report done.' }] });
    const outcome = (await fires[0]!()) as Extract<FireOutcome, { kind: 'started' }>;
    expect(outcome.kind).toBe('started');
    scheduledId = outcome.sessionId;
    if (history.filter((p) => p.sessionId === scheduledId).length >= 2) seenTwice();
    await twice;
    expect((await call<Session>('sessions.get', { id: outcome.sessionId })).status).toBe('completed');

    // Every event is the contract's payload, names this agent, and none is about the run by hand.
    const schema = domains.schedules.events.history.payload;
    for (const p of history) expect(schema.parse(p)).toEqual(p);
    expect(history.every((p) => p.agentId === agent.id)).toBe(true);
    expect(history.some((p) => p.sessionId === byHand.id)).toBe(false);
    // The claim/start (recorded by the scheduler) and the session's start and end.
    expect(history.some((p) => p.sessionId === null)).toBe(true);
    expect(history.filter((p) => p.sessionId === outcome.sessionId)).toHaveLength(2);
  });
});
