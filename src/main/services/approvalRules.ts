// "Always allow" rules as the settings show them; the runtime adds them when a user approves a
// call for the session or the agent.
import type { ChannelInput } from '../../shared/ipc';
import type { ApprovalRule } from '../../shared/ipc/channels/runtime';
import { PaddockError } from '../../shared/ipc/result';
import type { ApprovalRulesRepository } from '../repositories/approvalRules';

export class ApprovalRulesService {
  readonly #rules: ApprovalRulesRepository;

  constructor(rules: ApprovalRulesRepository) {
    this.#rules = rules;
  }

  list(input: ChannelInput<'runtime.rules'>): Promise<ApprovalRule[]> {
    return this.#rules.list(input.scope, input.targetId);
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.#rules.remove(id))) throw new PaddockError('NOT_FOUND', 'That rule no longer exists');
    return { id };
  }
}
