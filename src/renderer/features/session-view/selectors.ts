// Named selectors of the session-view store: components subscribe to exactly what they draw.
import type { SessionViewState } from './store';

export const selectViewSession = (s: SessionViewState) => s.session;
export const selectViewStatus = (s: SessionViewState) => s.status;
export const selectViewError = (s: SessionViewState) => s.error;
export const selectStructureVersion = (s: SessionViewState) => s.structureVersion;
export const selectCollapsed = (s: SessionViewState) => s.collapsed;
export const selectActiveId = (s: SessionViewState) => s.activeId;
export const selectSearch = (s: SessionViewState) => s.search;
export const selectReveal = (s: SessionViewState) => s.reveal;
export const selectLoadedCount = (s: SessionViewState) => s.loadedCount;
export const selectTotalCount = (s: SessionViewState) => s.totalCount;
export const selectLoadingRest = (s: SessionViewState) => s.loadingRest;
export const selectNode = (id: string) => (s: SessionViewState) => s.index.nodes.get(id);
export const selectRollup = (id: string) => (s: SessionViewState) => s.rollups.get(id);
export const selectDetailsOpen = (id: string) => (s: SessionViewState) => s.openDetails.has(id);
export const selectIsMatch = (id: string) => (s: SessionViewState) => s.search.matches[s.search.current] === id;
