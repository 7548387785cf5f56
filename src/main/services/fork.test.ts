// Forking a session from a log entry, and the edit-and-resend that builds on it: a real run
// (runtime, log writer, provider test server), then the fork continued by a real run that must
// see the copied conversation and nothing after the fork point.
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { ImportsRepository } from '../repositories/imports';
import { createHarness, type Harness } from '../runtime/testing/harness';
import { SessionsService } from './sessions';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

async function twoTurns() {
  h = await createHarness();
  const sessions = new SessionsService({ sessions: h.repo.sessions, agents: h.repo.agents, logs: h.logs, imports: new ImportsRepository(h.repo.client), events: new EventBus({ error: () => undefined }) });
  const original = await h.newSession();
  h.server.push({ parts: [{ type: 'text', text: 'First answer.' }] });
  await h.runtime.start({ sessionId: original.id, message: 'First question' });
  await h.waitForStatus(original.id, 'completed');
  h.server.push({ parts: [{ type: 'text', text: 'Second answer.' }] });
  await h.runtime.send({ sessionId: original.id, message: 'Second question' });
  await h.waitForStatus(original.id, 'completed');
  return { h, sessions, original, tree: await h.tree(original.id) };
}

describe('fork', () => {
  it('copies the log through a node into a new child session and leaves the original alone', async () => {
    const { h, sessions, original, tree } = await twoTurns();
    const firstAnswer = tree.find((n) => n.kind === 'assistant_message' && n.content === 'First answer.')!;
    const fork = await sessions.fork({ sessionId: original.id, nodeId: firstAnswer.id, mode: 'through' });
    expect(fork.parentSessionId).toBe(original.id);
    expect(fork.agentVersionId).toBe(original.agentVersionId);
    expect(fork.name).toBe('test session (fork)');
    const copied = await h.tree(fork.id);
    const text = copied.map((n) => n.content).join('|');
    expect(text).toContain('First question');
    expect(text).toContain('First answer.');
    expect(text).not.toContain('Second');
    expect(copied.every((n) => !tree.some((o) => o.id === n.id))).toBe(true);
    expect(await h.tree(original.id)).toEqual(tree);

    // The fork continues from the copied conversation only.
    h.server.push({ parts: [{ type: 'text', text: 'Branch answer.' }] });
    await h.runtime.start({ sessionId: fork.id, message: 'A different second question' });
    await h.waitForStatus(fork.id, 'completed');
    const body = JSON.stringify(h.server.requests.at(-1)!.body);
    expect(body).toContain('First answer.');
    expect(body).toContain('A different second question');
    expect(body).not.toContain('Second answer.');
  });

  it("'before' a user message keeps only what came before it (edit & resend)", async () => {
    const { h, sessions, original, tree } = await twoTurns();
    const second = tree.find((n) => n.kind === 'user_message' && n.content === 'Second question')!;
    const fork = await sessions.fork({ sessionId: original.id, nodeId: second.id, mode: 'before', name: 'Edited' });
    const copied = await h.tree(fork.id);
    expect(copied.map((n) => n.content)).toContain('First answer.');
    expect(copied.some((n) => n.content === 'Second question')).toBe(false);
    expect(fork.name).toBe('Edited');
  });

  it('refuses a node of another session', async () => {
    const { h, sessions, original } = await twoTurns();
    const other = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'x' }] });
    await h.runtime.start({ sessionId: other.id, message: 'other' });
    await h.waitForStatus(other.id, 'completed');
    const foreign = (await h.tree(other.id))[0]!;
    await expect(sessions.fork({ sessionId: original.id, nodeId: foreign.id, mode: 'through' })).rejects.toThrow(/not in this session/);
  });
});
