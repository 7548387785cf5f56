import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { LogNode } from '../../shared/domain';
import { getEventDef } from '../../shared/ipc';
import { RESUME_NOTE } from './conversation';
import { EVERYTHING_SERVER_ENTRY } from './testing/everythingServer';
import { createHarness, shape, type Harness } from './testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => JSON.stringify(h!.server.requests.filter((r) => r.method === 'POST')[i]?.body ?? null);
const byKind = (nodes: LogNode[], kind: LogNode['kind']) => nodes.filter((n) => n.kind === kind);

async function until<T>(fn: () => Promise<T | undefined | null | false>): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(['openai-compatible', 'anthropic'] as const)('runner over %s', (kind) => {
  it('streams reasoning and text into the tree, with usage and cost rolled up', async () => {
    h = await createHarness({ kind });
    const s = await h.newSession({ instructions: 'You are terse.' });
    h.server.push({
      parts: [
        { type: 'reasoning', text: 'The user greets me; greet back.' },
        { type: 'text', text: 'Hello there, how can I help you today?' },
      ],
      usage: { input: 1000, output: 200, reasoning: 50, cached: 400 },
    });
    const ack = await h.runtime.start({ sessionId: s.id, message: 'Hi!' });
    const done = await h.waitForStatus(s.id, 'completed', 'failed');
    expect(done.status).toBe('completed');
    expect(done.result).toBe('Hello there, how can I help you today?');
    const nodes = await h.tree(s.id);
    expect(shape(nodes)).toEqual(['user_message:complete', '  assistant_message:complete', '    thought:complete']);
    const [user, assistant, thought] = nodes as [LogNode, LogNode, LogNode];
    expect(user.id).toBe(ack.nodeId);
    expect(user.content).toBe('Hi!');
    expect(assistant.content).toBe('Hello there, how can I help you today?');
    expect(thought.content).toBe('The user greets me; greet back.');
    // Streamed as many deltas, kept as chunks for replay.
    expect((await h.logs.chunks(assistant.id)).length).toBeGreaterThan(3);
    expect(assistant.model).toBe('test-model');
    expect(assistant.tokensIn).toBe(1000);
    expect(assistant.tokensOut).toBe(200);
    expect(assistant.tokensReasoning).toBe(50);
    // (600 * 3 + 400 * 0.3 + 150 * 15 + 50 * 15) / 1e6
    const cost = (600 * 3 + 400 * 0.3 + 150 * 15 + 50 * 15) / 1e6;
    expect(assistant.costUsd).toBeCloseTo(cost, 10);
    expect(assistant.metadata).toMatchObject({ tokensCached: 400, contextTokens: 1200, contextWindow: 200_000 });
    expect(done).toMatchObject({ tokensIn: 1000, tokensOut: 200, tokensReasoning: 50, tokensCached: 400 });
    expect(done.costUsd).toBeCloseTo(cost, 10);
    expect(body(0)).toContain('You are terse.');
    expect(body(0)).toContain('Hi!');
    const statuses = h.events.filter((e) => e.event === 'sessions.statusChanged').map((e) => (e.payload as { to: string }).to);
    expect(statuses).toEqual(['running', 'completed']);
    expect(h.events.some((e) => e.event === 'sessions.usage')).toBe(true);
    // The status event carries the updated session, as the contract declares it: no refetch needed.
    const last = h.events.filter((e) => e.event === 'sessions.statusChanged').at(-1)!;
    const event = getEventDef('sessions.statusChanged').payload.parse(last.payload) as { from: string; session: Record<string, unknown> };
    expect(event.from).toBe('running');
    const { agentName: _name, effectiveConfig: _config, ...summary } = done;
    expect(event.session).toEqual(summary);
  });

  it('a side-effecting tool call waits for approval with its full arguments, then runs', async () => {
    h = await createHarness({ kind });
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push(
      { parts: [{ type: 'text', text: 'I will write it.' }, { type: 'tool_call', name: 'write_file', args: { path: 'notes/hello.txt', content: 'hi there' } }] },
      { parts: [{ type: 'text', text: 'Done.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'write a file' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    let nodes = await h.tree(s.id);
    const action = byKind(nodes, 'action')[0]!;
    expect(action.status).toBe('pending_approval');
    expect(action.toolName).toBe('write_file');
    expect(action.toolArgs).toEqual({ path: 'notes/hello.txt', content: 'hi there' });
    expect(fs.existsSync(path.join(h.workDir, 'notes/hello.txt'))).toBe(false);
    // Arguments streamed in pieces.
    expect((await h.logs.chunks(action.id)).length).toBeGreaterThan(3);

    await h.runtime.approve({ nodeId: action.id, scope: 'once' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'notes/hello.txt'), 'utf8')).toBe('hi there');
    nodes = await h.tree(s.id);
    expect(shape(nodes)).toEqual([
      'user_message:complete',
      '  assistant_message:complete',
      '    action:complete(write_file)',
      '      observation:complete(write_file)',
      '  assistant_message:complete',
    ]);
    const obs = byKind(nodes, 'observation')[0]!;
    expect(obs.causeId).toBe(action.id);
    expect(obs.content).toMatch(/Created notes\/hello.txt/);
    expect(byKind(nodes, 'action')[0]!.durationMs).not.toBeNull();
    // The model was told the result.
    expect(body(1)).toContain('Created notes/hello.txt');
  });

  it('a denied call is not run and the model is told why', async () => {
    h = await createHarness({ kind });
    const s = await h.newSession({ permissionMode: 'acceptEdits' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch should-not-exist' } }] },
      { parts: [{ type: 'text', text: 'OK, I will not.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'run something' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const action = byKind(await h.tree(s.id), 'action')[0]!;
    await h.runtime.deny({ nodeId: action.id, reason: 'not on my machine' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(fs.existsSync(path.join(h.workDir, 'should-not-exist'))).toBe(false);
    const nodes = await h.tree(s.id);
    expect(byKind(nodes, 'action')[0]).toMatchObject({ status: 'denied', metadata: expect.objectContaining({ denyReason: 'not on my machine' }) });
    expect(byKind(nodes, 'observation')).toHaveLength(0);
    expect(body(1)).toContain('denied');
    expect(body(1)).toContain('not on my machine');
  });
});

describe('Anthropic extended thinking', () => {
  it('asks for thinking and sends signed thinking blocks back with tool results, also after a rebuild', async () => {
    h = await createHarness({ kind: 'anthropic' });
    const s = await h.newSession({ permissionMode: 'bypassPermissions', settings: { thinkingBudgetTokens: 2048 } });
    fs.writeFileSync(path.join(h.workDir, 'data.txt'), 'forty-two');
    h.server.push(
      { parts: [{ type: 'reasoning', text: 'I should read the file.' }, { type: 'tool_call', name: 'read_file', args: { path: 'data.txt' } }] },
      { parts: [{ type: 'text', text: 'It says forty-two.' }] },
      { parts: [{ type: 'text', text: 'Yes.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'what is in data.txt?' });
    await h.waitForStatus(s.id, 'completed', 'failed');
    const first = JSON.parse(body(0)) as { thinking?: unknown };
    expect(first.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    const thought = byKind(await h.tree(s.id), 'thought')[0]!;
    expect(thought.metadata.signature).toBe('sig-test');
    const thinkingBlock = { type: 'thinking', thinking: 'I should read the file.', signature: 'sig-test' };
    expect(body(1)).toContain(JSON.stringify(thinkingBlock));
    // A follow-up rebuilds the conversation from the tree: the signed block is still there.
    await h.runtime.send({ sessionId: s.id, message: 'sure?' });
    await h.waitForStatus(s.id, 'running');
    await h.waitForStatus(s.id, 'completed');
    expect(body(2)).toContain(JSON.stringify(thinkingBlock));
  });
});

describe('MCP tools in a run (server-everything over stdio)', () => {
  it('are offered to the model, logged like built-ins and follow the same permission rules', async () => {
    h = await createHarness();
    const server = await h.mcpServers.save({ name: 'everything', spec: { transport: 'stdio', command: process.execPath, args: [EVERYTHING_SERVER_ENTRY, 'stdio'], env: {}, cwd: null }, readOnlyTools: ['get-sum'], enabled: true });
    // A stdio server starts only once the user approved its command (mcp/approval.test.ts).
    await h.mcpServers.approve(server.id, server.spec);
    const s = await h.newSession({ permissionMode: 'ask', builtinTools: [], mcpServers: ['everything'] });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'everything__get-sum', args: { a: 20, b: 22 } }, { type: 'tool_call', name: 'everything__echo', args: { message: 'via mcp' } }] },
      { parts: [{ type: 'text', text: 'done' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'use mcp' });
    // get-sum is marked read-only: it ran; echo waits like any side-effecting tool.
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    expect(body(0)).toContain('everything__echo');
    let actions = byKind(await h.tree(s.id), 'action');
    expect(actions.map((a) => [a.toolName, a.status])).toEqual([
      ['everything__get-sum', 'complete'],
      ['everything__echo', 'pending_approval'],
    ]);
    await h.runtime.approve({ nodeId: actions[1]!.id, scope: 'once' });
    await h.waitForStatus(s.id, 'completed', 'failed');
    const nodes = await h.tree(s.id);
    actions = byKind(nodes, 'action');
    expect(actions[1]).toMatchObject({ status: 'complete', metadata: expect.objectContaining({ source: 'everything' }) });
    expect(byKind(nodes, 'observation').map((o) => o.content).join('\n')).toMatch(/42[\s\S]*via mcp/);
    expect(body(1)).toContain('via mcp');
  });
});

describe('permission modes in a run', () => {
  it('readOnly refuses side effects without asking and tells the model', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'readOnly' });
    fs.writeFileSync(path.join(h.workDir, 'a.txt'), 'content of a');
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'read_file', args: { path: 'a.txt' } }, { type: 'tool_call', name: 'write_file', args: { path: 'b.txt', content: 'x' } }] },
      { parts: [{ type: 'text', text: 'I cannot write.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'copy a to b' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed', 'waiting_for_user_input')).status).toBe('completed');
    const actions = byKind(await h.tree(s.id), 'action');
    expect(actions.map((a) => a.status)).toEqual(['complete', 'denied']);
    expect(fs.existsSync(path.join(h.workDir, 'b.txt'))).toBe(false);
    expect(body(1)).toContain('content of a');
    expect(body(1)).toContain('read-only mode');
  });

  it('acceptEdits runs file edits at once; bypassPermissions runs shell commands', async () => {
    h = await createHarness();
    const edits = await h.newSession({ permissionMode: 'acceptEdits' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'e.txt', content: 'e' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: edits.id, message: 'edit' });
    expect((await h.waitForStatus(edits.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'e.txt'), 'utf8')).toBe('e');

    const bypass = await h.newSession({ permissionMode: 'bypassPermissions' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'echo shell-ran > s.txt' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: bypass.id, message: 'shell' });
    expect((await h.waitForStatus(bypass.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 's.txt'), 'utf8').trim()).toBe('shell-ran');
  });

  it('"always allow for this session" is remembered; "for this agent" reaches its other sessions', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'one.txt', content: '1' } }] },
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'two.txt', content: '2' } }] },
      { parts: [{ type: 'text', text: 'both written' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'write two files' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    await h.runtime.approve({ nodeId: byKind(await h.tree(s.id), 'action')[0]!.id, scope: 'session' });
    expect((await h.waitForStatus(s.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.existsSync(path.join(h.workDir, 'two.txt'))).toBe(true);
    expect((await h.rules.list('session', s.id)).map((r) => r.toolName)).toEqual(['write_file']);

    // Agent scope: a second session of the same agent does not ask again.
    const a = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'true' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: a.id, message: 'x' });
    await h.waitForStatus(a.id, 'waiting_for_user_input');
    await h.runtime.approve({ nodeId: byKind(await h.tree(a.id), 'action')[0]!.id, scope: 'agent' });
    await h.waitForStatus(a.id, 'completed');
    const again = await h.repo.sessions.create({ agentId: a.agentId, name: 'second' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'true' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: again.id, message: 'y' });
    expect((await h.waitForStatus(again.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
  });

  it('unattended runs deny a waiting call after the timeout instead of hanging', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 50 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch nope' } }] }, { parts: [{ type: 'text', text: 'skipped' }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    const action = byKind(await h.tree(s.id), 'action')[0]!;
    expect(action).toMatchObject({ status: 'denied', metadata: expect.objectContaining({ deniedBy: 'timeout' }) });
    expect(fs.existsSync(path.join(h.workDir, 'nope'))).toBe(false);
    expect(body(1)).toContain('unattended');
  });

  it('an unattended run waiting for approval when the app stops is denied at its deadline after the restart, and goes on unattended', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 60_000 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch nope' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    const deadline = Date.parse(String(pending.metadata.approvalDeadline));
    expect(deadline - Date.now()).toBeGreaterThan(50_000);
    await h.runtime.close();

    const { runtime: runtime2 } = await h.restart();
    // Before its deadline nothing happens (and a shutdown drops the timer); once it has passed,
    // the call is denied as timed out.
    expect(await runtime2.resumeUnattendedApprovals(deadline - 10_000)).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.repo.sessions.get(s.id)).status).toBe('waiting_for_user_input');
    // The continuation asks about another call: being unattended, that question has a deadline too.
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch again' } }] });
    await runtime2.close();
    const { runtime: runtime3, writer: writer3 } = await h.restart();
    expect(await runtime3.resumeUnattendedApprovals(deadline + 1)).toBe(1);
    const second = await until(async () => {
      await writer3.flush();
      const actions = byKind(await h!.logs.tree(s.id), 'action');
      return actions.length === 3 && actions[2]!.status === 'pending_approval' ? actions : null;
    });
    const actions = second;
    expect(actions.map((a) => [a.status, a.metadata.deniedBy])).toEqual([
      ['interrupted', undefined],
      ['denied', 'timeout'],
      ['pending_approval', undefined],
    ]);
    expect(actions[1]!.causeId).toBe(pending.id);
    expect(typeof second[2]!.metadata.approvalDeadline).toBe('string');
    expect(body(1)).toContain('unattended');
    await runtime3.stop(s.id);
    expect(fs.existsSync(path.join(h.workDir, 'nope'))).toBe(false);
    expect(fs.existsSync(path.join(h.workDir, 'again'))).toBe(false);
  });

  it("a user's answer before a restored deadline wins; the deadline then does nothing", async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 60_000 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'ok.txt', content: 'ok' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    await h.runtime.close();
    const { runtime: runtime2 } = await h.restart();
    const deadline = Date.parse(String(pending.metadata.approvalDeadline));
    expect(await runtime2.resumeUnattendedApprovals(deadline - 300)).toBe(1);
    h.server.push({ parts: [{ type: 'text', text: 'written' }] });
    await runtime2.approve({ nodeId: pending.id, scope: 'once' });
    await runtime2.idle(s.id);
    await new Promise((r) => setTimeout(r, 400));
    expect((await h.repo.sessions.get(s.id)).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'ok.txt'), 'utf8')).toBe('ok');
    expect(h.server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it("a user's run waiting for approval gets no deadline: after a restart it waits for that user", async () => {
    h = await createHarness({ runtime: { isUiAttached: () => false, unattendedApprovalTimeoutMs: 60_000 } });
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch x' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'by hand' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    expect(pending.metadata.approvalDeadline).toBeUndefined();
    await h.runtime.close();
    const { runtime: runtime2 } = await h.restart();
    expect(await runtime2.resumeUnattendedApprovals(Date.now() + 3_600_000)).toBe(0);
  });
});

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

describe.each(['openai-compatible', 'anthropic'] as const)('pathological tool arguments over %s', (kind) => {
  it('arguments nested 100k deep are a typed tool error in the log, and the run goes on', async () => {
    h = await createHarness({ kind });
    const s = await h.newSession({ permissionMode: 'bypassPermissions' });
    const deep = `{"path":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'read_file', args: null, argsJson: deep }], chunkSize: 1_000_000 },
      { parts: [{ type: 'text', text: 'I will not do that again.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'go deep' });
    const done = await h.waitForStatus(s.id, 'completed', 'failed');
    expect(done.error ?? '').not.toMatch(/call stack/i);
    expect(done.status).toBe('completed');
    const nodes = await h.tree(s.id);
    const action = byKind(nodes, 'action')[0]!;
    expect(action.status).toBe('error');
    const observation = byKind(nodes, 'observation')[0]!;
    expect(observation.content).toMatch(/nested deeper than \d+ levels/);
    expect(JSON.stringify(nodes)).not.toMatch(/call stack/i);
    expect(action.metadata.error).toMatch(/nested deeper than \d+ levels/);
    // The model was told, in the next request.
    expect(body(1)).toMatch(/nested deeper than \d+ levels/);
    // A follow-up rebuilds the conversation from the stored tree, refused call included.
    h.server.push({ parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.send({ sessionId: s.id, message: 'again' });
    await h.runtime.idle(s.id);
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(body(2)).toMatch(/nested deeper than \d+ levels/);
  }, 30_000);
});
