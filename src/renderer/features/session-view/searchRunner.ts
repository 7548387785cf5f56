// Search inside the open session, answering at once: the first page of hits in tree order
// (logs.searchPage, ~50 hits, as fast as a plain FTS query) is shown and its first hit revealed
// straight away; the rest of the server's hits and the matches among loaded nodes (text still
// streaming, words inside words) are merged in after, keeping the reader's place.
import { LOG_PAGE_MAX } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { orderMatches, searchLoaded } from './tree/search';
import type { TreeIndex } from './tree/treeIndex';

/** Hits in the first answer: enough to step through while the rest arrives. */
export const FIRST_HITS = 50;
/** Most hits a search keeps (server and local together). */
export const SEARCH_LIMIT = LOG_PAGE_MAX;

export interface SearchState {
  query: string;
  matches: string[];
  current: number;
  status: 'idle' | 'searching' | 'done' | 'error';
  /** More matches exist than were fetched (or are still being fetched). */
  truncated: boolean;
  error: string | null;
}

export const EMPTY_SEARCH: SearchState = { query: '', matches: [], current: -1, status: 'idle', truncated: false, error: null };

export interface SearchHooks {
  sessionId: string;
  index: () => TreeIndex;
  search: () => SearchState;
  /** False once the session changed, the query changed or a newer search started. */
  current: () => boolean;
  setSearch: (search: SearchState) => void;
  reveal: (id: string) => void;
}

const afterPaint = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function runSessionSearch(query: string, hooks: SearchHooks): Promise<void> {
  let first: { ids: string[]; more: boolean } | null = null;
  let firstError: unknown = null;
  try {
    const page = await api().logs.searchPage({ query, sessionId: hooks.sessionId, order: 'tree', limit: FIRST_HITS });
    first = { ids: page.items.map((hit) => hit.nodeId), more: page.nextCursor !== null };
  } catch (e) {
    firstError = e;
  }
  if (!hooks.current()) return;
  if (first && first.ids.length > 0) {
    // Already in tree order; loaded or not, the first one is revealed now (or once its page arrives).
    hooks.setSearch({ query: hooks.search().query, matches: first.ids, current: 0, status: 'done', truncated: true, error: null });
    hooks.reveal(first.ids[0]!);
    await afterPaint();
    if (!hooks.current()) return;
  }
  await completeSearch(query, hooks, first, firstError);
}

/** Local matches and (when the first page was not all) the server's other hits, merged. */
async function completeSearch(query: string, hooks: SearchHooks, first: { ids: string[]; more: boolean } | null, firstError: unknown): Promise<void> {
  let remote = first?.ids ?? [];
  let truncated = false;
  let error: unknown = firstError;
  if (first?.more) {
    try {
      const hits = await api().logs.search({ query, sessionId: hooks.sessionId, limit: SEARCH_LIMIT, order: 'tree' });
      remote = hits.map((hit) => hit.nodeId);
      truncated = hits.length >= SEARCH_LIMIT;
    } catch (e) {
      // The first page stands; more may exist.
      truncated = true;
      error ??= e;
    }
    if (!hooks.current()) return;
  }
  const index = hooks.index();
  const local = searchLoaded(index, query, SEARCH_LIMIT);
  const shown = hooks.search();
  const matches = orderMatches(index, [...new Set([...local, ...remote])]);
  const failed = error !== null && matches.length === 0;
  if (shown.matches.length > 0) {
    // Keep the reader on the match they are at (they may have stepped on meanwhile).
    const at = shown.matches[shown.current];
    const current = at === undefined ? 0 : Math.max(0, matches.indexOf(at));
    hooks.setSearch({ query: shown.query, matches, current, status: 'done', truncated, error: null });
    return;
  }
  hooks.setSearch({ query: shown.query, matches, current: matches.length > 0 ? 0 : -1, status: failed ? 'error' : 'done', truncated, error: failed ? errorMessage(error) : null });
  if (matches[0]) hooks.reveal(matches[0]);
}
