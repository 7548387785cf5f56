// The list half of a keyset-paginated slice (agents, sessions): the first page replaces the
// list, "Load more" appends the next one, and only the latest request may write its answer.
import type { Page } from '../../shared/domain';
import { errorMessage } from '../lib/errors';
import { createRequestGate } from './requestGate';
import { toast } from './ui';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface PagedListState<T> {
  items: T[];
  nextCursor: string | null;
  status: LoadStatus;
  loadingMore: boolean;
  error: string | null;
}

type Update<T> = Partial<PagedListState<T>> | ((s: PagedListState<T>) => Partial<PagedListState<T>>);

export interface PagedListOptions<T> {
  get: () => PagedListState<T>;
  set: (update: Update<T>) => void;
  /** One page of the list as the slice's current filters describe it. */
  fetch: (cursor: string | null) => Promise<Page<T>>;
  /** Plural noun for the "Could not load more …" toast. */
  noun: string;
}

export interface PagedList<T> {
  /** Replaces the list with its first page; resolves with that page, or null when it failed or was overtaken. */
  load: () => Promise<Page<T> | null>;
  /** Appends the next page, if any and none is already on its way. */
  loadMore: () => Promise<void>;
  /** Drops any answer still on its way (the filters it was asked for no longer apply). */
  cancel: () => void;
}

export function createPagedList<T extends { id: string }>({ get, set, fetch, noun }: PagedListOptions<T>): PagedList<T> {
  const gate = createRequestGate();
  return {
    load: async () => {
      const ticket = gate.next();
      // A new first page overtakes any "Load more" still on its way: its answer will be ignored,
      // so it must not keep the list marked as loading more.
      set({ status: 'loading', error: null, loadingMore: false });
      try {
        const page = await fetch(null);
        if (!gate.isCurrent(ticket)) return null;
        set({ items: page.items, nextCursor: page.nextCursor, status: 'ready' });
        return page;
      } catch (error) {
        if (gate.isCurrent(ticket)) set({ status: 'error', error: errorMessage(error) });
        return null;
      }
    },

    loadMore: async () => {
      const { nextCursor, loadingMore } = get();
      if (!nextCursor || loadingMore) return;
      const ticket = gate.next();
      set({ loadingMore: true });
      try {
        const page = await fetch(nextCursor);
        if (!gate.isCurrent(ticket)) return;
        set((s) => ({ items: mergeById(s.items, page.items), nextCursor: page.nextCursor, loadingMore: false }));
      } catch (error) {
        set({ loadingMore: false });
        toast(`Could not load more ${noun}: ${errorMessage(error)}`, { tone: 'error' });
      }
    },

    cancel: () => {
      gate.next();
      set({ loadingMore: false });
    },
  };
}

/** `items` with `incoming` merged in: a known id is replaced where it stands, a new one appended. */
export function mergeById<T extends { id: string }>(items: readonly T[], incoming: readonly T[]): T[] {
  const indexById = new Map(items.map((item, i) => [item.id, i] as const));
  const out = [...items];
  for (const item of incoming) {
    const at = indexById.get(item.id);
    if (at === undefined) {
      indexById.set(item.id, out.length);
      out.push(item);
    } else {
      out[at] = item;
    }
  }
  return out;
}
