// The permission policy: which tool calls run, which wait for the user, which are refused —
// and the in-memory rendezvous between a waiting call and the user's answer.
import type { PermissionMode } from '../../shared/domain';
import type { RuleDecision } from './rules/match';
import type { ToolEffect } from './tools/types';
import type { ApprovalScope } from '../../shared/ipc/channels/runtime';

export type PermissionDecision = { kind: 'allow' } | { kind: 'ask' } | { kind: 'deny'; reason: string };

/**
 * readOnly: side-effecting tools are refused (the model is told why);
 * ask: every side-effecting call waits; acceptEdits: file edits run, everything else waits;
 * bypassPermissions: everything runs. Reading never asks.
 *
 * `rule` is what the approval rules say about this call (rules/match.ts), `true` being the old
 * "always allow". A deny rule refuses in every mode and an ask rule asks in every mode (reads
 * included); an allow rule turns a wait into a run but never overrides readOnly.
 */
export function decide(mode: PermissionMode, effect: ToolEffect, toolName: string, rule: boolean | RuleDecision | null): PermissionDecision {
  const verdict: RuleDecision | null = rule === true ? 'allow' : rule === false ? null : rule;
  if (verdict === 'deny') {
    return { kind: 'deny', reason: `Permission denied: a rule forbids this ${toolName} call. Do not retry it; finish without it or explain what you needed.` };
  }
  if (verdict === 'ask') return { kind: 'ask' };
  const alwaysAllowed = verdict === 'allow';
  if (effect === 'read') return { kind: 'allow' };
  switch (mode) {
    case 'readOnly':
      return {
        kind: 'deny',
        reason: `Permission denied: this agent runs in read-only mode, so ${toolName} (which ${effect === 'edit' ? 'changes files' : 'runs commands'}) is not allowed. Do not retry it; describe the change you would make instead.`,
      };
    case 'bypassPermissions':
      return { kind: 'allow' };
    case 'acceptEdits':
      return effect === 'edit' || alwaysAllowed ? { kind: 'allow' } : { kind: 'ask' };
    case 'ask':
      return alwaysAllowed ? { kind: 'allow' } : { kind: 'ask' };
  }
}

export type ApprovalOutcome =
  /** scope: how long the user's answer holds (absent: approved before a restart, scope unknown). */
  | { kind: 'approved'; scope?: ApprovalScope }
  | { kind: 'denied'; reason: string | null }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

interface Waiter {
  resolve(o: ApprovalOutcome): void;
}

/** Where a run waits for the answer to a pending tool call (keyed by the action node id). */
export class ApprovalBroker {
  private readonly waiters = new Map<string, Waiter>();

  /** Resolves with the user's answer, `timeout` after timeoutMs (if given), or `aborted` on stop. */
  wait(nodeId: string, opts: { timeoutMs?: number | null; signal: AbortSignal }): Promise<ApprovalOutcome> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (o: ApprovalOutcome) => {
        if (timer) clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
        this.waiters.delete(nodeId);
        resolve(o);
      };
      const onAbort = () => done({ kind: 'aborted' });
      if (opts.signal.aborted) return done({ kind: 'aborted' });
      opts.signal.addEventListener('abort', onAbort, { once: true });
      if (opts.timeoutMs != null) timer = setTimeout(() => done({ kind: 'timeout' }), opts.timeoutMs);
      this.waiters.set(nodeId, { resolve: done });
    });
  }

  isWaiting(nodeId: string): boolean {
    return this.waiters.has(nodeId);
  }

  /** Hands the answer to a live waiter; false when no run is waiting (e.g. after a restart). */
  answer(nodeId: string, outcome: ApprovalOutcome): boolean {
    const w = this.waiters.get(nodeId);
    if (!w) return false;
    w.resolve(outcome);
    return true;
  }
}
