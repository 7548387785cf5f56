// The approval card's "Always allow…": the call is approved and an allow rule (tool + pattern,
// for the session, the agent or every agent) is saved where the user can see and edit it.
import type { ToolRule, RuleScope } from '../../../shared/ipc/channels/rules';
import type { EventBus } from '../../ipc/events';
import type { ApprovalRulesRepository } from '../../repositories/approvalRules';

export interface ApprovalRuleRequest {
  scope: RuleScope;
  pattern: string | null;
}

export async function saveApprovalRule(
  rules: Pick<ApprovalRulesRepository, 'save'>,
  events: Pick<EventBus, 'emit'> | undefined,
  session: { id: string; agentId: string },
  toolName: string,
  req: ApprovalRuleRequest,
): Promise<ToolRule> {
  const targetId = req.scope === 'global' ? null : req.scope === 'agent' ? session.agentId : session.id;
  const saved = await rules.save({ scope: req.scope, targetId, toolName, pattern: req.pattern, decision: 'allow', enabled: true }, 'approval');
  events?.emit('rules.changed', { ruleId: saved.id });
  return saved;
}
