// Reading the free-form `settings` of an agent's config (validated as JSON, not per key).
import type { AgentConfig, JsonValue } from '../../../shared/domain';
import type { Provider } from '../../../shared/ipc/channels/providers';

export function settingNumber(cfg: AgentConfig, key: string): number | undefined {
  const v = cfg.settings[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function settingString(cfg: AgentConfig, key: string): string | undefined {
  const v = cfg.settings[key];
  return typeof v === 'string' && v ? v : undefined;
}

/** Thinking / reasoning effort from the agent's settings, in each provider's own option shape. */
export function providerOptionsFor(cfg: AgentConfig, kind: Provider['kind']): Record<string, Record<string, JsonValue>> | undefined {
  const budget = settingNumber(cfg, 'thinkingBudgetTokens');
  const effort = settingString(cfg, 'reasoningEffort');
  if (kind === 'anthropic' && budget !== undefined) return { anthropic: { thinking: { type: 'enabled', budgetTokens: Math.round(budget) } } };
  if (kind === 'openai' && effort) return { openai: { reasoningEffort: effort } };
  if (kind === 'openai-compatible' && effort) return { openaiCompatible: { reasoningEffort: effort } };
  return undefined;
}
