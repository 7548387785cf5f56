import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { summarizeCall } from './approval';
import { draftFromProvider, draftToInput, emptyModelRow } from './providerForm';
import { isAwaitingApproval } from './store';

const node = (patch: Partial<LogNode>): LogNode =>
  ({ id: 'n', sessionId: 's', parentId: 'p', causeId: null, seq: 0, depth: 1, kind: 'action', role: 'assistant', status: 'pending_approval', content: '', metadata: {}, model: null, provider: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0, startedAt: '', endedAt: null, toolName: 'run_shell', toolArgs: { command: 'ls' }, toolResult: null, durationMs: null, childCount: 0, ...patch }) as LogNode;

describe('isAwaitingApproval', () => {
  it('is true for a pending call, and for one interrupted by a restart while the session still waits', () => {
    expect(isAwaitingApproval(node({}), 'waiting_for_user_input', false)).toBe(true);
    const swept = node({ status: 'interrupted', metadata: { interruptedFrom: 'pending_approval' } });
    expect(isAwaitingApproval(swept, 'waiting_for_user_input', false)).toBe(true);
    expect(isAwaitingApproval(swept, 'interrupted', false)).toBe(true);
    expect(isAwaitingApproval(swept, 'stopped', false)).toBe(false);
    expect(isAwaitingApproval(swept, 'waiting_for_user_input', true)).toBe(false);
    expect(isAwaitingApproval(node({ status: 'running' }), 'running', false)).toBe(false);
    expect(isAwaitingApproval(node({ kind: 'observation' }), 'waiting_for_user_input', false)).toBe(false);
  });
});

describe('summarizeCall', () => {
  it('names the action and target in plain words', () => {
    expect(summarizeCall('run_shell', { command: 'rm -rf build' })).toMatchObject({ action: 'Run shell command', target: 'rm -rf build', risk: 'high' });
    expect(summarizeCall('write_file', { path: 'a.txt', content: 'abc' })).toMatchObject({ action: 'Write 3 characters to file', target: 'a.txt' });
    expect(summarizeCall('everything__echo', { message: 'x' }).risk).toBe('high');
  });
});

describe('provider form', () => {
  it('turns the draft into the save input, with prices and keys', () => {
    const d = { ...draftFromProvider(null), name: ' Ollama ', baseURL: 'http://localhost:11434/v1', apiKey: '', models: [{ ...emptyModelRow('llama3:8b'), contextWindow: '8192', input: '0', output: '0' }, emptyModelRow('')] };
    const { input, errors } = draftToInput(d);
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: 'Ollama',
      kind: 'openai-compatible',
      baseURL: 'http://localhost:11434/v1',
      defaultModel: null,
      models: [{ id: 'llama3:8b', contextWindow: 8192, price: { input: 0, output: 0, cachedInput: null, reasoning: null } }],
    });
    expect('apiKey' in input).toBe(false);
    expect(draftToInput({ ...d, apiKey: 'sk-1' }).input.apiKey).toBe('sk-1');
    expect(draftToInput({ ...d, clearKey: true }).input.apiKey).toBeNull();
  });

  it('reports bad fields next to them', () => {
    const d = draftFromProvider(null);
    expect(draftToInput(d).errors).toMatchObject({ name: expect.any(String), baseURL: expect.any(String) });
    const half = { ...d, name: 'x', baseURL: 'http://h/v1', models: [{ ...emptyModelRow('m'), input: '1' }] };
    expect(draftToInput(half).errors.models).toMatch(/both the input and the output/);
    const neg = { ...half, models: [{ ...emptyModelRow('m'), input: '-1', output: '1' }] };
    expect(draftToInput(neg).errors.models).toMatch(/0 or more/);
  });
});
