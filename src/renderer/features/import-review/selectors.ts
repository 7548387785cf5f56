// Named selectors of the import-review store: components subscribe to exactly what they draw.
import type { ImportReviewState } from './store';

export const selectReviewAgentId = (s: ImportReviewState) => s.agentId;
