import { describe, expect, it } from 'vitest';
import { mergeUsage, usageFromRawChunk, type PartialUsage } from './partial-usage';

describe('usage in raw provider chunks', () => {
  it('Anthropic: input (with cache reads and writes) from message_start, output from message_delta', () => {
    const start = { type: 'message_start', message: { usage: { input_tokens: 100, cache_read_input_tokens: 40, cache_creation_input_tokens: 10, output_tokens: 1 } } };
    expect(usageFromRawChunk(start)).toEqual({ input: 150, cached: 40 });
    expect(usageFromRawChunk({ type: 'message_delta', usage: { output_tokens: 77 } })).toEqual({ output: 77 });
  });

  it('OpenAI-style usage chunks, including reasoning and cached details', () => {
    const chunk = { choices: [], usage: { prompt_tokens: 12, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 20 }, prompt_tokens_details: { cached_tokens: 4 } } };
    expect(usageFromRawChunk(chunk)).toEqual({ input: 12, output: 30, reasoning: 20, cached: 4 });
  });

  it('ignores chunks without usage and counts that are not whole numbers >= 0', () => {
    expect(usageFromRawChunk({ choices: [{ delta: { content: 'x' } }] })).toBeNull();
    expect(usageFromRawChunk('data')).toBeNull();
    expect(usageFromRawChunk({ usage: { prompt_tokens: -3, completion_tokens: 1.5 } })).toBeNull();
    expect(usageFromRawChunk({ type: 'message_start', message: { usage: { input_tokens: 'many' } } })).toBeNull();
  });

  it('later reports replace earlier ones field by field', () => {
    const u: PartialUsage = {};
    expect(mergeUsage(u, { input: 5 })).toBe(true);
    expect(mergeUsage(u, { input: 5 })).toBe(false);
    expect(mergeUsage(u, { output: 9 })).toBe(true);
    expect(u).toEqual({ input: 5, output: 9 });
  });
});
