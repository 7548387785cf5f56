// Sessions slice: the sessions of the selected agent with status filter, sort and keyset
// pagination ("Load more"), the selected session, and session actions with undo.
import { create } from 'zustand';
import { focusFirst, useFocusRequests } from '../../state/focusRequests';
import type { Session, SessionStatus } from '../../../shared/domain';
import { api } from '../../lib/api';
import { fileSlug, saveJsonFile } from '../../lib/files';
import { useSessionViewStore } from '../session-view/store';
import { createPagedList, type LoadStatus } from '../../state/pagedList';
import { toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

export type SessionSort = 'createdAt' | 'updatedAt' | 'name' | 'status';
export type SortOrder = 'asc' | 'desc';
export type ArchivedFilter = 'exclude' | 'only';

const PAGE_SIZE = 50;

// The list mechanics (paging, loading, errors) are shared with the agents store through
// createPagedList; what still looks alike between the two (select, remove/restore, export,
// adoptImported, refreshOne) are the same verbs on another domain, each with its own API call,
// filter rules and messages, so they stay written out in each store.
export interface SessionsState {
  agentId: string | null;
  statusFilter: SessionStatus[];
  sort: SessionSort;
  order: SortOrder;
  archived: ArchivedFilter;
  items: Session[];
  nextCursor: string | null;
  status: LoadStatus;
  loadingMore: boolean;
  error: string | null;
  selectedId: string | null;
  setAgent: (agentId: string | null) => void;
  load: () => Promise<void>;
  loadMore: () => Promise<void>;
  setStatusFilter: (statuses: SessionStatus[]) => void;
  setSort: (sort: SessionSort, order: SortOrder) => void;
  setArchived: (archived: ArchivedFilter) => void;
  select: (id: string | null) => void;
  create: () => Promise<void>;
  rename: (id: string, name: string) => Promise<void>;
  archive: (id: string) => Promise<void>;
  unarchive: (id: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  restore: (id: string) => Promise<void>;
  exportSession: (id: string) => Promise<void>;
  /** Shows a freshly imported session and selects it. */
  adoptImported: (session: Session) => void;
  /** A status change, with the session as it is after it (sessions.statusChanged). */
  applyStatus: (changed: Session) => void;
  refreshOne: (id: string) => Promise<void>;
}

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useSessionsStore = create<SessionsState>()((set, get) => {
  const list = createPagedList<Session>({
    get,
    set,
    noun: 'sessions',
    fetch: (cursor) => {
      const { agentId, statusFilter, sort, order, archived } = get();
      return api().sessions.list({
        agentId: agentId ?? undefined,
        status: statusFilter.length > 0 ? statusFilter : undefined,
        archived,
        sort,
        order,
        limit: PAGE_SIZE,
        cursor,
      });
    },
  });

  const replace = (session: Session) =>
    set((s) => ({ items: s.items.map((x) => (x.id === session.id ? { ...x, ...pickSession(session) } : x)) }));

  return {
    agentId: null,
    statusFilter: [],
    sort: 'createdAt',
    order: 'desc',
    archived: 'exclude',
    items: [],
    nextCursor: null,
    status: 'idle',
    loadingMore: false,
    error: null,
    selectedId: null,

    setAgent: (agentId) => {
      if (agentId === get().agentId) return;
      list.cancel(); // drop any answer still on its way for the previous agent
      set({ agentId, items: [], nextCursor: null, selectedId: null, status: agentId ? 'loading' : 'idle', error: null });
      if (agentId) void get().load();
    },

    load: async () => {
      if (get().agentId) await list.load();
    },

    loadMore: () => list.loadMore(),

    setStatusFilter: (statusFilter) => {
      set({ statusFilter });
      void get().load();
    },

    setSort: (sort, order) => {
      set({ sort, order });
      void get().load();
    },

    setArchived: (archived) => {
      set({ archived });
      void get().load();
    },

    select: (id) => set({ selectedId: id }),

    create: async () => {
      const { agentId } = get();
      if (!agentId) return;
      await runAction('Could not create a session', async () => {
        const session = await api().sessions.create({ agentId });
        // Typing is the next thing to do: the new session's composer takes focus once shown.
        useFocusRequests.getState().focusComposer(session.id);
        set((s) => ({ items: [pickSession(session), ...s.items.filter((x) => x.id !== session.id)], selectedId: session.id }));
        toast(`Session “${session.name}” created`, { tone: 'success' });
      });
    },

    rename: async (id, name) => {
      await runAction('Could not rename the session', async () => {
        replace(await api().sessions.update({ id, patch: { name } }));
        const view = useSessionViewStore.getState();
        if (view.sessionId === id) await view.refreshSession();
      });
    },

    archive: async (id) => {
      await runAction('Could not archive the session', async () => {
        await api().sessions.archive({ id });
        dropFromList(id);
        toast('Session archived', { action: { label: 'Undo', run: () => void get().unarchive(id) } });
      });
    },

    unarchive: async (id) => {
      await runAction('Could not unarchive the session', async () => {
        const session = await api().sessions.unarchive({ id });
        if (get().archived === 'only') dropFromList(id);
        else reinsert(session);
        toast('Session restored from the archive', { tone: 'success' });
      });
    },

    remove: async (id) => {
      await runAction('Could not delete the session', async () => {
        await api().sessions.remove({ id });
        dropFromList(id);
        // Focus leaves the Delete button (a held or repeated key must not delete the next one).
        focusFirst('[data-testid="session-list"] [data-roving][tabindex="0"]', '[data-testid="new-session"]');
        toast('Session deleted', { action: { label: 'Undo', run: () => void get().restore(id) } });
      });
    },

    restore: async (id) => {
      await runAction('Could not restore the session', async () => {
        reinsert(await api().sessions.restore({ id }));
        toast('Session restored', { tone: 'success' });
      });
    },

    exportSession: async (id) => {
      await runAction('Could not export the session', async () => {
        const data = await api().sessions.export({ id });
        await saveJsonFile(`${fileSlug(data.session.name)}.paddock-session.json`, data);
        toast(`Exported “${data.session.name}” (${data.nodes.length.toLocaleString('en-US')} log entries)`, { tone: 'success' });
      });
    },

    adoptImported: (session) => {
      set((s) => ({
        items: s.agentId === session.agentId ? [pickSession(session), ...s.items.filter((x) => x.id !== session.id)] : s.items,
        selectedId: session.id,
      }));
    },

    applyStatus: (changed) =>
      set((s) => ({ items: s.items.map((x) => (x.id === changed.id && changed.updatedAt >= x.updatedAt ? changed : x)) })),

    refreshOne: async (id) => {
      try {
        const session = await api().sessions.get({ id });
        const { agentId, archived } = get();
        const belongs = session.agentId === agentId && session.deletedAt === null && (archived === 'only') === (session.archivedAt !== null);
        const listed = get().items.some((x) => x.id === id);
        if (belongs) {
          if (listed) replace(session);
          else reinsert(session);
        } else if (listed) dropFromList(id);
      } catch {
        dropFromList(id);
      }
    },
  };

  function dropFromList(id: string): void {
    set((s) => ({ items: s.items.filter((x) => x.id !== id), selectedId: s.selectedId === id ? null : s.selectedId }));
  }

  function reinsert(session: Session): void {
    set((s) => {
      if (s.agentId !== session.agentId) return {};
      const items = [...s.items.filter((x) => x.id !== session.id), pickSession(session)];
      items.sort(comparator(s.sort, s.order));
      return { items };
    });
  }
});

/** Strips SessionWithConfig extras so list items stay small and uniform. */
function pickSession(session: Session): Session {
  const { agentName: _n, effectiveConfig: _c, ...rest } = session as Session & { agentName?: string; effectiveConfig?: unknown };
  return rest;
}

function comparator(sort: SessionSort, order: SortOrder): (a: Session, b: Session) => number {
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const av = a[sort];
    const bv = b[sort];
    const primary = av < bv ? -1 : av > bv ? 1 : 0;
    return sign * (primary || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
}
