import { describe, expect, it } from 'vitest';
import type { LogChunk, LogNode } from '../../../shared/domain';
import { buildTracks, nextEvent, nodeAt } from './tracks';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
function node(id: string, parentId: string | null, start: number, end: number, over: Partial<LogNode> = {}): LogNode {
  return {
    id, sessionId: 's', parentId, causeId: null, seq: 0, depth: parentId ? 1 : 0, kind: 'assistant_message', role: null, status: 'complete',
    content: '', metadata: {}, model: null, provider: null, tokensIn: 5, tokensOut: 7, tokensReasoning: 0, costUsd: 0.01,
    startedAt: iso(start), endedAt: iso(end), toolName: null, toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...over,
  };
}

describe('replay tracks', () => {
  const nodes = [node('a', null, 0, 100, { kind: 'user_message', content: 'hi' }), node('b', 'a', 1000, 3000, { content: 'Hello world' }), node('c', null, 5000, 5000)];
  const chunks: LogChunk[] = [
    { nodeId: 'b', seq: 0, text: 'Hello', atMs: 200 },
    { nodeId: 'b', seq: 1, text: ' world', atMs: 1500 },
  ];
  const tracks = buildTracks(nodes, chunks, null);

  it('shows text exactly as recorded, chunk by chunk at its offsets, and the final node at its end', () => {
    const b = nodes[1]!;
    expect(nodeAt(b, tracks.byId.get('b'), T0 + 999)).toBeNull();
    expect(nodeAt(b, tracks.byId.get('b'), T0 + 1100)).toMatchObject({ content: '', status: 'streaming', tokensOut: 0 });
    expect(nodeAt(b, tracks.byId.get('b'), T0 + 1200)).toMatchObject({ content: 'Hello' });
    expect(nodeAt(b, tracks.byId.get('b'), T0 + 2600)).toMatchObject({ content: 'Hello world', status: 'streaming' });
    expect(nodeAt(b, tracks.byId.get('b'), T0 + 3000)).toBe(b);
    expect([tracks.startMs, tracks.endMs]).toEqual([T0, T0 + 5000]);
  });

  it('finds the next recorded moment (skip waits) and limits a subtree replay to its nodes', () => {
    expect(nextEvent(tracks, T0 + 3000)).toBe(T0 + 5000);
    expect(nextEvent(tracks, T0 + 5000)).toBeNull();
    const sub = buildTracks(nodes, chunks, 'a');
    expect([...sub.byId.keys()]).toEqual(['a', 'b']);
    expect(nodeAt(nodes[2]!, sub.byId.get('c'), T0)).toBe(nodes[2]);
  });
});
