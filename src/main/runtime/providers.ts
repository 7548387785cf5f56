// Turns a stored provider (+ its key) into an AI SDK model, lists its models over HTTP, and
// prices usage from the editable price table.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { ModelPrice, Provider, ProviderKind } from '../../shared/ipc/channels/providers';

export const DEFAULT_BASE_URLS: Record<Exclude<ProviderKind, 'openai-compatible'>, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
};

export interface ProviderEndpoint {
  kind: ProviderKind;
  baseURL: string | null;
  apiKey: string | null;
  /** Used as the AI SDK provider name (what shows up in provider metadata). */
  name?: string;
}

function baseUrlOf(p: ProviderEndpoint): string {
  const url = p.baseURL ?? (p.kind === 'openai-compatible' ? null : DEFAULT_BASE_URLS[p.kind]);
  if (!url) throw new Error('An OpenAI-compatible provider needs a base URL.');
  return url.replace(/\/+$/, '');
}

export function createLanguageModel(p: ProviderEndpoint, modelId: string): LanguageModel {
  const baseURL = baseUrlOf(p);
  // Local servers (Ollama, LM Studio) take no key; the SDKs insist on one for the hosted APIs,
  // so an explicit placeholder keeps them from reading OPENAI_API_KEY from the environment.
  const apiKey = p.apiKey ?? 'no-key';
  switch (p.kind) {
    case 'anthropic':
      return createAnthropic({ baseURL, apiKey })(modelId);
    case 'openai':
      // Chat Completions: the API every OpenAI-style server speaks (the Responses API is OpenAI-only).
      return createOpenAI({ baseURL, apiKey }).chat(modelId);
    case 'openai-compatible':
      return createOpenAICompatible({ name: 'openai-compatible', baseURL, ...(p.apiKey ? { apiKey: p.apiKey } : {}), includeUsage: true })(modelId);
  }
}

/** A provider's error body reduced to one readable line. */
async function describeHttpError(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    detail = (typeof body.error === 'string' ? body.error : body.error?.message) ?? body.message ?? detail;
  } catch {
    // not JSON
  }
  const hint = res.status === 401 || res.status === 403 ? ' (check the API key)' : res.status === 429 ? ' (rate limited)' : '';
  return `HTTP ${res.status}${hint}${detail ? `: ${detail}` : ''}`;
}

export async function listProviderModels(p: ProviderEndpoint, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string[]> {
  const url = `${baseUrlOf(p)}/models`;
  const headers: Record<string, string> =
    p.kind === 'anthropic'
      ? { 'anthropic-version': '2023-06-01', ...(p.apiKey ? { 'x-api-key': p.apiKey } : {}) }
      : p.apiKey
        ? { authorization: `Bearer ${p.apiKey}` }
        : {};
  const signal = opts.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new Error(`Could not reach ${url}${cause ? ` (${cause})` : ''}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new Error(await describeHttpError(res));
  const body = (await res.json().catch(() => null)) as { data?: { id?: unknown }[]; models?: { name?: unknown }[] } | null;
  const ids = (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  return ids.sort((a, b) => a.localeCompare(b));
}

export interface UsageNumbers {
  /** All input tokens, cached included. */
  input: number;
  /** All output tokens, reasoning included. */
  output: number;
  reasoning: number;
  cached: number;
}

/** US dollars for one model call; 0 when the model has no price. */
export function costOf(u: UsageNumbers, price: ModelPrice | null): number {
  if (!price) return 0;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  const cached = Math.min(u.cached, u.input);
  const reasoning = Math.min(u.reasoning, u.output);
  return (
    (u.input - cached) * perToken(price.input) +
    cached * perToken(price.cachedInput ?? price.input) +
    (u.output - reasoning) * perToken(price.output) +
    reasoning * perToken(price.reasoning ?? price.output)
  );
}

export function modelInfo(provider: Provider, modelId: string) {
  return provider.models.find((m) => m.id === modelId) ?? null;
}
