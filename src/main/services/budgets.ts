// Budgets as the agent editor, the session view and the usage view show them. Enforcement is
// the runtime's (runtime/budget/guard.ts); this is setting caps and reading what is left.
import type { ChannelInput } from '../../shared/ipc';
import type { Budget, BudgetStatus } from '../../shared/ipc/channels/budgets';
import { PaddockError } from '../../shared/ipc/result';
import type { EventBus } from '../ipc/events';
import type { BudgetsRepository } from '../repositories/budgets';
import type { SessionsRepository } from '../repositories/sessions';

export interface BudgetsServiceDeps {
  budgets: BudgetsRepository;
  sessions: Pick<SessionsRepository, 'get'>;
  events?: Pick<EventBus, 'emit'>;
  now?: () => Date;
}

export class BudgetsService {
  readonly #deps: BudgetsServiceDeps;

  constructor(deps: BudgetsServiceDeps) {
    this.#deps = deps;
  }

  list(input: ChannelInput<'budgets.list'>): Promise<Budget[]> {
    return this.#deps.budgets.list(input);
  }

  async save(input: ChannelInput<'budgets.save'>): Promise<Budget> {
    const saved = await this.#deps.budgets.save(input);
    this.#deps.events?.emit('budgets.changed', { sessionId: input.scope === 'session' ? input.targetId : null, agentId: input.scope === 'agent' || input.scope === 'schedule' ? input.targetId : null, kind: 'saved' });
    return saved;
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.#deps.budgets.remove(id))) throw new PaddockError('NOT_FOUND', 'That budget no longer exists');
    this.#deps.events?.emit('budgets.changed', { sessionId: null, agentId: null, kind: 'saved' });
    return { id };
  }

  async status(input: ChannelInput<'budgets.status'>): Promise<BudgetStatus> {
    const now = this.#deps.now?.() ?? new Date();
    if (input.sessionId) {
      const session = await this.#deps.sessions.get(input.sessionId);
      const budgets = await this.#deps.budgets.uses({ sessionId: session.id, agentId: session.agentId, now });
      const stoppedBy = session.status === 'budget_reached' ? session.error : null;
      return { budgets, stoppedBy };
    }
    return { budgets: await this.#deps.budgets.agentUses(input.agentId ?? null, now), stoppedBy: null };
  }
}
