import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { COMPACT_ROW, estimateNodeHeight, estimateRowHeights } from './rowHeight';
import { createTreeIndex, upsertNodes } from './tree/treeIndex';
import { flattenVisible } from './tree/visibleRows';

function node(id: string, parentId: string | null, seq: number, extra: Partial<LogNode> = {}): LogNode {
  return {
    id, sessionId: 's1', parentId, causeId: null, seq, depth: 0, kind: 'assistant_message', role: null, status: 'complete',
    content: '', metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0,
    startedAt: '2025-01-01T00:00:00.000Z', endedAt: null, toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0,
    ...extra,
  };
}

describe('row height estimates', () => {
  it('grow with the text a message shows, up to the preview limit', () => {
    const short = estimateNodeHeight(node('a', null, 0, { content: 'hello' }));
    const long = estimateNodeHeight(node('b', null, 0, { content: 'x'.repeat(1_000) }));
    const huge = estimateNodeHeight(node('c', null, 0, { content: 'x'.repeat(1_000_000) }));
    expect(long).toBeGreaterThan(short);
    expect(huge).toBeGreaterThanOrEqual(long);
    expect(huge).toBeLessThan(1_000);
  });

  it('give a tool call with a result more room than one without', () => {
    const call = node('a', null, 0, { kind: 'action', toolArgs: { q: 1 } });
    expect(estimateNodeHeight({ ...call, toolResult: { ok: true } })).toBeGreaterThan(estimateNodeHeight(call));
  });

  it('has one positive estimate per visible row, in row order', () => {
    const index = createTreeIndex();
    upsertNodes(index, [
      node('p', null, 0, { kind: 'user_message', content: 'question' }),
      node('c', 'p', 0, { kind: 'observation', toolResult: 'x' }),
      node('q', null, 1, { content: 'y'.repeat(600) }),
    ]);
    const rows = flattenVisible(index, new Set());
    const estimates = estimateRowHeights(index, rows);
    expect(Array.from(estimates)).toEqual(rows.map((r) => estimateNodeHeight(index.nodes.get(r.id))));
    expect(estimates.every((h) => h > 0)).toBe(true);
  });

  it('are one line each in compact density', () => {
    const index = createTreeIndex();
    upsertNodes(index, [node('p', null, 0, { content: 'y'.repeat(6000) }), node('c', 'p', 0, { kind: 'action', toolArgs: { q: 1 } })]);
    const rows = flattenVisible(index, new Set());
    expect(Array.from(estimateRowHeights(index, rows, true))).toEqual([COMPACT_ROW, COMPACT_ROW]);
  });
});
