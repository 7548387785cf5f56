import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { approvalText, copyableText, nodeMetrics } from './nodePresentation';

const at = '2026-01-01T00:00:00.000Z';
function node(over: Partial<LogNode>): LogNode {
  return {
    id: 'n', sessionId: 's', parentId: null, causeId: null, seq: 0, depth: 0, kind: 'observation', role: null, status: 'complete',
    content: 'ok', metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0,
    startedAt: at, endedAt: at, toolName: 'run_shell', toolArgs: null, toolResult: null, durationMs: null, childCount: 0, ...over,
  };
}

describe('node figures', () => {
  it('gives a shell result the time its command ran, not the instant it was written ("0ms")', () => {
    expect(nodeMetrics(node({ causeId: 'call' }), undefined).durationMs).toBe(0);
    expect(nodeMetrics(node({ causeId: 'call' }), undefined, 391).durationMs).toBe(391);
    expect(nodeMetrics(node({ kind: 'assistant_message' }), undefined, 391).durationMs).toBe(0);
  });

  it('copies a tool call as its arguments and result', () => {
    expect(copyableText(node({ kind: 'action', toolArgs: { command: 'ls' }, toolResult: 'a\nb' }))).toBe('{\n  "command": "ls"\n}\n\na\nb');
  });

  it('says who approved a call', () => {
    expect(approvalText(node({ kind: 'action', metadata: { approvedBy: 'user', approvalScope: 'agent' } }))).toBe('approved by you (always for this agent)');
    expect(approvalText(node({ kind: 'action', metadata: { approvedBy: 'rule' } }))).toBe('approved by an "always allow" rule');
    expect(approvalText(node({ kind: 'action' }))).toBeNull();
  });
});
