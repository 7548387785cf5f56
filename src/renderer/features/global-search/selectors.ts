// Named selectors of the global-search store: components subscribe to exactly what they draw.
import type { GlobalSearchState } from './store';

export const selectSearchOpen = (s: GlobalSearchState) => s.open;
export const selectSearchQuery = (s: GlobalSearchState) => s.query;
export const selectSearchStatus = (s: GlobalSearchState) => s.status;
export const selectSearchError = (s: GlobalSearchState) => s.error;
export const selectSearchGroups = (s: GlobalSearchState) => s.groups;
export const selectSearchActive = (s: GlobalSearchState) => s.active;
export const selectSearchTruncated = (s: GlobalSearchState) => s.truncated;
export const selectSearchFilters = (s: GlobalSearchState) => s.filters;
export const selectSearchLoadingMore = (s: GlobalSearchState) => s.loadingMore;
