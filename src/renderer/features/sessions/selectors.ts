// Named selectors of the sessions store: components subscribe to exactly what they draw.
import type { SessionsState } from './store';

export const selectSessions = (s: SessionsState) => s.items;
export const selectSessionsStatus = (s: SessionsState) => s.status;
export const selectSessionsError = (s: SessionsState) => s.error;
export const selectSelectedSessionId = (s: SessionsState) => s.selectedId;
export const selectHasMoreSessions = (s: SessionsState) => s.nextCursor !== null;
export const selectSessionsLoadingMore = (s: SessionsState) => s.loadingMore;
export const selectStatusFilter = (s: SessionsState) => s.statusFilter;
export const selectSessionSort = (s: SessionsState) => s.sort;
export const selectSessionOrder = (s: SessionsState) => s.order;
export const selectArchivedFilter = (s: SessionsState) => s.archived;
