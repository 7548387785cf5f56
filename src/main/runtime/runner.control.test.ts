import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { RESUME_NOTE } from './conversation';
import { createHarness, shape, type Harness } from './testing/harness';
import { byKind, requestBody, until } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => requestBody(h!, i);

describe('run control', () => {
  it('honours max steps', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'bypassPermissions', maxSteps: 2 });
    for (let i = 0; i < 3; i++) h.server.push({ parts: [{ type: 'tool_call', name: 'list_directory', args: {} }] });
    await h.runtime.start({ sessionId: s.id, message: 'loop forever' });
    const done = await h.waitForStatus(s.id, 'stopped', 'completed', 'failed');
    expect(done.status).toBe('stopped');
    expect(done.error).toMatch(/step limit \(2/);
    expect(h.server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(byKind(await h.tree(s.id), 'error')[0]!.metadata).toMatchObject({ reason: 'max_steps' });
  });

  it('stop mid-stream aborts the request, keeps the partial text, and resume continues', async () => {
    h = await createHarness({ kind: 'anthropic' });
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'Here is the first half of' }], hang: true });
    await h.runtime.start({ sessionId: s.id, message: 'tell me a story' });
    await until(async () => (await h!.tree(s.id)).find((n) => n.kind === 'assistant_message' && n.content === 'Here is the first half of'));
    await h.runtime.stop(s.id);
    const stopped = await h.repo.sessions.get(s.id);
    expect(stopped.status).toBe('stopped');
    let nodes = await h.tree(s.id);
    expect(byKind(nodes, 'assistant_message')[0]).toMatchObject({ status: 'interrupted', content: 'Here is the first half of' });
    await until(async () => h!.server.requests.at(-1)?.aborted);

    h.server.push({ parts: [{ type: 'text', text: ' the story, and the end.' }] });
    await h.runtime.resume(s.id);
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(body(1)).toContain('Here is the first half of');
    expect(body(1)).toContain(RESUME_NOTE);
    nodes = await h.tree(s.id);
    expect(shape(nodes)).toEqual(['user_message:complete', '  assistant_message:interrupted', '  system:complete', '  assistant_message:complete']);
  });

  it('stop kills a running shell command promptly', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'bypassPermissions' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'echo begun; sleep 60' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'wait a minute' });
    await until(async () => byKind(await h!.tree(s.id), 'action')[0]?.status === 'running');
    await h.runtime.stop(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('stopped');
    const nodes = await h.tree(s.id);
    expect(byKind(nodes, 'action')[0]).toMatchObject({ status: 'interrupted' });
    expect(byKind(nodes, 'observation')[0]!.content).toContain('session was stopped');
  });

  it('stop while waiting for approval ends the wait; the call is not run', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch never' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'x' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    await h.runtime.stop(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('stopped');
    expect(byKind(await h.tree(s.id), 'action')[0]).toMatchObject({ status: 'interrupted', metadata: expect.objectContaining({ stopped: true }) });
    expect(fs.existsSync(path.join(h.workDir, 'never'))).toBe(false);
  });

  it('a follow-up continues the conversation from the stored tree', async () => {
    h = await createHarness();
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'Paris.' }] }, { parts: [{ type: 'text', text: 'About 2 million.' }] });
    await h.runtime.start({ sessionId: s.id, message: 'Capital of France?' });
    await h.waitForStatus(s.id, 'completed');
    await h.runtime.send({ sessionId: s.id, message: 'Population?' });
    await h.waitForStatus(s.id, 'running');
    await h.waitForStatus(s.id, 'completed');
    const sent = JSON.parse(body(1)) as { messages: { role: string; content: unknown }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.stringify(sent.messages)).toContain('Paris.');
    expect(shape(await h.tree(s.id))).toEqual(['user_message:complete', '  assistant_message:complete', 'user_message:complete', '  assistant_message:complete']);
  });

  it('a message sent while the agent works is queued and read before its next step', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'q.txt', content: 'q' } }] },
      { parts: [{ type: 'text', text: 'Noted, and written.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'write q' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const ack = await h.runtime.send({ sessionId: s.id, message: 'also: be brief' });
    expect(ack.nodeId).toBeTruthy();
    await h.runtime.approve({ nodeId: byKind(await h.tree(s.id), 'action')[0]!.id, scope: 'once' });
    await h.waitForStatus(s.id, 'completed', 'failed');
    const sent = JSON.parse(body(1)) as { messages: { role: string }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(body(1)).toContain('also: be brief');
    // The answer hangs under the queued message, the turn it answers.
    expect(shape(await h.tree(s.id))).toEqual([
      'user_message:complete',
      '  assistant_message:complete',
      '    action:complete(write_file)',
      '      observation:complete(write_file)',
      'user_message:complete',
      '  assistant_message:complete',
    ]);
  });

  it.each([
    [401, /Authentication failed \(HTTP 401\).*API key/],
    [429, /Rate limited by the provider \(HTTP 429\)/],
  ])('provider %i ends the session failed with a readable message', async (status, pattern) => {
    h = await createHarness({ kind: 'anthropic', apiKey: status === 401 ? 'sk-wrong' : 'sk-test' });
    const s = await h.newSession();
    h.server.push({ error: { status, message: 'Rate limit reached' } });
    await h.runtime.start({ sessionId: s.id, message: 'hi' });
    const failed = await h.waitForStatus(s.id, 'failed', 'completed');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(pattern);
    const nodes = await h.tree(s.id);
    expect(byKind(nodes, 'error')[0]!.content).toMatch(pattern);
    expect(byKind(nodes, 'assistant_message')[0]!.status).toBe('error');
  });

  it('an agent without a model uses the one provider default, else fails saying what to fix', async () => {
    h = await createHarness();
    const withDefault = await h.newSession({ model: null });
    h.server.push({ parts: [{ type: 'text', text: 'default model here' }] });
    await h.runtime.start({ sessionId: withDefault.id, message: 'hi' });
    expect((await h.waitForStatus(withDefault.id, 'completed', 'failed')).status).toBe('completed');
    expect(JSON.parse(body(0)).model).toBe('test-model');

    const p = (await h.providers.get(h.providerId))!;
    await h.providers.save({ ...p, defaultModel: null });
    const s = await h.newSession({ model: null });
    await h.runtime.start({ sessionId: s.id, message: 'hi' });
    const failed = await h.waitForStatus(s.id, 'failed');
    expect(failed.error).toMatch(/no model/);
  });

  it('a pending approval survives a restart and approving it then runs the call', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'after-restart.txt', content: 'ok' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'write after restart' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;

    const { runtime: runtime2, writer: writer2 } = await h.restart();
    expect((await h.repo.sessions.get(s.id)).status).toBe('waiting_for_user_input');

    h.server.push({ parts: [{ type: 'text', text: 'written' }] });
    await runtime2.approve({ nodeId: pending.id, scope: 'once' });
    await runtime2.idle(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'after-restart.txt'), 'utf8')).toBe('ok');
    await writer2.flush();
    const actions = byKind(await h.logs.tree(s.id), 'action');
    expect(actions).toHaveLength(2);
    expect(actions[1]).toMatchObject({ status: 'complete', causeId: pending.id, toolArgs: { path: 'after-restart.txt', content: 'ok' } });
    expect(body(1)).toContain('Created after-restart.txt');
  });

  it('an app shutdown leaves a waiting call waiting; after the next start it can be approved', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'quit.txt', content: 'after quit' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'x' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    await h.runtime.close();
    await h.writer.flush();
    expect((await h.repo.sessions.get(s.id)).status).toBe('waiting_for_user_input');
    expect((await h.logs.get(pending.id))!.status).toBe('pending_approval');

    const { runtime: runtime2 } = await h.restart();
    h.server.push({ parts: [{ type: 'text', text: 'ok' }] });
    await runtime2.approve({ nodeId: pending.id, scope: 'once' });
    await runtime2.idle(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'quit.txt'), 'utf8')).toBe('after quit');
  });

  it('after a restart, a pending call can be denied (the model is told) or the session stopped', async () => {
    h = await createHarness();
    const a = await h.newSession({ permissionMode: 'ask' });
    const b = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch a' } }] });
    await h.runtime.start({ sessionId: a.id, message: 'a' });
    await h.waitForStatus(a.id, 'waiting_for_user_input');
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch b' } }] });
    await h.runtime.start({ sessionId: b.id, message: 'b' });
    await h.waitForStatus(b.id, 'waiting_for_user_input');
    const pendingA = byKind(await h.tree(a.id), 'action')[0]!;

    const { runtime: runtime2, writer: writer2 } = await h.restart();
    h.server.push({ parts: [{ type: 'text', text: 'fine, skipped' }] });
    await runtime2.deny({ nodeId: pendingA.id, reason: 'after restart: no' });
    await runtime2.idle(a.id);
    expect((await h.repo.sessions.get(a.id)).status).toBe('completed');
    expect(body(2)).toContain('after restart: no');
    await writer2.flush();
    const actions = byKind(await h.logs.tree(a.id), 'action');
    expect(actions.map((x) => x.status)).toEqual(['interrupted', 'denied']);
    expect(actions[1]!.causeId).toBe(pendingA.id);
    // Approving it again is refused: it is no longer waiting.
    await expect(runtime2.approve({ nodeId: pendingA.id, scope: 'once' })).rejects.toMatchObject({ code: 'CONFLICT' });

    await runtime2.stop(b.id);
    expect((await h.repo.sessions.get(b.id)).status).toBe('stopped');
    expect(fs.existsSync(path.join(h.workDir, 'a'))).toBe(false);
    expect(fs.existsSync(path.join(h.workDir, 'b'))).toBe(false);
  });
});
