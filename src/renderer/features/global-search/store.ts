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
import { flattenGroups, groupHits, moveSelection, type HitGroup, type SessionLabel } from './searchModel';

const DEBOUNCE_MS = 200;
const HIT_LIMIT = 100;

export type GlobalSearchStatus = 'idle' | 'searching' | 'done' | 'error';

export interface GlobalSearchState {
  open: boolean;
  query: string;
  status: GlobalSearchStatus;
  error: string | null;
  groups: HitGroup[];
  /** Index into the flattened hits; -1 when nothing is selected. */
  active: number;
  /** The server returned as many hits as asked for: there may be more. */
  truncated: boolean;
  openDialog: () => void;
  close: () => void;
  setQuery: (query: string) => void;
  run: () => Promise<void>;
  move: (direction: 1 | -1) => void;
  setActive: (index: number) => void;
  /** Opens the hit in the panes and closes the dialog. */
  openHit: (hit: LogSearchHit) => Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | undefined;
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

export const useGlobalSearchStore = create<GlobalSearchState>()((set, get) => ({
  open: false,
  query: '',
  status: 'idle',
  error: null,
  groups: [],
  active: -1,
  truncated: false,

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
      set({ status: 'idle', error: null, groups: [], active: -1, truncated: false });
      return;
    }
    timer = setTimeout(() => void get().run(), DEBOUNCE_MS);
  },

  run: async () => {
    clearTimeout(timer);
    const query = get().query.trim();
    if (query === '') return;
    const gen = ++generation;
    set({ status: 'searching', error: null });
    try {
      const hits = await api().logs.search({ query, limit: HIT_LIMIT, order: 'relevance' });
      const ids = [...new Set(hits.map((h) => h.sessionId))];
      const labels = new Map(await Promise.all(ids.map(async (id) => [id, await sessionLabel(id)] as const)));
      if (gen !== generation) return;
      const groups = groupHits(hits, labels);
      set({ status: 'done', groups, active: flattenGroups(groups).length > 0 ? 0 : -1, truncated: hits.length >= HIT_LIMIT });
    } catch (error) {
      if (gen !== generation) return;
      set({ status: 'error', error: errorMessage(error), groups: [], active: -1, truncated: false });
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
