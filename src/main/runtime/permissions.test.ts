import { describe, expect, it } from 'vitest';
import { PERMISSION_MODES, type PermissionMode } from '../../shared/domain';
import { ApprovalBroker, decide } from './permissions';
import type { ToolEffect } from './tools/types';

describe('permission matrix', () => {
  // [mode, effect, alwaysAllowed] -> expected
  const table: [PermissionMode, ToolEffect, boolean, 'allow' | 'ask' | 'deny'][] = [
    ['readOnly', 'read', false, 'allow'],
    ['readOnly', 'edit', false, 'deny'],
    ['readOnly', 'execute', false, 'deny'],
    ['readOnly', 'edit', true, 'deny'],
    ['readOnly', 'execute', true, 'deny'],
    ['ask', 'read', false, 'allow'],
    ['ask', 'edit', false, 'ask'],
    ['ask', 'execute', false, 'ask'],
    ['ask', 'edit', true, 'allow'],
    ['ask', 'execute', true, 'allow'],
    ['acceptEdits', 'read', false, 'allow'],
    ['acceptEdits', 'edit', false, 'allow'],
    ['acceptEdits', 'execute', false, 'ask'],
    ['acceptEdits', 'execute', true, 'allow'],
    ['bypassPermissions', 'read', false, 'allow'],
    ['bypassPermissions', 'edit', false, 'allow'],
    ['bypassPermissions', 'execute', false, 'allow'],
  ];
  it.each(table)('%s + %s (always allowed: %s) -> %s', (mode, effect, always, expected) => {
    expect(decide(mode, effect, 'some_tool', always).kind).toBe(expected);
  });

  it('covers every mode', () => {
    expect(new Set(table.map((r) => r[0]))).toEqual(new Set(PERMISSION_MODES));
  });

  it('readOnly tells the model why, naming the tool', () => {
    const d = decide('readOnly', 'execute', 'run_shell', false);
    expect(d.kind === 'deny' && d.reason).toMatch(/read-only.*run_shell/);
  });
});

describe('ApprovalBroker', () => {
  it('delivers an answer to the waiting call', async () => {
    const b = new ApprovalBroker();
    const p = b.wait('n1', { signal: new AbortController().signal });
    expect(b.isWaiting('n1')).toBe(true);
    expect(b.answer('n1', { kind: 'approved' })).toBe(true);
    expect(await p).toEqual({ kind: 'approved' });
    expect(b.isWaiting('n1')).toBe(false);
    expect(b.answer('n1', { kind: 'approved' })).toBe(false);
  });

  it('times out (unattended runs deny instead of hanging)', async () => {
    const b = new ApprovalBroker();
    expect(await b.wait('n', { timeoutMs: 20, signal: new AbortController().signal })).toEqual({ kind: 'timeout' });
  });

  it('a stop ends the wait', async () => {
    const b = new ApprovalBroker();
    const ac = new AbortController();
    const p = b.wait('n', { signal: ac.signal });
    ac.abort();
    expect(await p).toEqual({ kind: 'aborted' });
  });
});
