// One decision for one tool call: the approval rules that apply (global, agent, session) matched
// against the call, combined with the permission mode. The run loop and the editor's "would this
// call be allowed?" tester both ask here, so the tester cannot disagree with a real run.
import type { PermissionMode } from '../../../shared/domain';
import type { ToolRule } from '../../../shared/ipc/channels/rules';
import { decide, type PermissionDecision } from '../permissions';
import type { ToolEffect } from '../tools/types';
import { evaluateRules, type Verdict } from './match';
import { callSubject, type PathResolver } from './subject';

export interface RuleSource {
  applicable(opts: { agentId?: string | null; sessionId?: string | null }): Promise<ToolRule[]>;
}

export interface CallToCheck {
  agentId: string;
  sessionId: string | null;
  mode: PermissionMode;
  effect: ToolEffect;
  toolName: string;
  args: unknown;
  /** The agent's sandbox (paths are judged where the tool would put them); null without one. */
  resolver: PathResolver | null;
  roots: readonly string[];
}

export interface CallCheck {
  decision: PermissionDecision;
  verdict: Verdict<ToolRule> | null;
}

export async function checkToolCall(rules: RuleSource, call: CallToCheck): Promise<CallCheck> {
  const all = await rules.applicable({ agentId: call.agentId, sessionId: call.sessionId });
  const enabled = all.filter((r) => r.enabled);
  let verdict: Verdict<ToolRule> | null = null;
  if (enabled.length > 0) {
    const subject = await callSubject(call.toolName, call.args, call.resolver);
    let cwd: string | null = null;
    try {
      cwd = call.resolver?.cwd ?? null;
    } catch {
      cwd = null;
    }
    verdict = evaluateRules(
      enabled,
      call.toolName,
      subject,
      { cwd, roots: call.roots },
    );
  }
  return { decision: decide(call.mode, call.effect, call.toolName, verdict?.decision ?? null), verdict };
}

/** Words for the tester and the log: why the call gets this decision. */
export function describeCheck(check: CallCheck, mode: PermissionMode): string {
  const r = check.verdict?.rule;
  if (r) {
    const what = `${r.toolName}${r.pattern ? ` ${r.pattern}` : ''}`;
    const verb = check.verdict!.decision;
    if (check.decision.kind !== verb) return `The ${r.scope} rule "${verb} ${what}" matches, but the ${mode} mode says ${check.decision.kind}.`;
    return `The ${r.scope} rule "${verb} ${what}" matches.`;
  }
  return `No rule matches; the ${mode} permission mode says ${check.decision.kind}.`;
}
