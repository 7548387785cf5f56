import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { nodeLabel, nodeSegments, nodeSpan, pan, tickStep, zoomAround } from './bars';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function node(over: Partial<LogNode>): LogNode {
  return {
    id: 'n', sessionId: 's', parentId: null, causeId: null, seq: 0, depth: 0, kind: 'assistant_message', role: null, status: 'complete',
    content: '', metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0,
    startedAt: iso(0), endedAt: iso(1000), toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...over,
  };
}

describe('timeline bars', () => {
  it('splits an approved tool call into writing, approval wait and execution', () => {
    const segs = nodeSegments(node({ kind: 'action', toolName: 'shell', endedAt: iso(10_000), durationMs: 3000, metadata: { ran: true, waitMs: 5000 } }), T0);
    expect(segs).toEqual([
      { phase: 'writing', startMs: T0, endMs: T0 + 2000 },
      { phase: 'approval', startMs: T0 + 2000, endMs: T0 + 7000 },
      { phase: 'tool', startMs: T0 + 7000, endMs: T0 + 10_000 },
    ]);
  });

  it('lets open nodes grow with the clock and keeps closed ones fixed', () => {
    expect(nodeSpan(node({ status: 'streaming', endedAt: null }), T0 + 4000)).toEqual({ startMs: T0, endMs: T0 + 4000 });
    expect(nodeSpan(node({}), T0 + 4000)).toEqual({ startMs: T0, endMs: T0 + 1000 });
    expect(nodeSegments(node({ kind: 'action', status: 'pending_approval', endedAt: null }), T0 + 500)).toEqual([{ phase: 'approval', startMs: T0, endMs: T0 + 500 }]);
  });

  it('names rows by tool or first line', () => {
    expect(nodeLabel(node({ toolName: 'read_file' }))).toBe('read_file');
    expect(nodeLabel(node({ content: 'Hello\nworld' }))).toBe('Hello');
    expect(nodeLabel(node({ kind: 'user_message' }))).toBe('user message');
  });

  it('zooms around a point and pans by a fraction of the span', () => {
    expect(zoomAround({ startMs: 0, endMs: 100 }, 50, 0.5)).toEqual({ startMs: 25, endMs: 75 });
    expect(pan({ startMs: 0, endMs: 100 }, 0.1)).toEqual({ startMs: 10, endMs: 110 });
    expect(tickStep(10_000)).toBe(2000);
  });
});
