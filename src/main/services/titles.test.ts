// Sessions name themselves from their first message: through a real run (runtime, log writer,
// its commit events), so the title comes from what the log actually recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { ImportsRepository } from '../repositories/imports';
import { createHarness, type Harness } from '../runtime/testing/harness';
import { publishLogCommit } from './logs';
import { SessionsService } from './sessions';
import { isAutomaticName, startSessionTitles, titleFromMessage } from './titles';

let h: Harness | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  await h?.cleanup();
  h = undefined;
});

describe('titleFromMessage', () => {
  it('takes the first non-empty line, collapsed, cut at a word near 60 characters', () => {
    expect(titleFromMessage('\n\n  Fix   the login bug \nmore')).toBe('Fix the login bug');
    expect(titleFromMessage('   \n ')).toBeNull();
    const long = titleFromMessage('Please read every file in the project and write a summary of what each module does for me');
    expect(long!.length).toBeLessThanOrEqual(60);
    expect(long).toBe('Please read every file in the project and write a summary…');
  });
});

async function rig() {
  h = await createHarness();
  const bus = new EventBus({ error: () => undefined });
  h.writer.on('commit', (commit) => publishLogCommit(bus, commit));
  const sessions = new SessionsService({ sessions: h.repo.sessions, agents: h.repo.agents, logs: h.logs, imports: new ImportsRepository(h.repo.client), events: bus });
  stop = startSessionTitles({ sessions, events: bus.subscribe, logger: { warn: () => undefined } });
  const changed = (sessionId: string) =>
    new Promise<void>((resolve) => {
      const off = bus.subscribe((event, payload) => {
        if (event === 'sessions.changed' && (payload as { sessionId: string }).sessionId === sessionId) {
          off();
          resolve();
        }
      });
    });
  return { h, sessions, changed };
}

describe('session titles', () => {
  it('names a "New session" after its first message and keeps the message as its goal', async () => {
    const { h, sessions, changed } = await rig();
    const agent = await h.repo.agents.create({ name: 'Titler', model: `${h.providerId}:test-model` });
    const session = await sessions.create({ agentId: agent.id });
    expect(session.name).toBe('New session');
    h.server.push({ parts: [{ type: 'text', text: 'Sure.' }] });
    const titled = changed(session.id);
    await h.runtime.start({ sessionId: session.id, message: 'Summarise the release notes\nfor version 2' });
    await titled;
    const after = await sessions.get(session.id);
    expect(after.name).toBe('Summarise the release notes');
    expect(after.goal).toBe('Summarise the release notes\nfor version 2');
    await h.waitForStatus(session.id, 'completed');
    // A second message never retitles.
    h.server.push({ parts: [{ type: 'text', text: 'Done.' }] });
    await h.runtime.send({ sessionId: session.id, message: 'Now something else entirely' });
    await h.waitForStatus(session.id, 'completed');
    expect((await sessions.get(session.id)).name).toBe('Summarise the release notes');
  });

  it('leaves a session the user named alone', async () => {
    const { h, sessions } = await rig();
    const agent = await h.repo.agents.create({ name: 'Titler', model: `${h.providerId}:test-model` });
    const session = await sessions.create({ agentId: agent.id, name: 'My own name' });
    h.server.push({ parts: [{ type: 'text', text: 'Sure.' }] });
    await h.runtime.start({ sessionId: session.id, message: 'Hello there' });
    await h.waitForStatus(session.id, 'completed');
    await h.writer.flush();
    // The goal is still filled in (the title is not): wait for that write, then check the name.
    await expect.poll(async () => (await sessions.get(session.id)).goal).toBe('Hello there');
    expect((await sessions.get(session.id)).name).toBe('My own name');
  });
});

describe('title refinement trigger', () => {
  it('asks for a refinement once per session, after a run completes, beside the run; a name Paddock gave stays automatic', async () => {
    const bus = new EventBus({ error: () => undefined });
    const asked: string[] = [];
    const off = startSessionTitles({
      sessions: { get: () => Promise.reject(new Error('unused')), update: () => Promise.reject(new Error('unused')) } as never,
      events: bus.subscribe,
      logger: { warn: () => undefined },
      refine: async (id) => void asked.push(id),
    });
    const emit = (sessionId: string, to: string) => bus.emit('sessions.statusChanged', { sessionId, to } as never);
    emit('a', 'running');
    emit('a', 'failed');
    emit('a', 'completed');
    emit('a', 'completed');
    emit('b', 'completed');
    off();
    emit('c', 'completed');
    expect(asked).toEqual(['a', 'b']);
    expect(isAutomaticName('New session', 'Fix the login bug')).toBe(true);
    expect(isAutomaticName('Fix the login bug', 'Fix the login bug\nplease')).toBe(true);
    expect(isAutomaticName('My name', 'Fix the login bug')).toBe(false);
  });
});
