// How a stored model reference (`<providerId>:<model>`, see channels/providers.ts) reads for
// people: "Provider · model", with what the provider's settings know about the model. The id in
// the reference keeps it pointing at the same provider after a rename; only the label changes.
import { parseModelRef, type Provider, type ProviderModel } from '../../../shared/ipc/channels/providers';
import { formatTokens } from '../../lib/format';
import { useRuntimeStore } from './store';
import { selectProviders } from './selectors';

export interface ModelChoice {
  /** What is stored: `<providerId>:<model>`. */
  ref: string;
  providerName: string;
  model: string;
  info: ProviderModel | null;
}

export interface ModelLabel {
  text: string;
  /** Null when the reference names a provider that is configured here. */
  problem: string | null;
  info: ProviderModel | null;
}

/** Every model of every configured provider (its default included), as picker choices. */
export function modelChoices(providers: readonly Provider[]): ModelChoice[] {
  return providers.flatMap((p) => {
    const byId = new Map(p.models.map((m) => [m.id, m] as const));
    const ids = [...new Set([...(p.defaultModel ? [p.defaultModel] : []), ...p.models.map((m) => m.id)])];
    return ids.map((model) => ({ ref: `${p.id}:${model}`, providerName: p.name, model, info: byId.get(model) ?? null }));
  });
}

export function describeModel(ref: string | null, providers: readonly Provider[]): ModelLabel {
  if (!ref) return { text: 'Default model', problem: null, info: null };
  const parsed = parseModelRef(ref);
  // A reference by id, or (older configs, hand-typed ones) by provider name.
  const provider = parsed ? providers.find((p) => p.id === parsed.provider || p.name === parsed.provider) : undefined;
  if (parsed && provider) {
    const info = provider.models.find((m) => m.id === parsed.model) ?? null;
    return { text: `${provider.name} · ${parsed.model}`, problem: null, info };
  }
  if (!parsed) {
    // A bare model id runs only when exactly one provider exists (runner.ts).
    if (providers.length === 1) return { text: `${providers[0]!.name} · ${ref}`, problem: null, info: providers[0]!.models.find((m) => m.id === ref) ?? null };
    return { text: ref, problem: providers.length === 0 ? 'No provider is configured yet' : 'Name a provider too: pick the model from the list', info: null };
  }
  return { text: parsed.model, problem: 'Its provider no longer exists: pick the model again', info: null };
}

/** "200K context · $3 / $15 per M tokens", or '' when nothing is known. */
export function modelFacts(info: ProviderModel | null): string {
  if (!info) return '';
  const parts: string[] = [];
  if (info.contextWindow) parts.push(`${formatTokens(info.contextWindow)} context`);
  if (info.price) parts.push(`$${info.price.input} / $${info.price.output} per M tokens`);
  return parts.join(' · ');
}

/** The label of a model reference, live with the providers list (renames included). */
export function useModelLabel(ref: string | null): ModelLabel {
  const providers = useRuntimeStore(selectProviders);
  return describeModel(ref, providers);
}
