// A scheduled (unattended) run has no one to ask: a call that needs a human is denied at once,
// not left waiting. An agent that set `approvalTimeoutMs` opted into waiting that long for
// someone to answer (the call is denied when no one does, see runner.ts).
import type { PermissionDecision } from '../permissions';

export const UNATTENDED_DENY_REASON =
  'Denied: this is an unattended (scheduled) run and this call needs a human to approve it. Do not retry it; finish without it, or explain what needs approval so a rule can allow it.';

export function unattendedDecision(decision: PermissionDecision, unattended: boolean, approvalTimeoutMs: number | undefined): PermissionDecision {
  if (decision.kind !== 'ask' || !unattended || approvalTimeoutMs !== undefined) return decision;
  return { kind: 'deny', reason: UNATTENDED_DENY_REASON };
}
