import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { compareRuns } from './align';

let n = 0;
function node(over: Partial<LogNode>): LogNode {
  return {
    id: `n${++n}`, sessionId: 's', parentId: null, causeId: null, seq: 0, depth: 0, kind: 'assistant_message', role: null, status: 'complete',
    content: '', metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0,
    startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z', toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...over,
  };
}

describe('compare two runs', () => {
  it('aligns steps by kind and tool, diffs text and arguments, and sums the differences', () => {
    const a = [
      node({ kind: 'user_message', content: 'fix the bug' }),
      node({ content: 'I will read the file', tokensIn: 100, tokensOut: 20, tokensReasoning: 10, costUsd: 0.01 }),
      node({ kind: 'action', toolName: 'read_file', toolArgs: { path: 'a.ts' }, durationMs: 30 }),
    ];
    const b = [
      node({ kind: 'user_message', content: 'fix the bug' }),
      node({ content: 'I will list then read the file', tokensIn: 150, tokensOut: 40, costUsd: 0.02 }),
      node({ kind: 'action', toolName: 'list_dir', toolArgs: { path: '.' } }),
      node({ kind: 'action', toolName: 'read_file', toolArgs: { path: 'b.ts' }, durationMs: 50 }),
    ];
    const c = compareRuns(a, b);
    expect(c.steps.map((s) => [s.a?.toolName ?? s.a?.kind ?? null, s.b?.toolName ?? s.b?.kind ?? null])).toEqual([
      ['user_message', 'user_message'],
      ['assistant_message', 'assistant_message'],
      [null, 'list_dir'],
      ['read_file', 'read_file'],
    ]);
    expect(c.steps[0]!.changed).toBe(false);
    expect(c.steps[1]!.text!.some((p) => p.added && p.value.includes('list'))).toBe(true);
    expect(c.steps[1]!.delta).toMatchObject({ tokens: 70, durationMs: 0 });
    expect(c.steps[1]!.delta.costUsd).toBeCloseTo(0.01);
    expect(c.steps[3]!.args!.some((p) => p.removed && p.value.includes('a.ts'))).toBe(true);
    expect(c.steps[3]!.delta.durationMs).toBe(20);
    expect(c.totalA.tokens).toBe(120);
    expect(c.totalB.tokens).toBe(190);
    expect(c.changedSteps).toBe(3);
  });
});
