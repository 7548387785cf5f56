import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../shared/domain';
import { INTERRUPTED_TOOL_TEXT, NOT_RUN_TOOL_TEXT, rebuildConversation } from './conversation';

let seq = 0;
function n(p: Partial<LogNode> & Pick<LogNode, 'id' | 'kind'>): LogNode {
  return {
    sessionId: 's', parentId: null, causeId: null, seq: seq++, depth: 0, role: null, status: 'complete', content: '', metadata: {},
    model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0, startedAt: '', endedAt: null,
    toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...p,
  } as LogNode;
}
const action = (id: string, parentId: string, p: Partial<LogNode> = {}) =>
  n({ id, kind: 'action', parentId, toolName: 'run_shell', toolArgs: { command: id }, metadata: { toolCallId: `call-${id}` }, ...p });

describe('rebuildConversation', () => {
  it('turns every kind of finished, denied, interrupted and half-streamed call into a valid conversation', () => {
    const nodes = [
      n({ id: 'u1', kind: 'user_message', content: 'go' }),
      n({ id: 'a1', kind: 'assistant_message', parentId: 'u1', content: 'working' }),
      action('ok', 'a1'),
      n({ id: 'o1', kind: 'observation', parentId: 'ok', causeId: 'ok', content: 'out', metadata: { isError: false } }),
      action('denied', 'a1', { status: 'denied', metadata: { toolCallId: 'call-denied', denyReason: 'nope' } }),
      action('crashed', 'a1', { status: 'interrupted', metadata: { toolCallId: 'call-crashed', interruptedFrom: 'running' } }),
      action('stopped', 'a1', { status: 'interrupted', metadata: { toolCallId: 'call-stopped', stopped: true } }),
      action('half', 'a1', { status: 'interrupted', metadata: { toolCallId: 'call-half', interruptedFrom: 'streaming' } }),
      n({ id: 'e1', kind: 'error', parentId: 'u1', content: 'boom' }),
    ];
    const c = rebuildConversation(nodes);
    expect(c.unfinished).toEqual([]);
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const calls = (c.messages[1]!.content as { type: string; toolCallId?: string }[]).filter((p) => p.type === 'tool-call').map((p) => p.toolCallId);
    expect(calls).toEqual(['call-ok', 'call-denied', 'call-crashed', 'call-stopped']);
    const outputs = (c.messages[2]!.content as { toolCallId: string; output: { type: string; value: string } }[]).map((p) => [p.toolCallId, p.output.type, p.output.value]);
    expect(outputs).toEqual([
      ['call-ok', 'text', 'out'],
      ['call-denied', 'error-text', 'The user denied this tool call. Reason: nope'],
      ['call-crashed', 'error-text', INTERRUPTED_TOOL_TEXT],
      ['call-stopped', 'error-text', NOT_RUN_TOOL_TEXT],
    ]);
    expect(c.stepsInTurn).toBe(1);
    expect(c.endsWithAssistant).toBe(false);
  });

  it('holds back a step with waiting calls; a queued message stays after its tool results', () => {
    const nodes = [
      n({ id: 'u1', kind: 'user_message', content: 'go' }),
      n({ id: 'a1', kind: 'assistant_message', parentId: 'u1' }),
      action('done', 'a1'),
      n({ id: 'o1', kind: 'observation', parentId: 'done', causeId: 'done', content: 'ok' }),
      action('wait', 'a1', { status: 'interrupted', metadata: { toolCallId: 'call-wait', interruptedFrom: 'pending_approval' } }),
      n({ id: 'u2', kind: 'user_message', content: 'also this' }),
    ];
    const c = rebuildConversation(nodes);
    expect(c.unfinished.map((u) => [u.node.id, u.state])).toEqual([['wait', 'pending']]);
    expect(c.knownResults.map((r) => r.toolCallId)).toEqual(['call-done']);
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(c.unfinishedInsertAt).toBe(2);
    expect(c.turnNodeId).toBe('u2');
  });

  it('a continuation node replaces the call it continues', () => {
    const nodes = [
      n({ id: 'u1', kind: 'user_message', content: 'go' }),
      n({ id: 'a1', kind: 'assistant_message', parentId: 'u1' }),
      action('old', 'a1', { status: 'interrupted', metadata: { toolCallId: 'call-x', interruptedFrom: 'pending_approval' } }),
      action('new', 'a1', { causeId: 'old', metadata: { toolCallId: 'call-x', continues: 'old' } }),
      n({ id: 'o', kind: 'observation', parentId: 'new', causeId: 'new', content: 'ran' }),
    ];
    const c = rebuildConversation(nodes);
    expect(c.unfinished).toEqual([]);
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect((c.messages[2]!.content as { output: { value: string } }[])[0]!.output.value).toBe('ran');
  });

  it('an interrupted answer ends with the assistant (resume adds a "continue")', () => {
    const c = rebuildConversation([
      n({ id: 'u1', kind: 'user_message', content: 'story' }),
      n({ id: 'a1', kind: 'assistant_message', parentId: 'u1', status: 'interrupted', content: 'Once upon' }),
    ]);
    expect(c.endsWithAssistant).toBe(true);
    expect(c.messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Once upon' }] });
  });
});
