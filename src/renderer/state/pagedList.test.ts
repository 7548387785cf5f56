import { describe, expect, it } from 'vitest';
import type { Page } from '../../shared/domain';
import { createPagedList, mergeById, type PagedListState } from './pagedList';
import { useUiStore } from './ui';

type Item = { id: string; v: number };

/** A slice holding only the list fields, and a fetch whose answers the test releases by hand. */
function harness() {
  let state: PagedListState<Item> = { items: [], nextCursor: null, status: 'idle', loadingMore: false, error: null };
  const calls: Array<{ cursor: string | null; resolve: (p: Page<Item>) => void; reject: (e: Error) => void }> = [];
  const list = createPagedList<Item>({
    get: () => state,
    set: (u) => {
      state = { ...state, ...(typeof u === 'function' ? u(state) : u) };
    },
    fetch: (cursor) => new Promise((resolve, reject) => calls.push({ cursor, resolve, reject })),
    noun: 'things',
  });
  return { list, calls, state: () => state };
}

describe('createPagedList', () => {
  it('replaces the list with the first page and appends the next one', async () => {
    const h = harness();
    const loading = h.list.load();
    expect(h.state().status).toBe('loading');
    h.calls[0]!.resolve({ items: [{ id: 'a', v: 1 }], nextCursor: 'c1' });
    expect(await loading).toEqual({ items: [{ id: 'a', v: 1 }], nextCursor: 'c1' });
    expect(h.state()).toMatchObject({ items: [{ id: 'a', v: 1 }], nextCursor: 'c1', status: 'ready' });

    const more = h.list.loadMore();
    expect(h.calls[1]!.cursor).toBe('c1');
    expect(h.state().loadingMore).toBe(true);
    h.calls[1]!.resolve({ items: [{ id: 'a', v: 2 }, { id: 'b', v: 1 }], nextCursor: null });
    await more;
    expect(h.state()).toMatchObject({ items: [{ id: 'a', v: 2 }, { id: 'b', v: 1 }], nextCursor: null, loadingMore: false });

    await h.list.loadMore(); // no cursor left: nothing is asked
    expect(h.calls).toHaveLength(2);
  });

  it('lets only the latest request write its answer', async () => {
    const h = harness();
    const first = h.list.load();
    const second = h.list.load();
    h.calls[1]!.resolve({ items: [{ id: 'new', v: 1 }], nextCursor: null });
    h.calls[0]!.resolve({ items: [{ id: 'old', v: 1 }], nextCursor: 'stale' });
    expect(await second).not.toBeNull();
    expect(await first).toBeNull();
    expect(h.state().items).toEqual([{ id: 'new', v: 1 }]);

    const third = h.list.load();
    h.list.cancel();
    h.calls[2]!.resolve({ items: [], nextCursor: null });
    expect(await third).toBeNull();
    expect(h.state().items).toEqual([{ id: 'new', v: 1 }]);
  });

  it('does not stay stuck "loading more" when a reload overtakes a next page', async () => {
    const h = harness();
    const first = h.list.load();
    h.calls[0]!.resolve({ items: [{ id: 'a', v: 1 }], nextCursor: 'c1' });
    await first;
    const more = h.list.loadMore();
    expect(h.state().loadingMore).toBe(true);
    const reload = h.list.load();
    h.calls[1]!.resolve({ items: [{ id: 'stale', v: 1 }], nextCursor: null });
    await more;
    h.calls[2]!.resolve({ items: [{ id: 'a', v: 2 }], nextCursor: 'c2' });
    await reload;
    expect(h.state()).toMatchObject({ items: [{ id: 'a', v: 2 }], nextCursor: 'c2', loadingMore: false });
    const again = h.list.loadMore();
    expect(h.calls[3]!.cursor).toBe('c2');
    h.calls[3]!.resolve({ items: [{ id: 'b', v: 1 }], nextCursor: null });
    await again;
    expect(h.state().items.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('reports a failed first page in the state and a failed next page as a toast', async () => {
    const h = harness();
    const loading = h.list.load();
    h.calls[0]!.reject(new Error('offline'));
    expect(await loading).toBeNull();
    expect(h.state()).toMatchObject({ status: 'error', error: 'offline' });

    const again = h.list.load();
    h.calls[1]!.resolve({ items: [{ id: 'a', v: 1 }], nextCursor: 'c1' });
    await again;
    const more = h.list.loadMore();
    h.calls[2]!.reject(new Error('timeout'));
    await more;
    expect(h.state()).toMatchObject({ items: [{ id: 'a', v: 1 }], loadingMore: false, status: 'ready' });
    expect(useUiStore.getState().toasts.at(-1)?.message).toBe('Could not load more things: timeout');
  });
});

describe('mergeById', () => {
  it('replaces known ids in place and appends new ones', () => {
    expect(mergeById([{ id: 'a', v: 1 }, { id: 'b', v: 1 }], [{ id: 'c', v: 1 }, { id: 'a', v: 2 }])).toEqual([
      { id: 'a', v: 2 },
      { id: 'b', v: 1 },
      { id: 'c', v: 1 },
    ]);
  });
});
