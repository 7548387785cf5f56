import { describe, expect, it } from 'vitest';
import { totalTokens } from './usage';

describe('totalTokens', () => {
  it('does not add reasoning tokens again: they are already inside the output tokens', () => {
    // The header once read "377 (267 in / 80 out)" for 267 in, 80 out of which 30 reasoning.
    expect(totalTokens({ tokensIn: 267, tokensOut: 80, tokensReasoning: 30 } as never)).toBe(347);
  });
});
