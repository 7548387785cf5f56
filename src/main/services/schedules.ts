// Schedule policy, next runs and run history per agent. A saved policy is announced as
// `schedules.changed`, which the scheduler listens to and re-plans (pause, resume, time zone).
import type { ChannelInput } from '../../shared/ipc';
import type { ScheduleInfo, ScheduleRun } from '../../shared/ipc/channels/schedules';
import type { EventBus } from '../ipc/events';
import type { AgentsRepository } from '../repositories/agents';
import type { SchedulesRepository } from '../repositories/schedules';
import { scheduleOf } from '../runtime/scheduler';
import { nextRuns } from '../runtime/schedule/occurrences';

export interface SchedulesServiceDeps {
  schedules: SchedulesRepository;
  agents: Pick<AgentsRepository, 'get'>;
  events?: Pick<EventBus, 'emit'>;
  now?: () => Date;
}

export class SchedulesService {
  readonly #deps: SchedulesServiceDeps;

  constructor(deps: SchedulesServiceDeps) {
    this.#deps = deps;
  }

  async get(input: ChannelInput<'schedules.get'>): Promise<ScheduleInfo> {
    const [agent, policy] = await Promise.all([this.#deps.agents.get(input.agentId), this.#deps.schedules.policy(input.agentId)]);
    const pattern = agent.schedule?.trim() || null;
    const planned = scheduleOf(agent);
    const active = planned !== null && !policy.paused;
    let upcoming: string[] = [];
    if (active) {
      try {
        upcoming = nextRuns(planned, policy.timezone, this.#deps.now?.() ?? new Date(), 3);
      } catch {
        upcoming = [];
      }
    }
    return { policy, pattern, active, nextRuns: upcoming };
  }

  async savePolicy(input: ChannelInput<'schedules.savePolicy'>): Promise<ScheduleInfo> {
    await this.#deps.agents.get(input.agentId);
    await this.#deps.schedules.savePolicy(input, (this.#deps.now?.() ?? new Date()).toISOString());
    this.#deps.events?.emit('schedules.changed', { agentId: input.agentId });
    return this.get({ agentId: input.agentId });
  }

  history(input: ChannelInput<'schedules.history'>): Promise<ScheduleRun[]> {
    return this.#deps.schedules.history(input.agentId, input.limit);
  }
}
