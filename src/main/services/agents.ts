// Agent use cases over the repositories: CRUD with change events, trash rules, and the
// versioned export/import format.
import type { ApprovalRulesRepository } from '../repositories/approvalRules';
import { uuidv7 } from 'uuidv7';
import type { Agent, AgentVersion, Page, PendingReview } from '../../shared/domain';
import {
  AGENT_EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  PaddockError,
  type AgentExport,
  type ChannelInput,
} from '../../shared/ipc';
import type { AgentSessionCount } from '../../shared/ipc/channels/agents';
import type { EventBus } from '../ipc/events';
import type { AgentsRepository } from '../repositories/agents';
import type { ImportsRepository } from '../repositories/imports';
import { uniqueName } from './names';
import { armedPatch, disarmConfig } from './consent';

/** A review that holds nothing of the config (an import whose only risky part is its rules). */
const nothingHeld = (requestedAt: string): PendingReview => ({ permissionMode: null, accessiblePaths: [], schedule: null, mcpServers: [], builtinTools: [], requestedAt });

export interface AgentsServiceDeps {
  agents: AgentsRepository;
  imports: ImportsRepository;
  events: EventBus;
  /** The agent's approval rules travel with its export; imported ones arrive turned off. */
  rules?: Pick<ApprovalRulesRepository, 'list' | 'importDisabled' | 'enableImported'>;
}

export class AgentsService {
  readonly #agents: AgentsRepository;
  readonly #imports: ImportsRepository;
  readonly #events: EventBus;
  readonly #rules: AgentsServiceDeps['rules'];

  constructor(deps: AgentsServiceDeps) {
    this.#agents = deps.agents;
    this.#imports = deps.imports;
    this.#events = deps.events;
    this.#rules = deps.rules;
  }

  #changed(agentId: string, change: 'created' | 'updated' | 'removed' | 'restored' | 'purged' | 'imported'): void {
    this.#events.emit('agents.changed', { agentId, change });
  }

  /** The repository speaks the contract's list query: no translation here. */
  list(input: ChannelInput<'agents.list'>): Promise<Page<Agent>> {
    return this.#agents.list(input);
  }

  sessionCounts(input: ChannelInput<'agents.sessionCounts'>): Promise<AgentSessionCount[]> {
    return this.#agents.sessionCounts(input.agentIds);
  }

  get(id: string): Promise<Agent> {
    return this.#agents.get(id);
  }

  async create(input: ChannelInput<'agents.create'>): Promise<Agent> {
    const agent = await this.#agents.create(input);
    this.#changed(agent.id, 'created');
    return agent;
  }

  async update(input: ChannelInput<'agents.update'>): Promise<Agent> {
    const before = await this.#agents.get(input.id);
    const agent = await this.#agents.update(
      input.id,
      input.patch,
      input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion },
    );
    if (agent.version !== before.version) this.#changed(agent.id, 'updated');
    return agent;
  }

  async remove(id: string): Promise<Agent> {
    const agent = await this.#agents.softDelete(id);
    this.#changed(id, 'removed');
    return agent;
  }

  async restore(id: string): Promise<Agent> {
    const agent = await this.#agents.restore(id);
    this.#changed(id, 'restored');
    return agent;
  }

  /** Only from the trash: a live agent is never deleted for good in one step. */
  async purge(input: ChannelInput<'agents.purge'>): Promise<{ id: string; sessionsDeleted: number }> {
    const agent = await this.#agents.get(input.id);
    if (!agent.deletedAt) throw new PaddockError('CONFLICT', 'Move the agent to the trash before deleting it for good');
    const { sessionsDeleted } = await this.#agents.purge(input.id, { cascade: input.cascade });
    this.#changed(input.id, 'purged');
    return { id: input.id, sessionsDeleted };
  }

  async duplicate(input: ChannelInput<'agents.duplicate'>): Promise<Agent> {
    const agent = await this.#agents.duplicate(input.id, input.name);
    this.#changed(agent.id, 'created');
    return agent;
  }

  versions(id: string): Promise<AgentVersion[]> {
    return this.#agents.versions(id);
  }

  async export(id: string): Promise<AgentExport> {
    const agent = await this.#agents.get(id);
    const versions = await this.#agents.versions(id);
    return {
      format: AGENT_EXPORT_FORMAT,
      version: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      agent,
      versions: [...versions].sort((a, b) => a.version - b.version),
      ...(this.#rules ? { rules: (await this.#rules.list('agent', id)).map((r) => ({ toolName: r.toolName, pattern: r.pattern, decision: r.decision })) } : {}),
    };
  }

  /**
   * Recreates the agent with its whole history. Ids are kept when free, so export -> import
   * on another machine gives the same records; with onConflict 'copy' an agent that already
   * exists here is imported as a copy with fresh ids.
   */
  async import(input: ChannelInput<'agents.import'>): Promise<Agent> {
    const { agent, versions } = input.data;
    if (!versions.some((v) => v.version === agent.version)) {
      throw new PaddockError('VALIDATION', `The file lacks version ${agent.version} of the agent (its current version)`);
    }
    const foreign = versions.find((v) => v.agentId !== agent.id);
    if (foreign) throw new PaddockError('VALIDATION', `Version ${foreign.version} belongs to another agent`);
    if (new Set(versions.map((v) => v.version)).size !== versions.length) {
      throw new PaddockError('VALIDATION', 'The file lists the same agent version twice');
    }
    // Every snapshot is disarmed, not only the current one: sessions pin version rows, and an
    // old hostile version must not be one "restore version" away from running.
    const at = new Date().toISOString();
    const disarmed = disarmConfig(agent, agent.pendingReview, at);
    // The file's rules are held like the rest: stored off, each listed in the review.
    const ruleIds = this.#rules ? (input.data.rules ?? []).map(() => uuidv7()) : [];
    const review = ruleIds.length > 0 ? { ...(disarmed.review ?? nothingHeld(at)), rules: ruleIds } : disarmed.review;
    let target: Agent = { ...disarmed.config, pendingReview: review };
    let targetVersions: AgentVersion[] = versions.map((v) => ({ ...v, config: disarmConfig(v.config, null, at).config }));
    if (await this.#imports.agentExists(agent.id)) {
      if (input.onConflict === 'error') throw new PaddockError('CONFLICT', `An agent with id ${agent.id} already exists`);
      const id = uuidv7();
      target = { ...target, id };
      targetVersions = targetVersions.map((v) => ({ ...v, id: uuidv7(), agentId: id }));
    }
    // A second "Reviewer" arrives as "Reviewer (2)": the current version carries the name too.
    const name = uniqueName(target.name, await this.#imports.namesLike(target.name));
    if (name !== target.name) {
      target = { ...target, name };
      targetVersions = targetVersions.map((v) => (v.version === agent.version ? { ...v, config: { ...v.config, name } } : v));
    }
    await this.#imports.insertAgent(target, targetVersions);
    // Off until the user turns each on: a file's rules could allow what the user never would.
    if (ruleIds.length > 0) await this.#rules?.importDisabled(target.id, input.data.rules ?? [], ruleIds);
    this.#changed(target.id, 'imported');
    return this.#agents.get(target.id);
  }

  /**
   * Ends an imported agent's review: arms exactly what the user accepted (as a new version)
   * and drops the rest of what the file asked for. CONFLICT when there is nothing to review or
   * the agent changed since the dialog read it.
   */
  async confirmImport(input: ChannelInput<'agents.confirmImport'>): Promise<Agent> {
    const agent = await this.#agents.get(input.id);
    if (!agent.pendingReview) throw new PaddockError('CONFLICT', `Agent "${agent.name}" has nothing waiting for review`);
    if (agent.deletedAt) throw new PaddockError('CONFLICT', 'Restore the agent before confirming its import');
    const patch = armedPatch(agent, agent.pendingReview, input.accept);
    const updated = await this.#agents.update(agent.id, patch, { expectedVersion: input.expectedVersion ?? agent.version, clearReview: true });
    this.#changed(agent.id, 'updated');
    // After the review is closed: a failure here leaves the rules off (the safe side), and the
    // rules panel can still turn them on.
    for (const ruleId of await (this.#rules?.enableImported(agent.id, input.accept.rules) ?? Promise.resolve([]))) {
      this.#events.emit('rules.changed', { ruleId });
    }
    return updated;
  }
}
