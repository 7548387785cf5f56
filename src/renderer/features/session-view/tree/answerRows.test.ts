import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../../shared/domain';
import { withAnswerRows } from './answerRows';
import { createTreeIndex, upsertNodes } from './treeIndex';
import { flattenVisible } from './visibleRows';

function node(id: string, parentId: string | null, seq: number, kind: LogNode['kind'], extra: Partial<LogNode> = {}): LogNode {
  return {
    id, sessionId: 's1', parentId, causeId: null, seq, depth: 0, kind, role: null, status: 'complete', content: `text of ${id}`,
    metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0,
    startedAt: '2025-01-01T00:00:00.000Z', endedAt: null, toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...extra,
  };
}

/** user → step (thought, action → observation), the order the runtime writes a thinking model's call in. */
function session(stepExtra: Partial<LogNode> = {}) {
  const index = createTreeIndex();
  upsertNodes(index, [
    node('u', null, 0, 'user_message', { childCount: 1 }),
    node('step', 'u', 0, 'assistant_message', { childCount: 2, ...stepExtra }),
    node('think', 'step', 0, 'thought'),
    node('call', 'step', 1, 'action', { childCount: 1 }),
    node('result', 'call', 0, 'observation'),
  ]);
  return index;
}

const show = (rows: readonly { id: string; answer?: true; bodyBelow?: true; level: number }[]) =>
  rows.map((r) => `${r.level}:${r.id}${r.answer ? ' (answer)' : ''}${r.bodyBelow ? ' (header)' : ''}`);

describe('thinking where it happened', () => {
  it("draws a step's thinking before its answer text, and its tool calls after", () => {
    const index = session();
    expect(show(withAnswerRows(index, flattenVisible(index, new Set())))).toEqual([
      '1:u', '2:step (header)', '3:think', '3:step (answer)', '3:call', '4:result',
    ]);
  });

  it('a live step thinking before any text already has the row its text will stream into', () => {
    const index = session({ status: 'streaming', content: '' });
    expect(show(withAnswerRows(index, flattenVisible(index, new Set())))).toContain('3:step (answer)');
  });

  it('leaves steps without thinking, collapsed steps and steps with no text alone', () => {
    const plain = createTreeIndex();
    upsertNodes(plain, [node('u', null, 0, 'user_message', { childCount: 1 }), node('step', 'u', 0, 'assistant_message', { childCount: 1 }), node('call', 'step', 0, 'action')]);
    const rows = flattenVisible(plain, new Set());
    expect(withAnswerRows(plain, rows)).toBe(rows);
    const index = session();
    expect(show(withAnswerRows(index, flattenVisible(index, new Set(['step']))))).toEqual(['1:u', '2:step']);
    const silent = session({ content: '' });
    expect(show(withAnswerRows(silent, flattenVisible(silent, new Set())))).toEqual(['1:u', '2:step', '3:think', '3:call', '4:result']);
  });
});
