import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { LogNode } from '../../shared/domain';
import { getEventDef } from '../../shared/ipc';
import { EVERYTHING_SERVER_ENTRY } from './testing/everythingServer';
import { createHarness, shape, type Harness } from './testing/harness';
import { byKind, requestBody } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => requestBody(h!, i);

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
