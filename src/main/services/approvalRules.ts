// Approval rules as the agent editor and the settings show them, and the "would this call be
// allowed?" tester, which asks the same function as a real run (runtime/rules/check.ts).
import type { ChannelInput } from '../../shared/ipc';
import type { RuleTestResult, ToolRule } from '../../shared/ipc/channels/rules';
import type { ApprovalRule } from '../../shared/ipc/channels/runtime';
import { PaddockError } from '../../shared/ipc/result';
import type { EventBus } from '../ipc/events';
import type { AgentsRepository } from '../repositories/agents';
import type { ApprovalRulesRepository } from '../repositories/approvalRules';
import type { McpServersRepository } from '../repositories/mcpServers';
import { checkToolCall, describeCheck } from '../runtime/rules/check';
import { BUILTIN_TOOLS, PathSandbox } from '../runtime/tools';
import type { ToolEffect } from '../runtime/tools/types';

export interface ApprovalRulesServiceDeps {
  rules: ApprovalRulesRepository;
  agents?: Pick<AgentsRepository, 'get'>;
  mcpServers?: Pick<McpServersRepository, 'list'>;
  events?: Pick<EventBus, 'emit'>;
}

export class ApprovalRulesService {
  readonly #deps: ApprovalRulesServiceDeps;

  constructor(deps: ApprovalRulesServiceDeps | ApprovalRulesRepository) {
    this.#deps = 'rules' in deps ? deps : { rules: deps };
  }

  list(input: ChannelInput<'runtime.rules'>): Promise<ApprovalRule[]> {
    return this.#deps.rules.list(input.scope, input.targetId);
  }

  /** rules.list: the global rules plus those of the agent and/or session. */
  listFor(input: ChannelInput<'rules.list'>): Promise<ToolRule[]> {
    if (!input.agentId && !input.sessionId) return this.#deps.rules.list('global', null);
    return this.#deps.rules.applicable({ agentId: input.agentId ?? null, sessionId: input.sessionId ?? null });
  }

  async save(input: ChannelInput<'rules.save'>): Promise<ToolRule> {
    if (input.id) await this.#deps.rules.get(input.id);
    const saved = await this.#deps.rules.save(input);
    this.#deps.events?.emit('rules.changed', { ruleId: saved.id });
    return saved;
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.#deps.rules.remove(id))) throw new PaddockError('NOT_FOUND', 'That rule no longer exists');
    this.#deps.events?.emit('rules.changed', { ruleId: id });
    return { id };
  }

  async test(input: ChannelInput<'rules.test'>): Promise<RuleTestResult> {
    if (!this.#deps.agents) throw new PaddockError('INTERNAL', 'The rule tester is not available here');
    const agent = await this.#deps.agents.get(input.agentId);
    const sandbox = await PathSandbox.create(agent.accessiblePaths);
    const check = await checkToolCall(this.#deps.rules, {
      agentId: agent.id,
      sessionId: input.sessionId ?? null,
      mode: agent.permissionMode,
      effect: await this.effectOf(input.toolName),
      toolName: input.toolName,
      args: input.args,
      resolver: sandbox,
      roots: sandbox.rootPaths,
    });
    return {
      decision: check.decision.kind,
      by: check.verdict ? 'rule' : 'mode',
      rule: check.verdict?.rule ?? null,
      reason: describeCheck(check, agent.permissionMode),
    };
  }

  /** A built-in tool's effect; an MCP tool reads only when its server lists it as read-only. */
  private async effectOf(toolName: string): Promise<ToolEffect> {
    const builtin = BUILTIN_TOOLS.find((t) => t.name === toolName);
    if (builtin) return builtin.effect;
    const servers = (await this.#deps.mcpServers?.list()) ?? [];
    for (const s of servers) {
      if (toolName.startsWith(`${s.name}__`) && s.readOnlyTools.includes(toolName.slice(s.name.length + 2))) return 'read';
    }
    return 'execute';
  }
}
