// Agents slice: the sidebar list (active or trash), the selection, and every agent action.
// Destructive actions confirm or offer undo here, so components stay presentational.
import { create } from 'zustand';
import { focusFirst } from '../../state/focusRequests';
import type { Agent, AgentConfig } from '../../../shared/domain';
import { api } from '../../lib/api';
import { fileSlug, saveJsonFile } from '../../lib/files';
import { createPagedList, mergeById, type LoadStatus } from '../../state/pagedList';
import { confirmAction, toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

export type AgentsView = 'active' | 'trash';

const PAGE_SIZE = 100;

export interface AgentsState {
  view: AgentsView;
  search: string;
  items: Agent[];
  nextCursor: string | null;
  status: LoadStatus;
  loadingMore: boolean;
  error: string | null;
  selectedId: string | null;
  load: () => Promise<void>;
  loadMore: () => Promise<void>;
  setSearch: (search: string) => void;
  setView: (view: AgentsView) => void;
  select: (id: string | null) => void;
  create: (config: Partial<AgentConfig> & { name: string }) => Promise<Agent | null>;
  update: (id: string, patch: Partial<AgentConfig>, expectedVersion?: number) => Promise<Agent>;
  remove: (id: string) => Promise<void>;
  restore: (id: string) => Promise<void>;
  purge: (id: string) => Promise<void>;
  duplicate: (id: string) => Promise<void>;
  exportAgent: (id: string) => Promise<void>;
  /** Shows a freshly imported agent in the list and selects it. */
  adoptImported: (agent: Agent) => void;
  /** Re-reads one agent after an outside change (event) and places it in or out of the list. */
  refreshOne: (id: string) => Promise<void>;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useAgentsStore = create<AgentsState>()((set, get) => {
  const list = createPagedList<Agent>({
    get,
    set,
    noun: 'agents',
    fetch: (cursor) => {
      const { view, search } = get();
      return api().agents.list({
        deleted: view === 'trash' ? 'only' : 'exclude',
        search: search.trim() || undefined,
        sort: view === 'trash' ? 'updatedAt' : 'name',
        order: view === 'trash' ? 'desc' : 'asc',
        limit: PAGE_SIZE,
        cursor,
      });
    },
  });

  return {
    view: 'active',
    search: '',
    items: [],
    nextCursor: null,
    status: 'idle',
    loadingMore: false,
    error: null,
    selectedId: null,

    load: async () => {
      const { view, search } = get();
      const page = await list.load();
      if (!page) return;
      const { selectedId } = get();
      // Keep the selection when it is still listed; otherwise pick the first agent so the
      // sessions pane is never blank when there is something to show.
      if (view === 'active' && (!selectedId || !page.items.some((a) => a.id === selectedId))) {
        if (!selectedId || search.trim() === '') get().select(page.items[0]?.id ?? null);
      }
    },

    loadMore: () => list.loadMore(),

    setSearch: (search) => {
      set({ search });
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void get().load(), 150);
    },

    setView: (view) => {
      if (view === get().view) return;
      set({ view, items: [], nextCursor: null, status: 'loading', selectedId: null });
      void get().load();
    },

    select: (id) => {
      if (get().selectedId === id) return;
      set({ selectedId: id });
    },

    create: async (config) => {
      return runAction('Could not create the agent', async () => {
        const agent = await api().agents.create(config);
        set((s) => ({
          view: 'active',
          items: s.view === 'active' ? sortByName(mergeById(s.items, [agent])) : s.items,
          selectedId: agent.id,
        }));
        if (get().view !== 'active') get().setView('active');
        toast(`Agent “${agent.name}” created`, { tone: 'success' });
        return agent;
      }, { rethrow: true });
    },

    update: async (id, patch, expectedVersion) => {
      const agent = await api().agents.update({ id, patch, expectedVersion });
      set((s) => ({ items: s.items.map((a) => (a.id === id ? agent : a)) }));
      return agent;
    },

    remove: async (id) => {
      const agent = get().items.find((a) => a.id === id);
      await runAction('Could not delete the agent', async () => {
        await api().agents.remove({ id });
        set((s) => {
          const index = s.items.findIndex((a) => a.id === id);
          const items = s.items.filter((a) => a.id !== id);
          const neighbour = items[Math.min(Math.max(index, 0), items.length - 1)];
          return { items, selectedId: s.selectedId === id ? (neighbour?.id ?? null) : s.selectedId };
        });
        // Focus leaves the Delete button, which now belongs to the next agent: a repeated Enter
        // must not delete that one too.
        focusFirst('[data-testid="agent-list"] [data-roving][tabindex="0"]', '[data-testid="new-agent"]');
        toast(`${agent ? `“${agent.name}”` : 'Agent'} moved to trash`, {
          action: { label: 'Undo', run: () => void get().restore(id) },
        });
      });
    },

    restore: async (id) => {
      await runAction('Could not restore the agent', async () => {
        const agent = await api().agents.restore({ id });
        set((s) => ({
          items: s.view === 'trash' ? s.items.filter((a) => a.id !== id) : sortByName(mergeById(s.items, [agent])),
          selectedId: s.view === 'active' ? agent.id : s.selectedId === id ? null : s.selectedId,
        }));
        toast(`“${agent.name}” restored`, { tone: 'success' });
      });
    },

    purge: async (id) => {
      const agent = get().items.find((a) => a.id === id);
      const ok = await confirmAction({
        title: 'Delete agent forever?',
        message: `“${agent?.name ?? 'This agent'}” and its version history will be deleted permanently. This cannot be undone.`,
        confirmLabel: 'Delete forever',
        tone: 'danger',
      });
      if (!ok) return;
      await runAction('Could not delete the agent', async () => {
        await api().agents.purge({ id });
        set((s) => ({ items: s.items.filter((a) => a.id !== id), selectedId: s.selectedId === id ? null : s.selectedId }));
        toast('Agent deleted permanently');
      });
    },

    duplicate: async (id) => {
      await runAction('Could not duplicate the agent', async () => {
        const copy = await api().agents.duplicate({ id });
        set((s) => ({ items: sortByName(mergeById(s.items, [copy])), selectedId: copy.id }));
        toast(`Duplicated as “${copy.name}”`, { tone: 'success' });
      });
    },

    exportAgent: async (id) => {
      await runAction('Could not export the agent', async () => {
        const data = await api().agents.export({ id });
        await saveJsonFile(`${fileSlug(data.agent.name)}.paddock-agent.json`, data);
        toast(`Exported “${data.agent.name}”`, { tone: 'success' });
      });
    },

    adoptImported: (agent) => {
      if (get().view !== 'active') get().setView('active');
      set((s) => ({ items: sortByName(mergeById(s.items, [agent])), selectedId: agent.id }));
    },

    refreshOne: async (id) => {
      let agent: Agent | null;
      try {
        agent = await api().agents.get({ id });
      } catch {
        agent = null; // purged or unreadable: drop it from the list
      }
      set((s) => {
        const listed = s.items.some((a) => a.id === id);
        const belongs = agent !== null && (s.view === 'trash' ? agent.deletedAt !== null : agent.deletedAt === null);
        if (belongs && agent) return { items: listed ? s.items.map((a) => (a.id === id ? agent : a)) : s.view === 'active' ? sortByName([...s.items, agent]) : [agent, ...s.items] };
        if (listed) return { items: s.items.filter((a) => a.id !== id) };
        return {};
      });
    },
  };
});

function sortByName(items: Agent[]): Agent[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}
