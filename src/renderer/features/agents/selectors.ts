// Named selectors of the agents store: components subscribe to exactly what they draw.
import type { AgentsState } from './store';

export const selectAgents = (s: AgentsState) => s.items;
export const selectAgentsStatus = (s: AgentsState) => s.status;
export const selectAgentsError = (s: AgentsState) => s.error;
export const selectAgentsView = (s: AgentsState) => s.view;
export const selectAgentsSearch = (s: AgentsState) => s.search;
export const selectSelectedAgentId = (s: AgentsState) => s.selectedId;
export const selectSelectedAgent = (s: AgentsState) => s.items.find((a) => a.id === s.selectedId) ?? null;
export const selectHasMoreAgents = (s: AgentsState) => s.nextCursor !== null;
export const selectAgentsLoadingMore = (s: AgentsState) => s.loadingMore;
