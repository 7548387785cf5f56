// The provider form's draft <-> the contract's save input. Numbers are edited as text so a
// half-typed "0." is not lost; they are checked on save with messages next to the fields.
import type { Provider, ProviderKind } from '../../../shared/ipc/channels/providers';

export interface ModelRow {
  id: string;
  contextWindow: string;
  input: string;
  output: string;
  cached: string;
  reasoning: string;
}

export interface ProviderDraft {
  id: string | null;
  name: string;
  kind: ProviderKind;
  baseURL: string;
  /** Empty = keep the saved key (if any). */
  apiKey: string;
  clearKey: boolean;
  hasKey: boolean;
  defaultModel: string;
  models: ModelRow[];
}

export const KIND_INFO: Record<ProviderKind, { label: string; placeholder: string; hint: string }> = {
  openai: { label: 'OpenAI', placeholder: 'https://api.openai.com/v1 (default)', hint: 'Leave the base URL empty for api.openai.com.' },
  anthropic: { label: 'Anthropic', placeholder: 'https://api.anthropic.com/v1 (default)', hint: 'Leave the base URL empty for api.anthropic.com.' },
  'openai-compatible': {
    label: 'OpenAI-compatible (Ollama, LM Studio, vLLM, OpenRouter…)',
    placeholder: 'http://localhost:11434/v1',
    hint: 'Ollama: http://localhost:11434/v1 · LM Studio: http://localhost:1234/v1. Local servers need no key.',
  },
};

export function emptyModelRow(id = ''): ModelRow {
  return { id, contextWindow: '', input: '', output: '', cached: '', reasoning: '' };
}

export function draftFromProvider(p: Provider | null): ProviderDraft {
  if (!p) return { id: null, name: '', kind: 'openai-compatible', baseURL: '', apiKey: '', clearKey: false, hasKey: false, defaultModel: '', models: [] };
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    baseURL: p.baseURL ?? '',
    apiKey: '',
    clearKey: false,
    hasKey: p.hasKey,
    defaultModel: p.defaultModel ?? '',
    models: p.models.map((m) => ({
      id: m.id,
      contextWindow: num(m.contextWindow),
      input: num(m.price?.input),
      output: num(m.price?.output),
      cached: num(m.price?.cachedInput),
      reasoning: num(m.price?.reasoning),
    })),
  };
}

export type DraftErrors = Partial<Record<'name' | 'baseURL' | 'models', string>>;

function parseNum(s: string): number | null | 'bad' {
  const t = s.trim();
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? n : 'bad';
}

export function draftToInput(d: ProviderDraft): { input: Record<string, unknown>; errors: DraftErrors } {
  const errors: DraftErrors = {};
  if (!d.name.trim()) errors.name = 'Give the provider a name.';
  const baseURL = d.baseURL.trim();
  if (d.kind === 'openai-compatible' && !baseURL) errors.baseURL = 'An OpenAI-compatible provider needs its base URL.';
  if (baseURL && !/^https?:\/\/.+/i.test(baseURL)) errors.baseURL = 'Use an http(s) URL, e.g. http://localhost:11434/v1';
  const seen = new Set<string>();
  const models = [];
  for (const row of d.models) {
    const id = row.id.trim();
    if (!id) continue;
    if (seen.has(id)) {
      errors.models = `Model ${id} is listed twice.`;
      continue;
    }
    seen.add(id);
    const [ctx, input, output, cached, reasoning] = [row.contextWindow, row.input, row.output, row.cached, row.reasoning].map(parseNum);
    if ([ctx, input, output, cached, reasoning].includes('bad')) {
      errors.models = `Model ${id}: numbers must be 0 or more.`;
      continue;
    }
    if ((input === null) !== (output === null)) {
      errors.models = `Model ${id}: give both the input and the output price, or neither.`;
      continue;
    }
    models.push({
      id,
      contextWindow: ctx === null ? null : Math.round(ctx as number),
      price: input === null ? null : { input, output, cachedInput: cached, reasoning },
    });
  }
  const input: Record<string, unknown> = {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    kind: d.kind,
    baseURL: baseURL || null,
    defaultModel: d.defaultModel.trim() || null,
    models,
  };
  if (d.apiKey.trim()) input.apiKey = d.apiKey.trim();
  else if (d.clearKey) input.apiKey = null;
  return { input, errors };
}
