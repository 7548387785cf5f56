import { beforeEach, describe, expect, it } from 'vitest';
import { runAction } from './runAction';
import { useUiStore } from './ui';

const toasts = () => useUiStore.getState().toasts.map((t) => ({ message: t.message, tone: t.tone, timeoutMs: t.timeoutMs }));

describe('runAction', () => {
  beforeEach(() => useUiStore.setState({ toasts: [] }));

  it('answers what the action answers and reports nothing when it succeeds', async () => {
    expect(await runAction('Could not save', async () => 42)).toBe(42);
    expect(toasts()).toEqual([]);
  });

  it('turns a failure into one error toast and the fallback', async () => {
    const answer = await runAction('Could not save the provider', () => Promise.reject(new Error('disk full')), { fallback: null });
    expect(answer).toBeNull();
    expect(toasts()).toEqual([{ message: 'Could not save the provider: disk full', tone: 'error', timeoutMs: 10_000 }]);
  });

  it('keeps a longer toast when asked and answers undefined without a fallback', async () => {
    expect(await runAction('Could not import', () => Promise.reject(new Error('bad file')), { timeoutMs: 15_000 })).toBeUndefined();
    expect(toasts()).toEqual([{ message: 'Could not import: bad file', tone: 'error', timeoutMs: 15_000 }]);
  });

  it('reports, then throws on, when the caller also shows the error in place', async () => {
    const error = new Error('name taken');
    await expect(runAction('Could not create the agent', () => Promise.reject(error), { rethrow: true })).rejects.toBe(error);
    expect(toasts()).toEqual([{ message: 'Could not create the agent: name taken', tone: 'error', timeoutMs: 10_000 }]);
  });
});
