// The open session: its header record and its log tree. The tree index is a mutable structure
// (see tree/treeIndex.ts) and the store signals changes through version counters, so a
// 100,000-node session never gets copied per page or per streamed delta.
import { create } from 'zustand';
import type { LogNode, Session, SessionWithConfig } from '../../../shared/domain';
import type { LogNodeUpdate } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { computeRollups, type Totals } from './tree/rollups';
import { revealInCollapsed, stepMatch } from './tree/search';
import { applyNodeUpdate, createTreeIndex, upsertNodes, type TreeIndex } from './tree/treeIndex';
import { allParents } from './tree/visibleRows';
import type { LoadStatus } from '../../state/pagedList';
import { EMPTY_SEARCH, runSessionSearch, type SearchState } from './searchRunner';
import { loadTree } from './treeLoader';

export type { SearchState } from './searchRunner';

const METRIC_FIELDS: ReadonlyArray<keyof LogNode> = ['tokensIn', 'tokensOut', 'tokensReasoning', 'costUsd', 'endedAt', 'durationMs', 'startedAt', 'parentId'];

/** What a view holds about one session, empty: the state before any session and after open(). */
function blankView() {
  return {
    session: null,
    error: null,
    index: createTreeIndex(),
    loadedCount: 0,
    totalCount: null,
    loadingRest: false,
    collapsed: new Set<string>(),
    openDetails: new Set<string>(),
    activeId: null,
    rollups: new Map(),
    search: EMPTY_SEARCH,
    reveal: null,
  } satisfies Partial<SessionViewState>;
}

export interface SessionViewState {
  sessionId: string | null;
  session: SessionWithConfig | null;
  status: LoadStatus;
  error: string | null;
  index: TreeIndex;
  /** Bumped when nodes are added or moved: visible rows must be recomputed. */
  structureVersion: number;
  /** Bumped on any node change, so rows re-read their node. */
  contentVersion: number;
  loadedCount: number;
  /** Nodes in the session according to main (null until known). */
  totalCount: number | null;
  loadingRest: boolean;
  collapsed: ReadonlySet<string>;
  /** Nodes whose body is unfolded (thoughts, long text, big JSON). */
  openDetails: ReadonlySet<string>;
  activeId: string | null;
  rollups: Map<string, Totals>;
  search: SearchState;
  /** A request for the tree to scroll a node into view; the nonce makes repeats count. */
  reveal: { id: string; nonce: number; focus: boolean } | null;
  open: (sessionId: string | null) => void;
  retry: () => void;
  refreshSession: () => Promise<void>;
  toggle: (id: string) => void;
  expand: (id: string) => void;
  collapse: (id: string) => void;
  expandAll: () => void;
  collapseAll: () => void;
  toggleDetails: (id: string) => void;
  setActive: (id: string | null) => void;
  revealNode: (id: string, focus?: boolean) => void;
  setSearchQuery: (query: string) => void;
  runSearch: () => Promise<void>;
  stepSearch: (direction: 1 | -1) => void;
  clearSearch: () => void;
  applyAppended: (sessionId: string, nodes: LogNode[]) => void;
  applyUpdated: (sessionId: string, updates: LogNodeUpdate[]) => void;
  /** A status change, with the session as it is after it (sessions.statusChanged). */
  applyStatus: (changed: Session) => void;
}

let generation = 0;
let rollupTimer: ReturnType<typeof setTimeout> | undefined;
let rollupDue = 0;
let revealNonce = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;
/** Bumped per search, so a slower earlier search never overwrites a newer one. */
let searchRun = 0;
/** A search match that is not loaded yet; revealed as soon as its page arrives. */
let pendingReveal: string | null = null;

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useSessionViewStore = create<SessionViewState>()((set, get) => {
  const scheduleRollups = () => {
    // Debounced with a ceiling: a steady stream of updates still refreshes totals twice a second.
    const now = Date.now();
    if (rollupDue === 0) rollupDue = now + 500;
    clearTimeout(rollupTimer);
    rollupTimer = setTimeout(
      () => {
        rollupDue = 0;
        set({ rollups: computeRollups(get().index) });
      },
      Math.max(0, Math.min(120, rollupDue - now)),
    );
  };

  const afterInsert = (structural: boolean, metrics: boolean) => {
    const s = get();
    set({
      structureVersion: structural ? s.structureVersion + 1 : s.structureVersion,
      contentVersion: s.contentVersion + 1,
      loadedCount: s.index.nodes.size,
    });
    if (structural || metrics) scheduleRollups();
    if (pendingReveal && s.index.nodes.has(pendingReveal)) {
      const id = pendingReveal;
      pendingReveal = null;
      get().revealNode(id);
    }
  };

  // Live events can arrive many times per frame; the index takes them at once, the UI once a frame.
  let pending: { structural: boolean; metrics: boolean } | null = null;
  const publishSoon = (structural: boolean, metrics: boolean) => {
    if (pending) {
      pending.structural ||= structural;
      pending.metrics ||= metrics;
      return;
    }
    pending = { structural, metrics };
    const flush = () => {
      const p = pending;
      pending = null;
      if (p) afterInsert(p.structural, p.metrics);
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  };

  const hooksFor = (gen: number) => ({
    current: () => gen === generation,
    insert: (nodes: readonly LogNode[]) => upsertNodes(get().index, nodes).structural,
    publish: (structural: boolean) => afterInsert(structural, true),
    ready: (totalCount: number, rest: boolean) => set({ status: 'ready', loadingRest: rest, totalCount }),
    finished: () => set({ loadingRest: false }),
  });

  const loadSession = async (sessionId: string, gen: number) => {
    const session = await api().sessions.get({ id: sessionId });
    if (gen === generation) set({ session });
  };

  return {
    sessionId: null,
    status: 'idle',
    structureVersion: 0,
    contentVersion: 0,
    ...blankView(),

    open: (sessionId) => {
      if (sessionId === get().sessionId && get().status !== 'error') return;
      const gen = ++generation;
      pendingReveal = null;
      clearTimeout(rollupTimer);
      rollupDue = 0;
      set((s) => ({
        sessionId,
        status: sessionId ? 'loading' : 'idle',
        structureVersion: s.structureVersion + 1,
        contentVersion: s.contentVersion + 1,
        ...blankView(),
      }));
      if (!sessionId) return;
      // The log's requests go first: the header is small and can arrive after them.
      const fail = (error: unknown) => {
        if (gen !== generation) return;
        set({ status: 'error', error: errorMessage(error), loadingRest: false });
      };
      loadTree(sessionId, hooksFor(gen), () => loadSession(sessionId, gen).catch(fail)).catch(fail);
    },

    retry: () => {
      const id = get().sessionId;
      set({ sessionId: null });
      get().open(id);
    },

    refreshSession: async () => {
      const { sessionId } = get();
      if (!sessionId) return;
      const gen = generation;
      try {
        await loadSession(sessionId, gen);
      } catch {
        // The header keeps its last known state; the next event or reopen refreshes it.
      }
    },

    toggle: (id) => (get().collapsed.has(id) ? get().expand(id) : get().collapse(id)),
    expand: (id) =>
      set((s) => {
        if (!s.collapsed.has(id)) return {};
        const collapsed = new Set(s.collapsed);
        collapsed.delete(id);
        return { collapsed };
      }),
    collapse: (id) =>
      set((s) => {
        if (s.collapsed.has(id)) return {};
        const collapsed = new Set(s.collapsed);
        collapsed.add(id);
        return { collapsed };
      }),
    expandAll: () => set({ collapsed: new Set() }),
    collapseAll: () =>
      set((s) => {
        // Keep the active row visible: move it to its top-level ancestor.
        let active = s.activeId;
        while (active) {
          const parentId: string | null = s.index.nodes.get(active)?.parentId ?? null;
          if (!parentId || !s.index.nodes.has(parentId)) break;
          active = parentId;
        }
        return { collapsed: allParents(s.index), activeId: active };
      }),
    toggleDetails: (id) =>
      set((s) => {
        const openDetails = new Set(s.openDetails);
        if (openDetails.has(id)) openDetails.delete(id);
        else openDetails.add(id);
        return { openDetails };
      }),
    setActive: (activeId) => set({ activeId }),

    revealNode: (id, focus = false) => {
      const s = get();
      if (!s.index.nodes.has(id)) {
        pendingReveal = id;
        return;
      }
      set({ collapsed: revealInCollapsed(s.index, s.collapsed, id), activeId: id, reveal: { id, nonce: ++revealNonce, focus } });
    },

    setSearchQuery: (query) => {
      set((s) => ({ search: { ...s.search, query } }));
      clearTimeout(searchTimer);
      if (query.trim() === '') {
        get().clearSearch();
        set((s) => ({ search: { ...s.search, query } }));
        return;
      }
      searchTimer = setTimeout(() => void get().runSearch(), 250);
    },

    runSearch: async () => {
      clearTimeout(searchTimer);
      const { sessionId, search } = get();
      const query = search.query.trim();
      if (!sessionId || query === '') return;
      const gen = generation;
      const run = ++searchRun;
      set((s) => ({ search: { ...s.search, status: 'searching', error: null } }));
      await runSessionSearch(query, {
        sessionId,
        index: () => get().index,
        search: () => get().search,
        current: () => gen === generation && run === searchRun && get().search.query.trim() === query,
        setSearch: (next) => set({ search: next }),
        reveal: (id) => get().revealNode(id),
      });
    },

    stepSearch: (direction) => {
      const { search } = get();
      if (search.status !== 'done' || search.matches.length === 0) {
        void get().runSearch();
        return;
      }
      const current = stepMatch(search.current, search.matches.length, direction);
      set({ search: { ...search, current } });
      const id = search.matches[current];
      if (id) get().revealNode(id);
    },

    clearSearch: () => {
      clearTimeout(searchTimer);
      searchRun++;
      pendingReveal = null;
      set({ search: EMPTY_SEARCH });
    },

    applyAppended: (sessionId, nodes) => {
      if (sessionId !== get().sessionId || get().status === 'idle') return;
      const { structural } = upsertNodes(get().index, nodes);
      publishSoon(structural, true);
    },

    applyUpdated: (sessionId, updates) => {
      if (sessionId !== get().sessionId) return;
      const { index } = get();
      const changed: LogNode[] = [];
      let metrics = false;
      for (const update of updates) {
        const current = index.nodes.get(update.nodeId);
        if (!current) continue; // not loaded yet: its page will carry the latest state
        changed.push(applyNodeUpdate(current, update));
        if (update.changes && METRIC_FIELDS.some((f) => f in update.changes!)) metrics = true;
      }
      if (changed.length === 0) return;
      const { structural } = upsertNodes(index, changed);
      publishSoon(structural, metrics);
    },

    applyStatus: (changed) => {
      const { session } = get();
      if (!session || session.id !== changed.id || changed.updatedAt < session.updatedAt) return;
      // The event carries the whole row (status, error, result, times, totals); the agent's
      // name and the effective config do not change with a status, so they are kept.
      set({ session: { ...session, ...changed } });
    },
  };
});
