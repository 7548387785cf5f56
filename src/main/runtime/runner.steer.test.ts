import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, shape, type Harness } from './testing/harness';
import { byKind, requestBody, until } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => requestBody(h!, i);

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('steering a running agent', () => {
  it('a message sent mid-step is pending until the next model call, which reads it; the run never stops', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'bypassPermissions' });
    const step1 = gate();
    h.server.push(
      { parts: [{ type: 'text', text: 'Listing.' }, { type: 'tool_call', name: 'list_directory', args: {} }], holdUntil: step1.promise },
      { parts: [{ type: 'text', text: 'Brief: done.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'look around' });
    await h.server.waitForRequests(1);
    const ack = await h.runtime.send({ sessionId: s.id, message: 'be brief' });
    // Logged at once, marked as not sent yet; the run goes on.
    let steer = (await h.tree(s.id)).find((n) => n.id === ack.nodeId)!;
    expect(steer).toMatchObject({ kind: 'user_message', status: 'streaming', content: 'be brief', metadata: { steer: true } });
    expect((await h.repo.sessions.get(s.id)).status).toBe('running');
    expect(h.server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    step1.open();
    await h.waitForStatus(s.id, 'completed', 'failed', 'stopped');
    const sent = JSON.parse(body(1)) as { messages: { role: string; content: unknown }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(sent.messages.at(-1)!.content).toBe('be brief');
    // Only the next request has it: the first one was already under way.
    expect(body(0)).not.toContain('be brief');

    const nodes = await h.tree(s.id);
    steer = nodes.find((n) => n.id === ack.nodeId)!;
    expect(steer).toMatchObject({ status: 'complete', metadata: expect.objectContaining({ steer: true, sentBeforeStep: 2 }) });
    // It ended when the model got it: after the tool ran, before the answer began.
    const observation = byKind(nodes, 'observation')[0]!;
    const answer = byKind(nodes, 'assistant_message')[1]!;
    expect(steer.endedAt! >= observation.endedAt!).toBe(true);
    expect(steer.endedAt! <= answer.startedAt).toBe(true);
    expect(shape(nodes)).toEqual([
      'user_message:complete',
      '  assistant_message:complete',
      '    action:complete(list_directory)',
      '      observation:complete(list_directory)',
      'user_message:complete',
      '  assistant_message:complete',
    ]);
  });

  it('a message sent as the run decides to end is not lost: it starts the next run', async () => {
    h = await createHarness();
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'First answer.' }] }, { parts: [{ type: 'text', text: 'Second answer.' }] });
    let sent: Promise<unknown> | null = null;
    // The moment the session says completed, the run is still winding down.
    const off = h.onEvent((event, payload) => {
      const p = payload as { sessionId: string; to: string };
      if (event === 'sessions.statusChanged' && p.sessionId === s.id && p.to === 'completed' && !sent) sent = h!.runtime.send({ sessionId: s.id, message: 'one more thing' });
    });
    await h.runtime.start({ sessionId: s.id, message: 'hello' });
    await until(async () => sent);
    await sent;
    off();
    await h.server.waitForRequests(2);
    await h.runtime.idle(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('completed');
    expect(body(1)).toContain('one more thing');
    expect(shape(await h.tree(s.id))).toEqual(['user_message:complete', '  assistant_message:complete', 'user_message:complete', '  assistant_message:complete']);
  });

  it('a steer the run never reached (it was stopped) is kept and sent by the resume', async () => {
    h = await createHarness({ kind: 'anthropic' });
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'Thinking about it' }], hang: true });
    await h.runtime.start({ sessionId: s.id, message: 'plan a trip' });
    await until(async () => (await h!.tree(s.id)).find((n) => n.kind === 'assistant_message' && n.content === 'Thinking about it'));
    const ack = await h.runtime.send({ sessionId: s.id, message: 'to Lisbon' });
    await h.runtime.stop(s.id);
    expect((await h.tree(s.id)).find((n) => n.id === ack.nodeId)).toMatchObject({ status: 'complete', metadata: { steer: true, unsent: true } });
    h.server.push({ parts: [{ type: 'text', text: 'Lisbon it is.' }] });
    await h.runtime.resume(s.id);
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(body(1)).toContain('to Lisbon');
  });
});
