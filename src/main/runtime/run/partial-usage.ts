// Token counts a provider reports in the middle of a stream. The AI SDK hands usage over only in
// its closing 'finish-step' part, so a turn that is stopped (or whose process dies) before that
// part would lose counts the provider already sent: Anthropic states the input tokens in its
// very first event (message_start) and the output in message_delta; OpenAI-style servers send a
// usage chunk before [DONE], and some (vLLM's continuous usage stats) send one with every chunk.
// These are read from the raw chunks the SDK passes through with `includeRawChunks`.
import type { StepUsage } from './types';

export type PartialUsage = Partial<StepUsage>;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Only whole, non-negative counts are kept: anything else from outside is ignored here. */
function counts(u: Record<string, number | undefined>): PartialUsage | null {
  const out: PartialUsage = {};
  for (const [k, v] of Object.entries(u)) if (isCount(v)) out[k as keyof StepUsage] = v;
  return Object.keys(out).length > 0 ? out : null;
}

function num(o: Record<string, unknown> | null, key: string): number | undefined {
  const v = o?.[key];
  return isCount(v) ? v : undefined;
}

function anthropicInput(u: Record<string, unknown>): number | undefined {
  const base = num(u, 'input_tokens');
  if (base === undefined) return undefined;
  // Like the SDK's own total: cache reads and writes are input tokens too.
  return base + (num(u, 'cache_read_input_tokens') ?? 0) + (num(u, 'cache_creation_input_tokens') ?? 0);
}

/** The usage a raw provider chunk carries, or null when it carries none. */
export function usageFromRawChunk(raw: unknown): PartialUsage | null {
  const chunk = obj(raw);
  if (!chunk) return null;
  if (chunk.type === 'message_start') {
    const u = obj(obj(chunk.message)?.usage);
    // message_start's output_tokens is a placeholder (1): only its input is a real count.
    return u ? counts({ input: anthropicInput(u), cached: num(u, 'cache_read_input_tokens') }) : null;
  }
  if (chunk.type === 'message_delta') {
    const u = obj(chunk.usage);
    return u ? counts({ input: anthropicInput(u), output: num(u, 'output_tokens') }) : null;
  }
  const u = obj(chunk.usage);
  if (u && ('prompt_tokens' in u || 'completion_tokens' in u)) {
    return counts({
      input: num(u, 'prompt_tokens'),
      output: num(u, 'completion_tokens'),
      reasoning: num(obj(u.completion_tokens_details), 'reasoning_tokens'),
      cached: num(obj(u.prompt_tokens_details), 'cached_tokens'),
    });
  }
  return null;
}

/** Later reports replace earlier ones field by field (providers send running totals). */
export function mergeUsage(into: PartialUsage, next: PartialUsage): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(next) as [keyof StepUsage, number][]) {
    if (into[k] !== v) {
      into[k] = v;
      changed = true;
    }
  }
  return changed;
}
