// The one definition of a token total used everywhere figures are shown (session header, list,
// tree roll-ups, usage dashboard). Providers report reasoning tokens as part of the output
// tokens (the AI SDK's outputTokens includes outputTokenDetails.reasoningTokens), so adding
// them again would count them twice.

export interface TokenCounts {
  tokensIn: number;
  tokensOut: number;
}

export function totalTokens(counts: TokenCounts): number {
  return counts.tokensIn + counts.tokensOut;
}
