import { describe, expect, it } from 'vitest';
import { usageFromProvider } from './step-log';

describe('usageFromProvider', () => {
  it('reads the counts a provider reported, 0 for the ones it left out', () => {
    expect(usageFromProvider({ inputTokens: 10, outputTokens: 4, totalTokens: 14, inputTokenDetails: { cacheReadTokens: 3 }, outputTokenDetails: { reasoningTokens: 2 } } as never)).toEqual({
      input: 10,
      output: 4,
      reasoning: 2,
      cached: 3,
    });
    expect(usageFromProvider(undefined)).toEqual({ input: 0, output: 0, reasoning: 0, cached: 0 });
  });

  it.each([{ inputTokens: -1 }, { outputTokens: 1.5 }, { inputTokens: Number.NaN }, { outputTokenDetails: { reasoningTokens: -3 } }])(
    'refuses a count that is not a whole number >= 0: %j',
    (usage) => {
      expect(() => usageFromProvider(usage as never)).toThrow(/invalid token usage/);
    },
  );
});
