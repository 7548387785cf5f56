// Sessions slice: the sessions of the selected agent with status filter, sort and keyset
// pagination ("Load more"), the selected session, and session actions with undo.
import { create } from 'zustand';
import { focusFirst, useFocusRequests } from '../../state/focusRequests';
import type { Session, SessionStatus } from '../../../shared/domain';
import type { TagCount } from '../../../shared/ipc/channels/sessions';
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
/** Pinned sessions shown above the others; a pin beyond this many still sorts the list page by page. */
const MAX_PINNED = 200;

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
  /** Sessions carrying every one of these tags (empty: no tag filter). */
  tagFilter: string[];
  /** Tags in use on this agent's sessions, most used first: what tag fields suggest. */
  tagSuggestions: TagCount[];
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
  setTagFilter: (tags: string[]) => void;
  loadTagSuggestions: () => Promise<void>;
  pin: (id: string, pinned: boolean) => Promise<void>;
  /** Adds and removes tags; resolves with the session as it is now, or null when refused (the toast says why). */
  tag: (id: string, add: string[], remove: string[]) => Promise<Session | null>;
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
    // Pinned sessions come first: the first page is all pinned ones (they are few) followed by
    // the first page of the others; "Load more" pages through the others only.
    fetch: async (cursor) => {
      const { agentId, statusFilter, sort, order, archived, tagFilter } = get();
      const query = {
        agentId: agentId ?? undefined,
        status: statusFilter.length > 0 ? statusFilter : undefined,
        archived,
        tags: tagFilter.length > 0 ? tagFilter : undefined,
        sort,
        order,
      };
      const rest = api().sessions.list({ ...query, pinned: 'exclude', limit: PAGE_SIZE, cursor });
      if (cursor) return rest;
      const [pinned, others] = await Promise.all([api().sessions.list({ ...query, pinned: 'only', limit: MAX_PINNED }), rest]);
      return { items: [...pinned.items, ...others.items], nextCursor: others.nextCursor };
    },
  });

  const replace = (session: Session) =>
    set((s) => ({ items: pinnedFirst(s.items.map((x) => (x.id === session.id ? { ...x, ...pickSession(session) } : x)), comparator(s.sort, s.order)) }));

  return {
    agentId: null,
    statusFilter: [],
    sort: 'createdAt',
    order: 'desc',
    archived: 'exclude',
    tagFilter: [],
    tagSuggestions: [],
    items: [],
    nextCursor: null,
    status: 'idle',
    loadingMore: false,
    error: null,
    selectedId: null,

    setAgent: (agentId) => {
      if (agentId === get().agentId) return;
      list.cancel(); // drop any answer still on its way for the previous agent
      set({ agentId, items: [], nextCursor: null, selectedId: null, status: agentId ? 'loading' : 'idle', error: null, tagFilter: [], tagSuggestions: [] });
      if (agentId) {
        void get().load();
        void get().loadTagSuggestions();
      }
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

    setTagFilter: (tags) => {
      set({ tagFilter: [...new Set(tags)] });
      void get().load();
    },

    loadTagSuggestions: async () => {
      const { agentId } = get();
      try {
        const tags = await api().sessions.tags({ agentId: agentId ?? undefined, limit: 100 });
        if (get().agentId === agentId) set({ tagSuggestions: tags });
      } catch {
        // Suggestions are a convenience: typing a tag still works without them.
      }
    },

    pin: async (id, pinned) => {
      await runAction(pinned ? 'Could not pin the session' : 'Could not unpin the session', async () => {
        replace(await api().sessions.pin({ id, pinned }));
        const view = useSessionViewStore.getState();
        if (view.sessionId === id) await view.refreshSession();
        toast(pinned ? 'Session pinned' : 'Session unpinned', { tone: 'success' });
      });
    },

    tag: async (id, add, remove) => {
      let changed: Session | null = null;
      await runAction('Could not change the tags', async () => {
        const session = await api().sessions.tag({ id, add, remove });
        changed = session;
        const { tagFilter } = get();
        if (tagFilter.every((t) => session.tags?.includes(t))) replace(session);
        else dropFromList(id);
        const view = useSessionViewStore.getState();
        if (view.sessionId === id) await view.refreshSession();
      });
      if (changed) void get().loadTagSuggestions();
      return changed;
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
        const { agentId, archived, tagFilter } = get();
        const belongs =
          session.agentId === agentId &&
          session.deletedAt === null &&
          (archived === 'only') === (session.archivedAt !== null) &&
          tagFilter.every((t) => session.tags?.includes(t));
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
      return { items: pinnedFirst(items, comparator(s.sort, s.order)) };
    });
  }
});

/** Pinned sessions above the others, each group in the list's sort (as the server pages it). */
export function pinnedFirst(items: Session[], order: (a: Session, b: Session) => number): Session[] {
  return [...items.filter((x) => x.pinnedAt).sort(order), ...items.filter((x) => !x.pinnedAt).sort(order)];
}

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
