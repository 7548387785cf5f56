// Search across every session: the dialog's state, the debounced query, session labels
// (fetched once per session and cached), and opening a hit in the panes (agent, session,
// then the node revealed and focused in the tree).
import { create } from 'zustand';
import type { LogSearchHit } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { whenNoModalOpen } from '../../lib/modal';
import { useAgentsStore } from '../agents/store';
import { useSessionsStore } from '../sessions/store';
import { useSessionViewStore } from '../session-view/store';
import { NO_FILTERS, flattenGroups, groupHits, moveSelection, pageRequest, type HitGroup, type SearchFilters, type SessionLabel } from './searchModel';

export type { SearchFilters, SearchWhen } from './searchModel';

const DEBOUNCE_MS = 200;

export type GlobalSearchStatus = 'idle' | 'searching' | 'done' | 'error';


export interface GlobalSearchState {
  open: boolean;
  query: string;
  status: GlobalSearchStatus;
  error: string | null;
  groups: HitGroup[];
  /** Index into the flattened hits; -1 when nothing is selected. */
  active: number;
  /** There are more hits: `more()` fetches the next page. */
  truncated: boolean;
  filters: SearchFilters;
  /** Every hit fetched so far, newest first (groups are built from these). */
  hits: LogSearchHit[];
  /** The next page's cursor; null when every hit is shown. */
  cursor: string | null;
  loadingMore: boolean;
  openDialog: () => void;
  close: () => void;
  setQuery: (query: string) => void;
  run: () => Promise<void>;
  setFilters: (patch: Partial<SearchFilters>) => void;
  /** Fetches the next page and appends its hits. */
  more: () => Promise<void>;
  move: (direction: 1 | -1) => void;
  setActive: (index: number) => void;
  /** Opens the hit in the panes and closes the dialog. */
  openHit: (hit: LogSearchHit) => Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let lastRequest: ReturnType<typeof pageRequest> | null = null;
let generation = 0;
/** Session labels by id; null = deleted or gone. Cleared on every open so renames show. */
let labelCache = new Map<string, Promise<SessionLabel | null>>();
let agentDeletedCache = new Map<string, Promise<boolean>>();

function agentDeleted(agentId: string): Promise<boolean> {
  let pending = agentDeletedCache.get(agentId);
  if (!pending) {
    pending = api()
      .agents.get({ id: agentId })
      .then(
        (agent) => agent.deletedAt !== null,
        () => true,
      );
    agentDeletedCache.set(agentId, pending);
  }
  return pending;
}

function sessionLabel(sessionId: string): Promise<SessionLabel | null> {
  let pending = labelCache.get(sessionId);
  if (!pending) {
    pending = api()
      .sessions.get({ id: sessionId })
      .then(async (session) => {
        // Deleted sessions (and sessions of deleted agents) are in the trash: skipped, since
        // opening them would land on a pane that does not list them.
        if (session.deletedAt !== null || (await agentDeleted(session.agentId))) return null;
        return { id: session.id, name: session.name, agentId: session.agentId, agentName: session.agentName, archived: session.archivedAt !== null };
      })
      // A session purged since it was indexed: nothing to open.
      .catch(() => null);
    labelCache.set(sessionId, pending);
  }
  return pending;
}

/** Hits grouped under their sessions' labels (fetched once per session). */
async function labelled(hits: readonly LogSearchHit[]): Promise<HitGroup[]> {
  const ids = [...new Set(hits.map((h) => h.sessionId))];
  const labels = new Map(await Promise.all(ids.map(async (id) => [id, await sessionLabel(id)] as const)));
  return groupHits(hits, labels);
}

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useGlobalSearchStore = create<GlobalSearchState>()((set, get) => ({
  open: false,
  query: '',
  status: 'idle',
  error: null,
  groups: [],
  active: -1,
  truncated: false,
  filters: NO_FILTERS,
  hits: [],
  cursor: null,
  loadingMore: false,

  openDialog: () => {
    if (get().open) return;
    labelCache = new Map();
    agentDeletedCache = new Map();
    set({ open: true });
    // Reopening keeps the last query; refresh its results (sessions may have changed).
    if (get().query.trim() !== '') void get().run();
  },

  close: () => {
    clearTimeout(timer);
    generation++;
    set({ open: false, status: get().status === 'searching' ? 'idle' : get().status });
  },

  setQuery: (query) => {
    set({ query });
    clearTimeout(timer);
    if (query.trim() === '') {
      generation++;
      set({ status: 'idle', error: null, groups: [], active: -1, truncated: false, hits: [], cursor: null });
      return;
    }
    timer = setTimeout(() => void get().run(), DEBOUNCE_MS);
  },

  run: async () => {
    clearTimeout(timer);
    const query = get().query.trim();
    if (query === '') return;
    const gen = ++generation;
    set({ status: 'searching', error: null, loadingMore: false });
    try {
      // "More" pages reuse this request (its time window stays where the search started).
      lastRequest = pageRequest(query, get().filters, null);
      const page = await api().logs.searchPage(lastRequest);
      const groups = await labelled(page.items);
      if (gen !== generation) return;
      set({ status: 'done', hits: page.items, cursor: page.nextCursor, groups, active: flattenGroups(groups).length > 0 ? 0 : -1, truncated: page.nextCursor !== null });
    } catch (error) {
      if (gen !== generation) return;
      set({ status: 'error', error: errorMessage(error), groups: [], active: -1, truncated: false, hits: [], cursor: null });
    }
  },

  setFilters: (patch) => {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    if (get().query.trim() !== '') void get().run();
  },

  more: async () => {
    const { cursor, loadingMore, status } = get();
    if (cursor === null || loadingMore || status !== 'done' || lastRequest === null) return;
    const gen = generation;
    set({ loadingMore: true });
    try {
      const page = await api().logs.searchPage({ ...lastRequest, cursor });
      const hits = [...get().hits, ...page.items];
      const groups = await labelled(hits);
      if (gen !== generation) return;
      set({ hits, cursor: page.nextCursor, groups, truncated: page.nextCursor !== null, loadingMore: false });
    } catch (error) {
      if (gen !== generation) return;
      set({ loadingMore: false, status: 'error', error: errorMessage(error) });
    }
  },

  move: (direction) => set((s) => ({ active: moveSelection(s.active, flattenGroups(s.groups).length, direction) })),

  setActive: (active) => set({ active }),

  openHit: async (hit) => {
    const label = get().groups.find((g) => g.session.id === hit.sessionId)?.session;
    get().close();
    if (!label) return;
    const agents = useAgentsStore.getState();
    // Same path as a session import: show the agent in the active list, select it, then the
    // session (wiring opens the session view when the session selection changes).
    if (agents.view !== 'active') agents.setView('active');
    if (!agents.items.some((a) => a.id === label.agentId)) await agents.refreshOne(label.agentId);
    useAgentsStore.getState().select(label.agentId);
    useSessionsStore.getState().setAgent(label.agentId);
    useSessionsStore.getState().select(hit.sessionId);
    revealWhenLoaded(hit.sessionId, hit.nodeId);
  },
}));

/**
 * Reveals and focuses the node once its page is in the open session's index. The view's own
 * pending reveal would not move focus, and a session switch would drop it.
 */
function revealWhenLoaded(sessionId: string, nodeId: string): void {
  /** 'wait' until the node is loaded, 'reveal' once it is, 'drop' if the view moved on. */
  const check = (): 'wait' | 'reveal' | 'drop' => {
    const view = useSessionViewStore.getState();
    if (view.sessionId !== sessionId || view.status === 'error') return 'drop';
    return view.index.nodes.has(nodeId) ? 'reveal' : 'wait';
  };
  // The search dialog may still be closing: focus moved before it has closed would not stick.
  const reveal = () =>
    void whenNoModalOpen().then(() => {
      if (check() === 'reveal') useSessionViewStore.getState().revealNode(nodeId, true);
    });
  const now = check();
  if (now !== 'wait') {
    if (now === 'reveal') reveal();
    return;
  }
  const unsubscribe = useSessionViewStore.subscribe(() => {
    const next = check();
    if (next === 'wait') return;
    // Unsubscribe first: revealNode updates this store, which would call back in here.
    unsubscribe();
    if (next === 'reveal') reveal();
  });
}
